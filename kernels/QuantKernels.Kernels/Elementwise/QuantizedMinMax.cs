namespace QuantKernels.Kernels.Elementwise;

/// <summary>
/// Quantized MAXIMUM / MINIMUM (int8/uint8) with broadcasting. TFLite requires both inputs and the output to
/// share scale and zero point, so the op compares raw values (maximum_minimum.cc); XNNPACK does the same.
/// </summary>
public static class QuantizedMinMax
{
    /// <summary>Elementwise max (<paramref name="maximum"/> true) or min of the raw quantized values.</summary>
    /// <param name="maximum">True for MAXIMUM, false for MINIMUM.</param>
    /// <param name="aShape">Shape of a.</param>
    /// <param name="a">Input a.</param>
    /// <param name="bShape">Shape of b.</param>
    /// <param name="b">Input b.</param>
    /// <param name="outShape">Output shape (broadcast of the inputs).</param>
    /// <param name="output">Output.</param>
    public static void Invoke<T>(bool maximum,
        ReadOnlySpan<int> aShape, ReadOnlySpan<T> a, ReadOnlySpan<int> bShape, ReadOnlySpan<T> b,
        ReadOnlySpan<int> outShape, Span<T> output) where T : unmanaged
    {
        Q8.Check<T>();
        if (maximum) Broadcast.Apply(new MaxQ<T>(), aShape, a, bShape, b, outShape, output);
        else Broadcast.Apply(new MinQ<T>(), aShape, a, bShape, b, outShape, output);
    }

    private readonly struct MaxQ<T> : IBinaryElementOp<T, T, T> where T : unmanaged
    {
        public T Invoke(T a, T b) => Q8.ToInt(a) >= Q8.ToInt(b) ? a : b;
    }

    private readonly struct MinQ<T> : IBinaryElementOp<T, T, T> where T : unmanaged
    {
        public T Invoke(T a, T b) => Q8.ToInt(a) <= Q8.ToInt(b) ? a : b;
    }
}
