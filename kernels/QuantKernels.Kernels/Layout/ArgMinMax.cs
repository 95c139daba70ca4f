using System.Numerics;

namespace QuantKernels.Kernels.Layout;

/// <summary>
/// ARG_MAX / ARG_MIN along one axis; output shape is the input shape without the axis, element type int32 or
/// int64. Ties resolve to the lowest index (strict comparison, as TFLite). Quantized inputs compare raw values
/// (the order is the same as the real values' for a positive scale).
/// </summary>
public static class ArgMinMax
{
    /// <summary>Output shape (input without <paramref name="axis"/>); returns its rank.</summary>
    public static int ComputeOutputShape(ReadOnlySpan<int> inputShape, int axis, Span<int> outputShape)
    {
        int a = TensorShape.ResolveAxis(axis, inputShape.Length);
        int r = 0;
        for (int k = 0; k < inputShape.Length; k++) if (k != a) outputShape[r++] = inputShape[k];
        return r;
    }

    /// <summary>Index of the maximum (<paramref name="isMax"/>) or minimum along <paramref name="axis"/>.</summary>
    /// <param name="input">Input tensor (float, int8, uint8, int16, int32, int64 ...).</param>
    /// <param name="inputShape">Its shape.</param><param name="axis">Reduction axis.</param>
    /// <param name="isMax">True for ARG_MAX, false for ARG_MIN.</param>
    /// <param name="output">int32 or int64 indices.</param>
    public static void Run<T, TIndex>(ReadOnlySpan<T> input, ReadOnlySpan<int> inputShape, int axis, bool isMax, Span<TIndex> output)
        where T : unmanaged, INumber<T>
        where TIndex : unmanaged, IBinaryInteger<TIndex>
    {
        TensorShape.CheckLength(input.Length, inputShape, nameof(input));
        int a = TensorShape.ResolveAxis(axis, inputShape.Length);
        int outer = TensorShape.Product(inputShape, 0, a);
        int size = inputShape[a];
        int inner = TensorShape.Product(inputShape, a + 1, inputShape.Length);
        if (size == 0) throw new ArgumentException("arg min/max over an empty axis", nameof(inputShape));
        if (output.Length != outer * inner) throw new ArgumentException($"output holds {output.Length} elements, expected {outer * inner}", nameof(output));
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < inner; j++)
            {
                int baseOff = o * size * inner + j;
                T best = input[baseOff];
                int bestIdx = 0;
                for (int i = 1; i < size; i++)
                {
                    T v = input[baseOff + i * inner];
                    if (isMax ? v > best : v < best) { best = v; bestIdx = i; }
                }
                output[o * inner + j] = TIndex.CreateTruncating(bestIdx);
            }
    }
}
