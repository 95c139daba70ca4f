using System.Numerics;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Elementwise;

/// <summary>
/// ADD, SUB, MUL, DIV, FLOOR_DIV, MAXIMUM, MINIMUM on float32, int32 and int64 tensors with N-D broadcasting
/// (TFLite's reference semantics). Fused activations apply to ADD/SUB/MUL/DIV only, as in TFLite.
/// </summary>
public static class BinaryArithmetic
{
    /// <summary>
    /// Float32 binary op. <paramref name="activation"/> clamps ADD/SUB/MUL/DIV results to the float range of the
    /// fused activation; it must be <see cref="FusedActivation.None"/> for the other ops.
    /// </summary>
    /// <param name="op">Which builtin.</param>
    /// <param name="aShape">Shape of the first input (rank 0..6).</param>
    /// <param name="a">First input, row-major, <c>prod(aShape)</c> elements.</param>
    /// <param name="bShape">Shape of the second input.</param>
    /// <param name="b">Second input.</param>
    /// <param name="outShape">Output shape: must be the broadcast of the two input shapes.</param>
    /// <param name="output">Output, <c>prod(outShape)</c> elements.</param>
    /// <param name="activation">Fused activation from the op's options.</param>
    public static void Float(BinaryOperation op,
        ReadOnlySpan<int> aShape, ReadOnlySpan<float> a, ReadOnlySpan<int> bShape, ReadOnlySpan<float> b,
        ReadOnlySpan<int> outShape, Span<float> output, FusedActivation activation = FusedActivation.None)
    {
        (float lo, float hi) = ActivationRange.Float(activation);
        Run(op, activation, lo, hi, aShape, a, bShape, b, outShape, output);
    }

    /// <summary>
    /// Int32 binary op. Fused activation ranges follow TFLite's CalculateActivationRange for integers
    /// (RELU [0, max], RELU6 [0, 6], RELU_N1_TO_1 [-1, 1]). Integer DIV/FLOOR_DIV by zero throw <see cref="DivideByZeroException"/>.
    /// </summary>
    public static void Int32(BinaryOperation op,
        ReadOnlySpan<int> aShape, ReadOnlySpan<int> a, ReadOnlySpan<int> bShape, ReadOnlySpan<int> b,
        ReadOnlySpan<int> outShape, Span<int> output, FusedActivation activation = FusedActivation.None)
    {
        (int lo, int hi) = IntegerRange<int>(activation);
        Run(op, activation, lo, hi, aShape, a, bShape, b, outShape, output);
    }

    /// <summary>Int64 binary op (same rules as <see cref="Int32"/>).</summary>
    public static void Int64(BinaryOperation op,
        ReadOnlySpan<int> aShape, ReadOnlySpan<long> a, ReadOnlySpan<int> bShape, ReadOnlySpan<long> b,
        ReadOnlySpan<int> outShape, Span<long> output, FusedActivation activation = FusedActivation.None)
    {
        (long lo, long hi) = IntegerRange<long>(activation);
        Run(op, activation, lo, hi, aShape, a, bShape, b, outShape, output);
    }

    private static (T Lo, T Hi) IntegerRange<T>(FusedActivation activation) where T : INumber<T>, IMinMaxValue<T> => activation switch
    {
        FusedActivation.None => (T.MinValue, T.MaxValue),
        FusedActivation.Relu => (T.Zero, T.MaxValue),
        FusedActivation.Relu6 => (T.Zero, T.CreateChecked(6)),
        FusedActivation.ReluN1To1 => (-T.One, T.One),
        _ => throw new NotSupportedException($"fused activation {activation} is not supported on integer tensors"),
    };

    private static void Run<T>(BinaryOperation op, FusedActivation activation, T lo, T hi,
        ReadOnlySpan<int> aShape, ReadOnlySpan<T> a, ReadOnlySpan<int> bShape, ReadOnlySpan<T> b,
        ReadOnlySpan<int> outShape, Span<T> output) where T : INumber<T>
    {
        if (activation != FusedActivation.None && op is not (BinaryOperation.Add or BinaryOperation.Sub or BinaryOperation.Mul or BinaryOperation.Div))
            throw new ArgumentException($"{op} has no fused activation", nameof(activation));
        switch (op)
        {
            case BinaryOperation.Add: Broadcast.Apply(new AddOp<T>(lo, hi), aShape, a, bShape, b, outShape, output); break;
            case BinaryOperation.Sub: Broadcast.Apply(new SubOp<T>(lo, hi), aShape, a, bShape, b, outShape, output); break;
            case BinaryOperation.Mul: Broadcast.Apply(new MulOp<T>(lo, hi), aShape, a, bShape, b, outShape, output); break;
            case BinaryOperation.Div: Broadcast.Apply(new DivOp<T>(lo, hi), aShape, a, bShape, b, outShape, output); break;
            case BinaryOperation.FloorDiv: Broadcast.Apply(new FloorDivOp<T>(), aShape, a, bShape, b, outShape, output); break;
            case BinaryOperation.Maximum: Broadcast.Apply(new MaxOp<T>(), aShape, a, bShape, b, outShape, output); break;
            case BinaryOperation.Minimum: Broadcast.Apply(new MinOp<T>(), aShape, a, bShape, b, outShape, output); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "unknown binary operation");
        }
    }
}
