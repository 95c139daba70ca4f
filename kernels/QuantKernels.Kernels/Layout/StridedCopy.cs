namespace QuantKernels.Kernels.Layout;

/// <summary>
/// The one N-D gather loop behind SLICE, STRIDED_SLICE and SPLIT: output element (i0..in) comes from input
/// index (start_k + i_k * step_k) on every axis k; output is written in row-major order.
/// </summary>
internal static class StridedCopy
{
    public static void Run<T>(ReadOnlySpan<T> input, ReadOnlySpan<int> inputShape, ReadOnlySpan<int> starts,
        ReadOnlySpan<int> steps, ReadOnlySpan<int> counts, Span<T> output)
    {
        int rank = inputShape.Length;
        int total = 1;
        for (int k = 0; k < rank; k++) total *= counts[k];
        if (output.Length != total) throw new ArgumentException($"output holds {output.Length} elements, the slice has {total}", nameof(output));
        if (total == 0) return;
        if (rank == 0) { output[0] = input[0]; return; }
        Span<int> strides = stackalloc int[rank];
        TensorShape.Strides(inputShape, strides);
        Span<int> idx = stackalloc int[rank];
        int baseOff = 0;
        for (int k = 0; k < rank; k++) baseOff += starts[k] * strides[k];
        int last = rank - 1;
        int lastStep = steps[last] * strides[last], lastCount = counts[last];
        int o = 0;
        while (true)
        {
            int off = baseOff;
            for (int k = 0; k < last; k++) off += idx[k] * steps[k] * strides[k];
            for (int i = 0; i < lastCount; i++) output[o++] = input[off + i * lastStep];
            int d = last - 1;
            while (d >= 0 && ++idx[d] == counts[d]) { idx[d] = 0; d--; }
            if (d < 0) break;
        }
    }
}
