namespace QuantKernels.Runtime.Ops;

internal static partial class BuiltinOps
{
    private static void RegisterShapeOps(OpResolver r)
    {
        r.AddBuiltin(tflite.BuiltinOperator.RESHAPE, () => new ReshapeOp());
        r.AddBuiltin(tflite.BuiltinOperator.SQUEEZE, () => new SqueezeOp());
        r.AddBuiltin(tflite.BuiltinOperator.EXPAND_DIMS, () => new ExpandDimsOp());
    }
}

/// <summary>Ops whose output is the input's bytes under another shape: Invoke is one copy.</summary>
internal abstract class CopyShapeOp : OpKernel
{
    public override void Invoke(OpContext context) => context.Input(0).Bytes.CopyTo(context.Output(0).MutableBytes);

    protected static void CheckSameData(OpContext context, ReadOnlySpan<int> shape)
    {
        var input = context.Input(0);
        var output = context.Output(0);
        if (input.Type != output.Type)
            throw context.Error($"input type {TensorTypes.Name(input.Type)} differs from output type {TensorTypes.Name(output.Type)}");
        long n = 1;
        foreach (int d in shape) n *= d;
        if (n != input.ElementCount)
            throw context.Error($"output shape [{string.Join(",", shape.ToArray())}] has {n} elements but the input {input} has {input.ElementCount}");
    }
}

/// <summary>RESHAPE: new shape from the shape input tensor, else the options, else the output's declared shape; one -1 is inferred.</summary>
internal sealed class ReshapeOp : CopyShapeOp
{
    public override void Prepare(OpContext context)
    {
        context.RequireCounts(1, 2, 1);
        var input = context.Input(0);
        int[] shape;
        var shapeTensor = context.OptionalInput(1);
        if (shapeTensor is not null && shapeTensor.IsConstant && shapeTensor.Rank == 1 && shapeTensor.Type == TensorType.Int32)
            shape = shapeTensor.AsReadOnlySpan<int>().ToArray();
        else if (shapeTensor is not null && shapeTensor.IsConstant && shapeTensor.Rank == 1 && shapeTensor.Type == TensorType.Int64)
            shape = Array.ConvertAll(shapeTensor.AsReadOnlySpan<long>().ToArray(), v => checked((int)v));
        else if (context.Options<tflite.ReshapeOptions>(tflite.BuiltinOptions.ReshapeOptions) is { NewShapeLength: > 0 } opts)
        {
            if (opts.NewShapeLength > 8) throw context.Error($"new_shape has rank {opts.NewShapeLength}");
            shape = new int[opts.NewShapeLength];
            for (int i = 0; i < shape.Length; i++) shape[i] = opts.NewShape(i);
        }
        else if (shapeTensor is not null && !shapeTensor.IsConstant)
            throw context.Unsupported("the shape input is computed at run time; only constant shapes are supported");
        else
            shape = context.Output(0).Shape.ToArray();

        int inferred = -1;
        long known = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] == -1)
            {
                if (inferred >= 0) throw context.Error("more than one -1 in the new shape");
                inferred = i;
            }
            else if (shape[i] < 0) throw context.Error($"new shape dimension {i} is {shape[i]}");
            else known *= shape[i];
        }
        if (inferred >= 0)
        {
            if (known == 0 || input.ElementCount % known != 0)
                throw context.Error($"cannot infer dimension {inferred}: {input.ElementCount} elements do not divide by {known}");
            shape[inferred] = (int)(input.ElementCount / known);
        }
        CheckSameData(context, shape);
        context.SetOutputShape(0, shape);
    }
}

/// <summary>SQUEEZE: drops the listed size-1 axes (all size-1 axes when none are listed).</summary>
internal sealed class SqueezeOp : CopyShapeOp
{
    public override void Prepare(OpContext context)
    {
        context.RequireCounts(1, 1, 1);
        var input = context.Input(0);
        int rank = input.Rank;
        Span<bool> drop = stackalloc bool[rank];
        var opts = context.Options<tflite.SqueezeOptions>(tflite.BuiltinOptions.SqueezeOptions);
        int listed = opts?.SqueezeDimsLength ?? 0;
        if (listed > rank) throw context.Error($"squeeze_dims lists {listed} axes for a rank-{rank} input");
        if (listed == 0)
            for (int i = 0; i < rank; i++) drop[i] = input.Dim(i) == 1;
        for (int k = 0; k < listed; k++)
        {
            int axis = opts!.Value.SqueezeDims(k);
            if (axis < 0) axis += rank;
            if (axis < 0 || axis >= rank) throw context.Error($"squeeze axis {opts.Value.SqueezeDims(k)} is outside rank {rank}");
            if (input.Dim(axis) != 1) throw context.Error($"cannot squeeze axis {axis} of size {input.Dim(axis)}");
            drop[axis] = true;
        }
        var shape = new List<int>();
        for (int i = 0; i < rank; i++) if (!drop[i]) shape.Add(input.Dim(i));
        CheckSameData(context, shape.ToArray());
        context.SetOutputShape(0, shape.ToArray());
    }
}

/// <summary>EXPAND_DIMS: inserts a size-1 axis at the (constant) axis input.</summary>
internal sealed class ExpandDimsOp : CopyShapeOp
{
    public override void Prepare(OpContext context)
    {
        context.RequireCounts(2, 2, 1);
        var input = context.Input(0);
        var axisTensor = context.Input(1);
        if (!axisTensor.IsConstant || axisTensor.ElementCount != 1)
            throw context.Unsupported("the axis input must be a constant scalar");
        long axisValue = axisTensor.Type switch
        {
            TensorType.Int32 => axisTensor.AsReadOnlySpan<int>()[0],
            TensorType.Int64 => axisTensor.AsReadOnlySpan<long>()[0],
            _ => throw context.Error($"axis has type {TensorTypes.Name(axisTensor.Type)}; expected int32 or int64"),
        };
        int rank = input.Rank;
        if (axisValue < -rank - 1 || axisValue > rank) throw context.Error($"axis {axisValue} is outside [{-rank - 1}, {rank}]");
        int axis = (int)(axisValue < 0 ? axisValue + rank + 1 : axisValue);
        var shape = new int[rank + 1];
        for (int i = 0, j = 0; i <= rank; i++) shape[i] = i == axis ? 1 : input.Dim(j++);
        CheckSameData(context, shape);
        context.SetOutputShape(0, shape);
    }
}
