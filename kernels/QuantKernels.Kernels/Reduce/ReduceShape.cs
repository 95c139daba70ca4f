using QuantKernels.Kernels.Layout;

namespace QuantKernels.Kernels.Reduce;

/// <summary>Output shape and element counts of a reduction over a set of axes (TFLite REDUCE semantics).</summary>
public static class ReduceShape
{
    /// <summary>
    /// Output shape of reducing <paramref name="inputShape"/> over <paramref name="axes"/> (negative axes count
    /// from the end; duplicates are ignored, as TFLite's ResolveAxis does). With <paramref name="keepDims"/>
    /// reduced axes become 1, otherwise they are dropped. Returns the output rank; writes the dims into
    /// <paramref name="outputShape"/> (length &gt;= input rank).
    /// </summary>
    public static int ComputeOutputShape(ReadOnlySpan<int> inputShape, ReadOnlySpan<int> axes, bool keepDims, Span<int> outputShape)
    {
        TensorShape.ElementCount(inputShape, "inputShape");
        Span<bool> reduced = stackalloc bool[TensorShape.MaxRank];
        Mark(inputShape.Length, axes, reduced);
        if (outputShape.Length < inputShape.Length) throw new ArgumentException("outputShape span is shorter than the input rank", nameof(outputShape));
        int r = 0;
        for (int i = 0; i < inputShape.Length; i++)
        {
            if (!reduced[i]) outputShape[r++] = inputShape[i];
            else if (keepDims) outputShape[r++] = 1;
        }
        return r;
    }

    /// <summary>Number of input elements folded into each output element (product of the reduced dims).</summary>
    public static int ReducedCount(ReadOnlySpan<int> inputShape, ReadOnlySpan<int> axes)
    {
        Span<bool> reduced = stackalloc bool[TensorShape.MaxRank];
        Mark(inputShape.Length, axes, reduced);
        int n = 1;
        for (int i = 0; i < inputShape.Length; i++) if (reduced[i]) n *= inputShape[i];
        return n;
    }

    internal static void Mark(int rank, ReadOnlySpan<int> axes, Span<bool> reduced)
    {
        if (rank > TensorShape.MaxRank) throw new ArgumentException($"rank {rank} exceeds {TensorShape.MaxRank}");
        foreach (int a in axes) reduced[TensorShape.ResolveAxis(a, rank, "axes")] = true;
    }
}

/// <summary>
/// Walks a reduction: outputs in row-major order of the kept dims, and for each output the reduced
/// elements in row-major order of the reduced dims (the order TFLite's reference sums in).
/// </summary>
internal ref struct ReduceWalker
{
    private readonly Span<int> _keptDims, _keptStrides, _redDims, _redStrides;
    private readonly int _keptRank, _redRank;
    public readonly int OutputCount, InnerCount;

    public ReduceWalker(ReadOnlySpan<int> inputShape, ReadOnlySpan<int> axes, Span<int> scratch32)
    {
        // scratch32 is stackalloc'ed by the caller (4 * MaxRank ints) so the walker itself never allocates.
        Span<bool> reduced = stackalloc bool[TensorShape.MaxRank];
        ReduceShape.Mark(inputShape.Length, axes, reduced);
        Span<int> strides = stackalloc int[TensorShape.MaxRank];
        TensorShape.Strides(inputShape, strides[..inputShape.Length]);
        _keptDims = scratch32[..8]; _keptStrides = scratch32[8..16]; _redDims = scratch32[16..24]; _redStrides = scratch32[24..32];
        int k = 0, r = 0;
        OutputCount = 1; InnerCount = 1;
        for (int i = 0; i < inputShape.Length; i++)
        {
            if (reduced[i]) { _redDims[r] = inputShape[i]; _redStrides[r++] = strides[i]; InnerCount *= inputShape[i]; }
            else { _keptDims[k] = inputShape[i]; _keptStrides[k++] = strides[i]; OutputCount *= inputShape[i]; }
        }
        _keptRank = k; _redRank = r;
    }

    public readonly int OuterOffset(int outIndex) => Offset(outIndex, _keptDims, _keptStrides, _keptRank);

    public readonly int InnerOffset(int innerIndex) => Offset(innerIndex, _redDims, _redStrides, _redRank);

    private static int Offset(int index, Span<int> dims, Span<int> strides, int rank)
    {
        int off = 0;
        for (int i = rank - 1; i >= 0; i--)
        {
            int d = dims[i];
            off += index % d * strides[i];
            index /= d;
        }
        return off;
    }
}
