using QuantKernels.Kernels.Layout;

namespace QuantKernels.Runtime.Ops;

/// <summary>SLICE: input[begin : begin + size] with constant begin and size (size -1 runs to the end).</summary>
internal sealed class SliceOp : DataMovementOp
{
    private int[] _inputShape = [];
    private int[] _begin = [];
    private int[] _outputShape = [];

    public override void Prepare(OpContext context)
    {
        context.RequireCounts(3, 3, 1);
        var input = context.Input(0);
        SelectElementType(context, input);
        _begin = OpHelpers.ReadConstantInts(context, context.Input(1), "SLICE begin");
        var size = OpHelpers.ReadConstantInts(context, context.Input(2), "SLICE size");
        if (_begin.Length != input.Rank || size.Length != input.Rank)
            throw context.Error($"begin has {_begin.Length} and size {size.Length} entries for input {input} of rank {input.Rank}");
        _inputShape = input.Shape.ToArray();
        _outputShape = new int[input.Rank];
        Slice.ComputeOutputShape(_inputShape, _begin, size, _outputShape);
        context.SetOutputShape(0, _outputShape);
    }

    public override void Run<T>(OpContext context)
        => Slice.Run(context.Input(0).AsReadOnlySpan<T>(), _inputShape, _begin, _outputShape, context.Output(0).AsSpan<T>());
}

/// <summary>STRIDED_SLICE with constant begin/end/strides and the options' masks (TFLite semantics).</summary>
internal sealed class StridedSliceOp : DataMovementOp
{
    private int[] _inputShape = [];
    private int[] _begin = [], _end = [], _strides = [];
    private StridedSliceOptions _options;

    public override void Prepare(OpContext context)
    {
        context.RequireCounts(4, 4, 1);
        var input = context.Input(0);
        SelectElementType(context, input);
        _begin = OpHelpers.ReadConstantInts(context, context.Input(1), "STRIDED_SLICE begin");
        _end = OpHelpers.ReadConstantInts(context, context.Input(2), "STRIDED_SLICE end");
        _strides = OpHelpers.ReadConstantInts(context, context.Input(3), "STRIDED_SLICE strides");
        var o = context.Options<tflite.StridedSliceOptions>(tflite.BuiltinOptions.StridedSliceOptions);
        _options = o is { } v
            ? new StridedSliceOptions(v.BeginMask, v.EndMask, v.EllipsisMask, v.NewAxisMask, v.ShrinkAxisMask, v.Offset)
            : default;
        _inputShape = input.Shape.ToArray();
        var shape = new int[_inputShape.Length + _begin.Length + 1];
        int rank = StridedSlice.ComputeOutputShape(_inputShape, _begin, _end, _strides, in _options, shape);
        context.SetOutputShape(0, shape.AsSpan(0, rank));
    }

    public override void Run<T>(OpContext context)
        => StridedSlice.Run(context.Input(0).AsReadOnlySpan<T>(), _inputShape, _begin, _end, _strides, in _options, context.Output(0).AsSpan<T>());
}
