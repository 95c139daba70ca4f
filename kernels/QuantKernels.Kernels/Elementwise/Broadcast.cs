using System.Runtime.CompilerServices;

namespace QuantKernels.Kernels.Elementwise;

/// <summary>
/// TFLite's N-D broadcasting (numpy rules, ranks up to <see cref="MaxRank"/>): shapes are right-aligned,
/// each dimension pair must be equal or one of them 1. Shapes are passed as <see cref="ReadOnlySpan{T}"/>
/// of ints; a rank-0 shape (empty span) is a scalar.
/// </summary>
public static class Broadcast
{
    /// <summary>Largest rank the kernels accept (TFLite's broadcast kernels stop at 6 too).</summary>
    public const int MaxRank = 6;

    /// <summary>Number of elements of a shape (1 for rank 0). Throws on a negative dimension.</summary>
    public static int ElementCount(ReadOnlySpan<int> shape, string paramName = "shape")
    {
        long n = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"shape has a negative dimension ({d})", paramName);
            n *= d;
            if (n > int.MaxValue) throw new ArgumentException("shape has more than int.MaxValue elements", paramName);
        }
        return (int)n;
    }

    /// <summary>
    /// Writes the broadcast shape of <paramref name="a"/> and <paramref name="b"/> into <paramref name="output"/>
    /// (which must hold max(rank a, rank b) ints) and returns its rank.
    /// </summary>
    /// <exception cref="ArgumentException">Ranks above <see cref="MaxRank"/>, or a dimension pair that is neither equal nor 1.</exception>
    public static int OutputShape(ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> output)
    {
        if (a.Length > MaxRank) throw new ArgumentException($"rank {a.Length} exceeds {MaxRank}", nameof(a));
        if (b.Length > MaxRank) throw new ArgumentException($"rank {b.Length} exceeds {MaxRank}", nameof(b));
        int rank = Math.Max(a.Length, b.Length);
        if (output.Length < rank) throw new ArgumentException($"output span holds {output.Length} dims, need {rank}", nameof(output));
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da < 0 || db < 0) throw new ArgumentException("shapes must not have negative dimensions");
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException($"shapes [{string.Join(',', a.ToArray())}] and [{string.Join(',', b.ToArray())}] do not broadcast (axis {i}: {da} vs {db})");
            output[i] = da == 1 ? db : da;
        }
        return rank;
    }

    /// <summary>
    /// Runs <paramref name="op"/> over the broadcast of <paramref name="a"/> and <paramref name="b"/>.
    /// <paramref name="outShape"/> must equal the broadcast shape of the two inputs and every span must hold
    /// exactly its shape's element count. Fast paths: equal shapes, and either input holding one element.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes that do not broadcast, a wrong output shape, or span lengths that do not match the shapes.</exception>
    public static void Apply<TA, TB, TOut, TOp>(
        TOp op,
        ReadOnlySpan<int> aShape, ReadOnlySpan<TA> a,
        ReadOnlySpan<int> bShape, ReadOnlySpan<TB> b,
        ReadOnlySpan<int> outShape, Span<TOut> output)
        where TOp : struct, IBinaryElementOp<TA, TB, TOut>
        => ApplyRows(new ElementRows<TA, TB, TOut, TOp>(op), aShape, a, bShape, b, outShape, output);

    /// <summary>
    /// <see cref="Apply"/> with the work handed to <paramref name="rows"/> one contiguous output run at a time (the
    /// whole output for equal shapes or a one-element input, else each innermost row), so a row op can vectorize it.
    /// </summary>
    public static void ApplyRows<TA, TB, TOut, TRows>(
        TRows rows,
        ReadOnlySpan<int> aShape, ReadOnlySpan<TA> a,
        ReadOnlySpan<int> bShape, ReadOnlySpan<TB> b,
        ReadOnlySpan<int> outShape, Span<TOut> output)
        where TRows : struct, IBinaryRowOp<TA, TB, TOut>
    {
        Span<int> expected = stackalloc int[MaxRank];
        int rank = OutputShape(aShape, bShape, expected);
        if (!outShape.SequenceEqual(expected[..rank]))
            throw new ArgumentException($"output shape [{string.Join(',', outShape.ToArray())}] is not the broadcast shape [{string.Join(',', expected[..rank].ToArray())}]", nameof(outShape));
        int na = ElementCount(aShape, nameof(aShape)), nb = ElementCount(bShape, nameof(bShape)), no = ElementCount(outShape, nameof(outShape));
        if (a.Length != na) throw new ArgumentException($"input a has {a.Length} elements, its shape needs {na}", nameof(a));
        if (b.Length != nb) throw new ArgumentException($"input b has {b.Length} elements, its shape needs {nb}", nameof(b));
        if (output.Length != no) throw new ArgumentException($"output has {output.Length} elements, its shape needs {no}", nameof(output));
        if (no == 0) return;

        // Equal element counts with a valid broadcast means the shapes agree up to leading 1s: one flat run.
        if (na == no && nb == no) rows.Run(a, 1, b, 1, output);
        else if (nb == 1) rows.Run(a, 1, b, 0, output);
        else if (na == 1) rows.Run(a, 0, b, 1, output);
        else General(rows, aShape, a, bShape, b, expected[..rank], output);
    }

    private static void General<TA, TB, TOut, TRows>(
        TRows rows, ReadOnlySpan<int> aShape, ReadOnlySpan<TA> a, ReadOnlySpan<int> bShape, ReadOnlySpan<TB> b,
        ReadOnlySpan<int> outShape, Span<TOut> output)
        where TRows : struct, IBinaryRowOp<TA, TB, TOut>
    {
        // Pad everything to 6-D (leading 1s); a broadcast axis gets stride 0 in that input.
        Span<int> dims = stackalloc int[MaxRank];
        Span<int> sa = stackalloc int[MaxRank];
        Span<int> sb = stackalloc int[MaxRank];
        Pad(outShape, dims);
        Strides(aShape, dims, sa);
        Strides(bShape, dims, sb);

        int o = 0, n = dims[5];
        for (int i0 = 0; i0 < dims[0]; i0++)
        for (int i1 = 0; i1 < dims[1]; i1++)
        for (int i2 = 0; i2 < dims[2]; i2++)
        for (int i3 = 0; i3 < dims[3]; i3++)
        for (int i4 = 0; i4 < dims[4]; i4++)
        {
            int ia = i0 * sa[0] + i1 * sa[1] + i2 * sa[2] + i3 * sa[3] + i4 * sa[4];
            int ib = i0 * sb[0] + i1 * sb[1] + i2 * sb[2] + i3 * sb[3] + i4 * sb[4];
            rows.Run(a[ia..], sa[5], b[ib..], sb[5], output.Slice(o, n));
            o += n;
        }
    }

    /// <summary>A row op applying an element op one element at a time.</summary>
    private readonly struct ElementRows<TA, TB, TOut, TOp>(TOp op) : IBinaryRowOp<TA, TB, TOut>
        where TOp : struct, IBinaryElementOp<TA, TB, TOut>
    {
        public void Run(ReadOnlySpan<TA> a, int strideA, ReadOnlySpan<TB> b, int strideB, Span<TOut> output)
        {
            for (int i = 0, ia = 0, ib = 0; i < output.Length; i++, ia += strideA, ib += strideB)
                output[i] = op.Invoke(a[ia], b[ib]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pad(ReadOnlySpan<int> shape, Span<int> dims6)
    {
        int lead = MaxRank - shape.Length;
        for (int i = 0; i < MaxRank; i++) dims6[i] = i < lead ? 1 : shape[i - lead];
    }

    private static void Strides(ReadOnlySpan<int> shape, ReadOnlySpan<int> outDims6, Span<int> strides6)
    {
        Span<int> d = stackalloc int[MaxRank];
        Pad(shape, d);
        int stride = 1;
        for (int i = MaxRank - 1; i >= 0; i--)
        {
            strides6[i] = d[i] == 1 && outDims6[i] != 1 ? 0 : stride;
            stride *= d[i];
        }
    }
}
