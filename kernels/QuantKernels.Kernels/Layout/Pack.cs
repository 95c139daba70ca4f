namespace QuantKernels.Kernels.Layout;

/// <summary>
/// PACK and UNPACK: stack N tensors of one shape along a new axis, and the inverse. The caller packs input
/// i with <see cref="PackInput{T}"/> (index i of count), and unpacks output i with <see cref="UnpackOutput{T}"/>.
/// </summary>
public static class Pack
{
    /// <summary>Output shape of PACK: <paramref name="valueShape"/> with <paramref name="count"/> inserted at axis (-rank-1..rank). Returns rank+1.</summary>
    public static int ComputeOutputShape(ReadOnlySpan<int> valueShape, int axis, int count, Span<int> outputShape)
    {
        int rank = valueShape.Length + 1;
        int a = TensorShape.ResolveAxis(axis, rank);
        if (count < 1) throw new ArgumentException($"pack count must be >= 1, got {count}", nameof(count));
        for (int k = 0, j = 0; k < rank; k++) outputShape[k] = k == a ? count : valueShape[j++];
        return rank;
    }

    /// <summary>Writes input <paramref name="index"/> of <paramref name="count"/> into the packed output.</summary>
    /// <param name="input">One value tensor.</param><param name="valueShape">Shape of every value.</param>
    /// <param name="axis">Pack axis in the output's rank (negative counts from the end).</param>
    /// <param name="index">Position of this input.</param><param name="count">Number of inputs.</param>
    /// <param name="output">Packed output (count * value size elements).</param>
    public static void PackInput<T>(ReadOnlySpan<T> input, ReadOnlySpan<int> valueShape, int axis, int index, int count, Span<T> output)
    {
        Geometry(input.Length, valueShape, axis, index, count, output.Length, out int outer, out int inner);
        for (int o = 0; o < outer; o++)
            input.Slice(o * inner, inner).CopyTo(output.Slice((o * count + index) * inner, inner));
    }

    /// <summary>Reads output <paramref name="index"/> of UNPACK (num = <paramref name="count"/> = input dim on axis).</summary>
    /// <param name="input">Packed input.</param><param name="valueShape">Shape of each unpacked output (input shape without the axis).</param>
    /// <param name="axis">Unpack axis in the input's rank.</param><param name="index">Which output.</param>
    /// <param name="count">Input size on the axis.</param><param name="output">One output tensor.</param>
    public static void UnpackOutput<T>(ReadOnlySpan<T> input, ReadOnlySpan<int> valueShape, int axis, int index, int count, Span<T> output)
    {
        Geometry(output.Length, valueShape, axis, index, count, input.Length, out int outer, out int inner);
        for (int o = 0; o < outer; o++)
            input.Slice((o * count + index) * inner, inner).CopyTo(output.Slice(o * inner, inner));
    }

    private static void Geometry(int valueLen, ReadOnlySpan<int> valueShape, int axis, int index, int count, int packedLen, out int outer, out int inner)
    {
        TensorShape.CheckLength(valueLen, valueShape, "value");
        int a = TensorShape.ResolveAxis(axis, valueShape.Length + 1);
        if (count < 1 || index < 0 || index >= count) throw new ArgumentException($"index {index} is out of range for {count} values", nameof(index));
        if (packedLen != checked(valueLen * count)) throw new ArgumentException($"packed tensor holds {packedLen} elements, expected {count} x {valueLen}");
        outer = TensorShape.Product(valueShape, 0, a);
        inner = TensorShape.Product(valueShape, a, valueShape.Length);
    }
}
