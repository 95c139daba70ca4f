using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using QuantKernels.Kernels.Layout;

namespace QuantKernels.Runtime.Ops;

/// <summary>
/// PAD and PADV2 with constant [rank, 2] paddings. PAD fills with 0, or the output zero point for quantized
/// tensors; PADV2 fills with its (scalar) constant_values input, read at run time.
/// </summary>
internal sealed class PadOp(bool withValue) : DataMovementOp
{
    private int[] _inputShape = [];
    private int[] _paddings = [];
    private ulong _padBits; // the pad value's bit pattern in the low bytes (little-endian), for PAD
    private bool _valueInput;

    public override void Prepare(OpContext context)
    {
        context.RequireCounts(2, withValue ? 3 : 2, 1);
        var input = context.Input(0);
        var output = context.Output(0);
        SelectElementType(context, input);
        string name = withValue ? "PADV2" : "PAD";
        var paddingsTensor = context.Input(1);
        _paddings = OpHelpers.ReadConstantInts(context, paddingsTensor, $"{name} paddings");
        if (paddingsTensor.Rank != 2 || paddingsTensor.Dim(0) != input.Rank || paddingsTensor.Dim(1) != 2)
            throw context.Error($"paddings {paddingsTensor} must have shape [{input.Rank},2] for input {input}");
        _inputShape = input.Shape.ToArray();
        var shape = new int[input.Rank];
        Pad.ComputeOutputShape(_inputShape, _paddings, shape);
        context.SetOutputShape(0, shape);

        var value = withValue ? context.OptionalInput(2) : null;
        _valueInput = value is not null;
        if (value is not null)
        {
            ElementDispatch.RequireSameType(context, input, value, "constant_values");
            if (value.ElementCount != 1) throw context.Error($"constant_values {value} must hold one value");
        }
        else
        {
            // Quantized PAD pads with the real value 0, i.e. the output's zero point.
            int zp = output.Quantization.IsQuantized ? output.ZeroPoint : 0;
            _padBits = input.Type switch
            {
                TensorType.Int8 => (byte)(sbyte)zp,
                TensorType.UInt8 => (byte)zp,
                TensorType.Int16 => (ushort)(short)zp,
                TensorType.Int32 => (uint)zp,
                TensorType.Int64 => (ulong)(long)zp,
                _ => 0, // float 0.0 and false are all-zero bits
            };
        }
    }

    public override void Run<T>(OpContext context)
    {
        T pad = _valueInput
            ? MemoryMarshal.Read<T>(context.Input(2).Bytes)
            : Unsafe.As<ulong, T>(ref _padBits);
        Pad.Run(context.Input(0).AsReadOnlySpan<T>(), _inputShape, _paddings, pad, context.Output(0).AsSpan<T>());
    }
}
