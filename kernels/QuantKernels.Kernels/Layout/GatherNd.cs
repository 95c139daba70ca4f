using System.Numerics;

namespace QuantKernels.Kernels.Layout;

/// <summary>
/// GATHER_ND: indices of shape [..., k] address the first k dims of params; output shape =
/// indices.shape[:-1] + params.shape[k:]. Out-of-range indices throw <see cref="ArgumentException"/>.
/// </summary>
public static class GatherNd
{
    /// <summary>Output shape; returns its rank.</summary>
    public static int ComputeOutputShape(ReadOnlySpan<int> paramsShape, ReadOnlySpan<int> indicesShape, Span<int> outputShape)
    {
        int k = Depth(paramsShape, indicesShape);
        int r = 0;
        for (int i = 0; i < indicesShape.Length - 1; i++) outputShape[r++] = indicesShape[i];
        for (int i = k; i < paramsShape.Length; i++) outputShape[r++] = paramsShape[i];
        return r;
    }

    /// <summary>Gathers the addressed slices.</summary>
    public static void Run<T, TIndex>(ReadOnlySpan<T> input, ReadOnlySpan<int> paramsShape, ReadOnlySpan<TIndex> indices,
        ReadOnlySpan<int> indicesShape, Span<T> output) where TIndex : unmanaged, IBinaryInteger<TIndex>
    {
        TensorShape.CheckLength(input.Length, paramsShape, nameof(input));
        TensorShape.CheckLength(indices.Length, indicesShape, nameof(indices));
        int k = Depth(paramsShape, indicesShape);
        int n = TensorShape.Product(indicesShape, 0, indicesShape.Length - 1);
        int slice = TensorShape.Product(paramsShape, k, paramsShape.Length);
        if (output.Length != (long)n * slice) throw new ArgumentException($"output holds {output.Length} elements, gather_nd produces {(long)n * slice}", nameof(output));
        Span<int> strides = stackalloc int[paramsShape.Length];
        TensorShape.Strides(paramsShape, strides);
        for (int i = 0; i < n; i++)
        {
            int off = 0;
            for (int j = 0; j < k; j++)
            {
                long idx = long.CreateTruncating(indices[i * k + j]);
                if (idx < 0 || idx >= paramsShape[j]) throw new ArgumentException($"gather_nd index {idx} is out of range [0, {paramsShape[j]}) on dim {j}", nameof(indices));
                off += (int)idx * strides[j];
            }
            input.Slice(off, slice).CopyTo(output.Slice(i * slice, slice));
        }
    }

    private static int Depth(ReadOnlySpan<int> paramsShape, ReadOnlySpan<int> indicesShape)
    {
        if (indicesShape.Length < 1) throw new ArgumentException("gather_nd indices must have rank >= 1", nameof(indicesShape));
        int k = indicesShape[^1];
        if (k < 1 || k > paramsShape.Length) throw new ArgumentException($"gather_nd index depth {k} must be in [1, {paramsShape.Length}]", nameof(indicesShape));
        return k;
    }
}
