using QuantKernels.Kernels.Layout;

namespace QuantKernels.Runtime.Ops;

/// <summary>PACK: stacks values_count inputs of one shape along a new axis.</summary>
internal sealed class PackOp : DataMovementOp
{
    private int _axis, _count;
    private int[] _valueShape = [];

    public override void Prepare(OpContext context)
    {
        context.RequireCounts(1, int.MaxValue, 1);
        var first = context.Input(0);
        SelectElementType(context, first);
        var o = context.Options<tflite.PackOptions>(tflite.BuiltinOptions.PackOptions);
        _count = context.InputCount;
        if (o is { ValuesCount: var vc } && vc != 0 && vc != _count)
            throw context.Error($"values_count {vc} differs from the {_count} inputs");
        _valueShape = first.Shape.ToArray();
        for (int i = 1; i < _count; i++)
        {
            var input = context.Input(i);
            ElementDispatch.RequireSameType(context, first, input, $"input {i}");
            if (!input.Shape.SequenceEqual(_valueShape)) throw context.Error($"input {i} {input} differs in shape from input 0 {first}");
        }
        int rank = _valueShape.Length + 1;
        _axis = OpHelpers.Axis(context, o?.Axis ?? 0, rank);
        var shape = new int[rank];
        Pack.ComputeOutputShape(_valueShape, _axis, _count, shape);
        context.SetOutputShape(0, shape);
    }

    public override void Run<T>(OpContext context)
    {
        var output = context.Output(0).AsSpan<T>();
        for (int i = 0; i < _count; i++)
            Pack.PackInput(context.Input(i).AsReadOnlySpan<T>(), _valueShape, _axis, i, _count, output);
    }
}

/// <summary>UNPACK: splits the input along an axis into num outputs, dropping the axis.</summary>
internal sealed class UnpackOp : DataMovementOp
{
    private int _axis, _count;
    private int[] _valueShape = [];

    public override void Prepare(OpContext context)
    {
        if (context.InputCount != 1) throw context.Error($"expects 1 input, has {context.InputCount}");
        var input = context.Input(0);
        SelectElementType(context, input);
        var o = context.Options<tflite.UnpackOptions>(tflite.BuiltinOptions.UnpackOptions);
        if (input.Rank == 0) throw context.Error($"input {input} is a scalar");
        _axis = OpHelpers.Axis(context, o?.Axis ?? 0, input.Rank);
        _count = input.Dim(_axis);
        int num = o?.Num ?? 0;
        if (num != 0 && num != _count) throw context.Error($"num {num} differs from the input's size {_count} on axis {_axis}");
        if (context.OutputCount != _count) throw context.Error($"has {context.OutputCount} outputs; unpacking axis {_axis} of {input} gives {_count}");
        _valueShape = new int[input.Rank - 1];
        for (int k = 0, j = 0; k < input.Rank; k++) if (k != _axis) _valueShape[j++] = input.Dim(k);
        for (int i = 0; i < _count; i++) context.SetOutputShape(i, _valueShape);
    }

    public override void Run<T>(OpContext context)
    {
        var input = context.Input(0).AsReadOnlySpan<T>();
        for (int i = 0; i < _count; i++)
            Pack.UnpackOutput(input, _valueShape, _axis, i, _count, context.Output(i).AsSpan<T>());
    }
}
