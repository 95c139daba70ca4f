using QuantKernels.Kernels.Layout;

namespace QuantKernels.Runtime.Ops;

/// <summary>Shared checks of the gather ops' int32/int64 indices.</summary>
internal static class GatherIndices
{
    /// <summary>Requires int32/int64 indices; constant ones are range-checked now so Invoke cannot fail on them.</summary>
    public static void Check(OpContext context, Tensor indices, ReadOnlySpan<int> paramsShape, int axis, int depth)
    {
        context.RequireType(indices, "indices", TensorType.Int32, TensorType.Int64);
        if (!indices.IsConstant) return;
        var values = OpHelpers.ReadConstantInts(context, indices, "indices");
        for (int i = 0; i < values.Length; i++)
        {
            // GATHER (depth 0) addresses params[axis]; GATHER_ND (depth k) addresses params[0..k) cyclically.
            int dim = depth == 0 ? paramsShape[axis] : paramsShape[i % depth];
            if (values[i] < 0 || values[i] >= dim)
                throw context.Error($"index {values[i]} (entry {i} of {indices}) is outside [0, {dim})");
        }
    }
}

/// <summary>GATHER along the options' axis with batch_dims; indices int32 or int64.</summary>
internal sealed class GatherOp : DataMovementOp
{
    private int[] _paramsShape = [];
    private int[] _indicesShape = [];
    private int _axis, _batchDims;

    public override void Prepare(OpContext context)
    {
        context.RequireCounts(2, 2, 1);
        var input = context.Input(0);
        var indices = context.Input(1);
        SelectElementType(context, input, "params");
        var o = context.Options<tflite.GatherOptions>(tflite.BuiltinOptions.GatherOptions);
        if (input.Rank == 0) throw context.Error($"params {input} is a scalar");
        _axis = OpHelpers.Axis(context, o?.Axis ?? 0, input.Rank);
        _batchDims = o?.BatchDims ?? 0;
        _paramsShape = input.Shape.ToArray();
        _indicesShape = indices.Shape.ToArray();
        var shape = new int[_paramsShape.Length + _indicesShape.Length];
        int rank = Gather.ComputeOutputShape(_paramsShape, _indicesShape, _axis, _batchDims, shape);
        GatherIndices.Check(context, indices, _paramsShape, _axis, depth: 0);
        context.SetOutputShape(0, shape.AsSpan(0, rank));
    }

    public override void Run<T>(OpContext context)
    {
        var indices = context.Input(1);
        var input = context.Input(0).AsReadOnlySpan<T>();
        var output = context.Output(0).AsSpan<T>();
        if (indices.Type == TensorType.Int32)
            Gather.Run(input, _paramsShape, indices.AsReadOnlySpan<int>(), _indicesShape, _axis, _batchDims, output);
        else
            Gather.Run(input, _paramsShape, indices.AsReadOnlySpan<long>(), _indicesShape, _axis, _batchDims, output);
    }
}

/// <summary>GATHER_ND: indices [..., k] address the first k dims of params.</summary>
internal sealed class GatherNdOp : DataMovementOp
{
    private int[] _paramsShape = [];
    private int[] _indicesShape = [];

    public override void Prepare(OpContext context)
    {
        context.RequireCounts(2, 2, 1);
        var input = context.Input(0);
        var indices = context.Input(1);
        SelectElementType(context, input, "params");
        _paramsShape = input.Shape.ToArray();
        _indicesShape = indices.Shape.ToArray();
        if (_indicesShape.Length == 0) throw context.Error($"indices {indices} must have rank >= 1");
        var shape = new int[_paramsShape.Length + _indicesShape.Length];
        int rank = GatherNd.ComputeOutputShape(_paramsShape, _indicesShape, shape);
        GatherIndices.Check(context, indices, _paramsShape, 0, depth: _indicesShape[^1]);
        context.SetOutputShape(0, shape.AsSpan(0, rank));
    }

    public override void Run<T>(OpContext context)
    {
        var indices = context.Input(1);
        var input = context.Input(0).AsReadOnlySpan<T>();
        var output = context.Output(0).AsSpan<T>();
        if (indices.Type == TensorType.Int32)
            GatherNd.Run(input, _paramsShape, indices.AsReadOnlySpan<int>(), _indicesShape, output);
        else
            GatherNd.Run(input, _paramsShape, indices.AsReadOnlySpan<long>(), _indicesShape, output);
    }
}
