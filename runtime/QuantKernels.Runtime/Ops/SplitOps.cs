using QuantKernels.Kernels.Layout;

namespace QuantKernels.Runtime.Ops;

/// <summary>
/// SPLIT (inputs: constant axis, data; num_splits equal parts) and SPLIT_V (inputs: data, constant size_splits,
/// constant axis; one size may be -1).
/// </summary>
internal sealed class SplitOp(bool variableSizes) : DataMovementOp
{
    private int _axis;
    private int[] _inputShape = [];
    private int[] _starts = [];
    private int[] _sizes = [];

    private string Name => variableSizes ? "SPLIT_V" : "SPLIT";

    public override void Prepare(OpContext context)
    {
        int inputs = variableSizes ? 3 : 2;
        if (context.InputCount != inputs) throw context.Error($"expects {inputs} inputs, has {context.InputCount}");
        if (context.OutputCount < 1) throw context.Error("expects at least one output");
        var input = context.Input(variableSizes ? 0 : 1);
        var axisTensor = context.Input(variableSizes ? 2 : 0);
        SelectElementType(context, input);
        if (!axisTensor.IsConstant) throw context.Unsupported($"{Name} axis {axisTensor} is computed at run time; only a constant axis is supported");
        var axisValues = OpHelpers.ReadConstantInts(context, axisTensor, "axis");
        if (axisValues.Length != 1) throw context.Error($"axis {axisTensor} must hold one value");
        if (input.Rank == 0) throw context.Error($"input {input} is a scalar");
        _axis = OpHelpers.Axis(context, axisValues[0], input.Rank);
        _inputShape = input.Shape.ToArray();
        int outputs = context.OutputCount;
        int axisSize = _inputShape[_axis];
        _sizes = new int[outputs];
        if (variableSizes)
        {
            var sizeTensor = context.Input(1);
            if (!sizeTensor.IsConstant) throw context.Unsupported($"{Name} size_splits {sizeTensor} is computed at run time; only constant sizes are supported");
            var sizeSplits = OpHelpers.ReadConstantInts(context, sizeTensor, "size_splits");
            if (sizeSplits.Length != outputs) throw context.Error($"size_splits has {sizeSplits.Length} entries for {outputs} outputs");
            var o = context.Options<tflite.SplitVOptions>(tflite.BuiltinOptions.SplitVOptions);
            if (o is { NumSplits: var ns } && ns != 0 && ns != outputs) throw context.Error($"num_splits {ns} differs from the {outputs} outputs");
            Split.ResolveSizes(axisSize, sizeSplits, _sizes);
        }
        else
        {
            var o = context.Options<tflite.SplitOptions>(tflite.BuiltinOptions.SplitOptions);
            if (o is { NumSplits: var ns } && ns != 0 && ns != outputs) throw context.Error($"num_splits {ns} differs from the {outputs} outputs");
            Array.Fill(_sizes, Split.EqualSizes(axisSize, outputs));
        }
        _starts = new int[outputs];
        var shape = (int[])_inputShape.Clone();
        for (int i = 0, start = 0; i < outputs; i++)
        {
            _starts[i] = start;
            start += _sizes[i];
            shape[_axis] = _sizes[i];
            context.SetOutputShape(i, shape);
        }
    }

    public override void Run<T>(OpContext context)
    {
        var input = context.Input(variableSizes ? 0 : 1).AsReadOnlySpan<T>();
        for (int i = 0; i < _sizes.Length; i++)
            Split.ExtractRange(input, _inputShape, _axis, _starts[i], _sizes[i], context.Output(i).AsSpan<T>());
    }
}
