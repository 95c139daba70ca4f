using System.Numerics;

namespace QuantKernels.Kernels.Layout;

/// <summary>
/// GATHER (TFLite semantics with batch_dims): output shape = params[:axis] + indices[batch_dims:] + params[axis+1:],
/// output[b, o, i, j] = params[b, o, indices[b, i], j]. Indices are int32 or int64; any index outside
/// [0, params.shape[axis]) throws <see cref="ArgumentException"/> (TFLite returns an error).
/// </summary>
public static class Gather
{
    /// <summary>Output shape; returns its rank. Negative axis counts from the end of params, negative batchDims from the end of indices.</summary>
    public static int ComputeOutputShape(ReadOnlySpan<int> paramsShape, ReadOnlySpan<int> indicesShape, int axis, int batchDims, Span<int> outputShape)
    {
        Resolve(paramsShape, indicesShape, ref axis, ref batchDims);
        int r = 0;
        for (int k = 0; k < axis; k++) outputShape[r++] = paramsShape[k];
        for (int k = batchDims; k < indicesShape.Length; k++) outputShape[r++] = indicesShape[k];
        for (int k = axis + 1; k < paramsShape.Length; k++) outputShape[r++] = paramsShape[k];
        return r;
    }

    /// <summary>Gathers slices of <paramref name="input"/> along <paramref name="axis"/>.</summary>
    /// <param name="input">The params tensor.</param><param name="paramsShape">Its shape.</param>
    /// <param name="indices">int32 or int64 indices.</param><param name="indicesShape">Their shape.</param>
    /// <param name="axis">Gather axis of params.</param><param name="batchDims">Leading dims shared by params and indices.</param>
    /// <param name="output">Output of <see cref="ComputeOutputShape"/>'s shape.</param>
    public static void Run<T, TIndex>(ReadOnlySpan<T> input, ReadOnlySpan<int> paramsShape, ReadOnlySpan<TIndex> indices,
        ReadOnlySpan<int> indicesShape, int axis, int batchDims, Span<T> output)
        where TIndex : unmanaged, IBinaryInteger<TIndex>
    {
        TensorShape.CheckLength(input.Length, paramsShape, nameof(input));
        TensorShape.CheckLength(indices.Length, indicesShape, nameof(indices));
        Resolve(paramsShape, indicesShape, ref axis, ref batchDims);
        int batch = TensorShape.Product(paramsShape, 0, batchDims);
        int outer = TensorShape.Product(paramsShape, batchDims, axis);
        int axisSize = paramsShape[axis];
        int inner = TensorShape.Product(paramsShape, axis + 1, paramsShape.Length);
        int coords = TensorShape.Product(indicesShape, batchDims, indicesShape.Length);
        long expected = (long)batch * outer * coords * inner;
        if (output.Length != expected) throw new ArgumentException($"output holds {output.Length} elements, gather produces {expected}", nameof(output));
        for (int b = 0; b < batch; b++)
            for (int o = 0; o < outer; o++)
                for (int i = 0; i < coords; i++)
                {
                    long idx = long.CreateTruncating(indices[b * coords + i]);
                    if (idx < 0 || idx >= axisSize) throw new ArgumentException($"gather index {idx} is out of range [0, {axisSize})", nameof(indices));
                    int src = ((b * outer + o) * axisSize + (int)idx) * inner;
                    int dst = ((b * outer + o) * coords + i) * inner;
                    input.Slice(src, inner).CopyTo(output.Slice(dst, inner));
                }
    }

    private static void Resolve(ReadOnlySpan<int> paramsShape, ReadOnlySpan<int> indicesShape, ref int axis, ref int batchDims)
    {
        axis = TensorShape.ResolveAxis(axis, paramsShape.Length, nameof(axis));
        if (batchDims < 0) batchDims += indicesShape.Length;
        if (batchDims < 0 || batchDims > indicesShape.Length) throw new ArgumentException($"batch_dims {batchDims} is out of range for indices rank {indicesShape.Length}", nameof(batchDims));
        if (batchDims > axis) throw new ArgumentException($"batch_dims {batchDims} must be <= axis {axis}", nameof(batchDims));
        for (int k = 0; k < batchDims; k++)
            if (paramsShape[k] != indicesShape[k]) throw new ArgumentException($"params and indices differ in batch dim {k}: {paramsShape[k]} vs {indicesShape[k]}");
    }
}
