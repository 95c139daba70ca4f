namespace QuantKernels.Kernels.Layout;

/// <summary>TRANSPOSE: output dim i is input dim perm[i]; rank &lt;= 6 as in TFLite.</summary>
public static class Transpose
{
    /// <summary>Largest rank TFLite's TRANSPOSE accepts.</summary>
    public const int MaxRank = 6;

    /// <summary>Output shape; throws unless perm is a permutation of 0..rank-1 (negative entries count from the end).</summary>
    public static void ComputeOutputShape(ReadOnlySpan<int> inputShape, ReadOnlySpan<int> perm, Span<int> outputShape)
    {
        int rank = inputShape.Length;
        if (rank > MaxRank) throw new ArgumentException($"transpose supports rank <= {MaxRank}, got {rank}", nameof(inputShape));
        if (perm.Length != rank) throw new ArgumentException($"perm has {perm.Length} entries, input rank is {rank}", nameof(perm));
        Span<bool> seen = stackalloc bool[MaxRank];
        for (int i = 0; i < rank; i++)
        {
            int p = TensorShape.ResolveAxis(perm[i], rank, nameof(perm));
            if (seen[p]) throw new ArgumentException($"perm repeats axis {p}", nameof(perm));
            seen[p] = true;
            outputShape[i] = inputShape[p];
        }
    }

    /// <summary>Transposes <paramref name="input"/> into <paramref name="output"/>.</summary>
    public static void Run<T>(ReadOnlySpan<T> input, ReadOnlySpan<int> inputShape, ReadOnlySpan<int> perm, Span<T> output)
    {
        TensorShape.CheckLength(input.Length, inputShape, nameof(input));
        int rank = inputShape.Length;
        Span<int> outShape = stackalloc int[MaxRank];
        ComputeOutputShape(inputShape, perm, outShape);
        if (output.Length != input.Length) throw new ArgumentException($"output holds {output.Length} elements, input {input.Length}", nameof(output));
        if (input.Length == 0) return;
        if (rank == 0) { output[0] = input[0]; return; }
        Span<int> inStrides = stackalloc int[MaxRank];
        TensorShape.Strides(inputShape, inStrides[..rank]);
        // Input stride of each output axis: walking the output in order reads the input at these strides.
        Span<int> steps = stackalloc int[MaxRank];
        for (int i = 0; i < rank; i++) steps[i] = inStrides[TensorShape.ResolveAxis(perm[i], rank)];
        Span<int> idx = stackalloc int[MaxRank];
        int last = rank - 1, o = 0;
        while (true)
        {
            int off = 0;
            for (int k = 0; k < last; k++) off += idx[k] * steps[k];
            for (int j = 0; j < outShape[last]; j++) output[o++] = input[off + j * steps[last]];
            int d = last - 1;
            while (d >= 0 && ++idx[d] == outShape[d]) { idx[d] = 0; d--; }
            if (d < 0) break;
        }
    }
}
