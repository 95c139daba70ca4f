using System.Numerics;

namespace QuantKernels.Kernels.Layout;

/// <summary>
/// CONCATENATION: the caller copies each input in turn with <see cref="CopyInput{T}"/>, advancing
/// <c>axisOffset</c> by that input's size on the axis (so N inputs never need an array of spans).
/// Quantized inputs whose (scale, zero point) differ from the output's are rescaled with
/// <see cref="CopyInputRequantized{T}"/>, TFLite's ConcatenationWithScaling formula.
/// </summary>
public static class Concatenation
{
    /// <summary>
    /// Output shape: the inputs' common shape with the axis sizes summed. Call once per input with
    /// <paramref name="outputShape"/> starting as a copy of the first input's shape and its axis set to 0.
    /// </summary>
    public static void AccumulateShape(ReadOnlySpan<int> inputShape, int axis, Span<int> outputShape)
    {
        if (inputShape.Length != outputShape.Length) throw new ArgumentException($"concatenation inputs must share rank: {TensorShape.Format(inputShape)} vs {TensorShape.Format(outputShape)}");
        int a = TensorShape.ResolveAxis(axis, inputShape.Length);
        for (int k = 0; k < inputShape.Length; k++)
            if (k != a && inputShape[k] != outputShape[k])
                throw new ArgumentException($"concatenation input {TensorShape.Format(inputShape)} differs from {TensorShape.Format(outputShape)} off the axis {a}");
        outputShape[a] = checked(outputShape[a] + inputShape[a]);
    }

    /// <summary>Copies <paramref name="input"/> into <paramref name="output"/> at <paramref name="axisOffset"/> along <paramref name="axis"/>.</summary>
    /// <param name="input">One input tensor.</param><param name="inputShape">Its shape.</param>
    /// <param name="axis">Concatenation axis (negative counts from the end).</param>
    /// <param name="output">Output tensor.</param><param name="outputShape">Output shape.</param>
    /// <param name="axisOffset">Sum of the axis sizes of the inputs before this one.</param>
    public static void CopyInput<T>(ReadOnlySpan<T> input, ReadOnlySpan<int> inputShape, int axis,
        Span<T> output, ReadOnlySpan<int> outputShape, int axisOffset)
    {
        Geometry(input.Length, inputShape, axis, output.Length, outputShape, axisOffset, out int outer, out int inChunk, out int outChunk, out int offset);
        for (int o = 0; o < outer; o++)
            input.Slice(o * inChunk, inChunk).CopyTo(output.Slice(o * outChunk + offset, inChunk));
    }

    /// <summary>
    /// Copies a quantized input whose parameters differ from the output's, as TFLite's
    /// ConcatenationWithScaling: scale = inScale * (1.0f / outScale), bias = -inZp * scale (float32),
    /// q = clamp(round_half_away(x * scale + bias) + outZp). Equal parameters copy exactly.
    /// (TFLite applies this to uint8; for int8 it requires equal parameters. This kernel accepts both.)
    /// </summary>
    public static void CopyInputRequantized<T>(ReadOnlySpan<T> input, ReadOnlySpan<int> inputShape, int axis,
        Span<T> output, ReadOnlySpan<int> outputShape, int axisOffset,
        float inScale, int inZeroPoint, float outScale, int outZeroPoint)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        if (inScale == outScale && inZeroPoint == outZeroPoint)
        {
            CopyInput(input, inputShape, axis, output, outputShape, axisOffset);
            return;
        }
        if (!(inScale > 0) || !(outScale > 0)) throw new ArgumentException($"scales must be positive, got in {inScale} out {outScale}");
        Geometry(input.Length, inputShape, axis, output.Length, outputShape, axisOffset, out int outer, out int inChunk, out int outChunk, out int offset);
        int qmin = int.CreateTruncating(T.MinValue), qmax = int.CreateTruncating(T.MaxValue);
        float scale = inScale * (1.0f / outScale);
        float bias = -inZeroPoint * scale;
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inChunk; i++)
            {
                float v = int.CreateTruncating(input[o * inChunk + i]) * scale + bias;
                int q = (int)MathF.Round(v, MidpointRounding.AwayFromZero) + outZeroPoint;
                output[o * outChunk + offset + i] = T.CreateTruncating(Math.Min(Math.Max(q, qmin), qmax));
            }
    }

    private static void Geometry(int inLen, ReadOnlySpan<int> inputShape, int axis, int outLen, ReadOnlySpan<int> outputShape, int axisOffset,
        out int outer, out int inChunk, out int outChunk, out int offset)
    {
        TensorShape.CheckLength(inLen, inputShape, "input");
        TensorShape.CheckLength(outLen, outputShape, "output");
        if (inputShape.Length != outputShape.Length) throw new ArgumentException($"input rank {inputShape.Length} differs from output rank {outputShape.Length}");
        int a = TensorShape.ResolveAxis(axis, inputShape.Length);
        for (int k = 0; k < inputShape.Length; k++)
            if (k != a && inputShape[k] != outputShape[k])
                throw new ArgumentException($"input {TensorShape.Format(inputShape)} and output {TensorShape.Format(outputShape)} differ off the axis {a}");
        if (axisOffset < 0 || axisOffset + inputShape[a] > outputShape[a])
            throw new ArgumentException($"axis offset {axisOffset} + {inputShape[a]} exceeds the output axis size {outputShape[a]}", nameof(axisOffset));
        int inner = TensorShape.Product(inputShape, a + 1, inputShape.Length);
        outer = TensorShape.Product(inputShape, 0, a);
        inChunk = inputShape[a] * inner;
        outChunk = outputShape[a] * inner;
        offset = axisOffset * inner;
    }
}
