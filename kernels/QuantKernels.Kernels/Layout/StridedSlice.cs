namespace QuantKernels.Kernels.Layout;

/// <summary>STRIDED_SLICE options, TFLite's StridedSliceOptions (bit i of a mask refers to entry i of begin/end/strides).</summary>
/// <param name="BeginMask">Bit set: ignore begin[i], start from the first (stride &gt; 0) or last element.</param>
/// <param name="EndMask">Bit set: ignore end[i], run to the end in the stride's direction.</param>
/// <param name="EllipsisMask">Bit set: entry i is an ellipsis covering all unspecified dims (at most one).</param>
/// <param name="NewAxisMask">Bit set: entry i inserts a new dim of size 1.</param>
/// <param name="ShrinkAxisMask">Bit set: take the single element begin[i] and drop the dim.</param>
/// <param name="Offset">When true, end[i] is relative to the resolved begin[i].</param>
public readonly record struct StridedSliceOptions(int BeginMask = 0, int EndMask = 0, int EllipsisMask = 0,
    int NewAxisMask = 0, int ShrinkAxisMask = 0, bool Offset = false);

/// <summary>
/// STRIDED_SLICE with TFLite's semantics (strided_slice.cc BuildStridedSliceParams + strided_slice_logic.h):
/// ellipsis and new axes are expanded to an "effective" input shape; per axis
/// start = clamp(begin (+size if negative), 0..size or -1..size-1 by stride sign), begin_mask overrides to
/// 0 / size-1; end likewise (end_mask -&gt; size / -1; offset adds start); shrink takes one element;
/// dim = max(0, ceil((end - start) / stride)). The output shape is exposed separately so it can be computed at prepare.
/// </summary>
public static class StridedSlice
{
    /// <summary>
    /// Output shape. Returns the output rank and writes the dims into <paramref name="outputShape"/>
    /// (length &gt;= input rank + begin length is always enough).
    /// </summary>
    public static int ComputeOutputShape(ReadOnlySpan<int> inputShape, ReadOnlySpan<int> begin, ReadOnlySpan<int> end,
        ReadOnlySpan<int> strides, in StridedSliceOptions options, Span<int> outputShape)
    {
        Span<int> effShape = stackalloc int[2 * TensorShape.MaxRank];
        Span<int> start = stackalloc int[2 * TensorShape.MaxRank];
        Span<int> step = stackalloc int[2 * TensorShape.MaxRank];
        Span<int> count = stackalloc int[2 * TensorShape.MaxRank];
        Span<bool> shrink = stackalloc bool[2 * TensorShape.MaxRank];
        int eff = Resolve(inputShape, begin, end, strides, options, effShape, start, step, count, shrink);
        int r = 0;
        for (int i = 0; i < eff; i++)
            if (!shrink[i])
            {
                if (r >= outputShape.Length) throw new ArgumentException("outputShape span is too short", nameof(outputShape));
                outputShape[r++] = count[i];
            }
        return r;
    }

    /// <summary>Runs the slice; <paramref name="output"/> must hold exactly the elements of the computed output shape.</summary>
    public static void Run<T>(ReadOnlySpan<T> input, ReadOnlySpan<int> inputShape, ReadOnlySpan<int> begin, ReadOnlySpan<int> end,
        ReadOnlySpan<int> strides, in StridedSliceOptions options, Span<T> output)
    {
        TensorShape.CheckLength(input.Length, inputShape, nameof(input));
        Span<int> effShape = stackalloc int[2 * TensorShape.MaxRank];
        Span<int> start = stackalloc int[2 * TensorShape.MaxRank];
        Span<int> step = stackalloc int[2 * TensorShape.MaxRank];
        Span<int> count = stackalloc int[2 * TensorShape.MaxRank];
        Span<bool> shrink = stackalloc bool[2 * TensorShape.MaxRank];
        int eff = Resolve(inputShape, begin, end, strides, options, effShape, start, step, count, shrink);
        StridedCopy.Run(input, effShape[..eff], start[..eff], step[..eff], count[..eff], output);
    }

    private static int Resolve(ReadOnlySpan<int> inputShape, ReadOnlySpan<int> begin, ReadOnlySpan<int> end, ReadOnlySpan<int> strides,
        in StridedSliceOptions o, Span<int> effShape, Span<int> start, Span<int> step, Span<int> count, Span<bool> shrink)
    {
        int inputDims = inputShape.Length;
        TensorShape.ElementCount(inputShape, "inputShape");
        int n = begin.Length;
        if (end.Length != n || strides.Length != n) throw new ArgumentException($"begin, end and strides must have equal lengths, got {begin.Length}, {end.Length}, {strides.Length}");
        if (n > TensorShape.MaxRank) throw new ArgumentException($"at most {TensorShape.MaxRank} slice entries are supported");
        if (System.Numerics.BitOperations.PopCount((uint)o.EllipsisMask) > 1) throw new ArgumentException("ellipsis_mask may have at most one bit set");

        int numAddAxis = 0;
        for (int i = 0; i < n; i++)
            if ((o.EllipsisMask & (1 << i)) == 0 && (o.NewAxisMask & (1 << i)) != 0) numAddAxis++;
        int effDims = inputDims + numAddAxis;
        if (n > effDims && o.EllipsisMask == 0) throw new ArgumentException($"{n} slice entries exceed the input rank {inputDims}");

        // Which effective dims the ellipsis covers, and which are new axes (TFLite's effective masks).
        int effEllipsis = 0, effNewAxis = 0, ellipsisStart = effDims, expanded = 0;
        for (int i = 0; i < effDims;)
        {
            if ((o.EllipsisMask & (1 << i)) != 0)
            {
                ellipsisStart = i;
                int ellipsisEnd = Math.Max(i + 1, Math.Min(i + 1 + numAddAxis + inputDims - n, effDims));
                expanded = ellipsisEnd - ellipsisStart - 1;
                for (; i < ellipsisEnd; i++) effEllipsis |= 1 << i;
                continue;
            }
            if (i - expanded >= 0 && ((1 << (i - expanded)) & o.NewAxisMask) != 0) effNewAxis |= 1 << i;
            i++;
        }

        int addedEllipsis = 0, addedAxes = 0;
        for (int i = 0; i < effDims; i++)
        {
            int b, e, s; bool bm, em, sh = false;
            if ((effEllipsis & (1 << i)) != 0)
            {
                addedEllipsis = Math.Max(0, i - ellipsisStart);
                b = 0; e = 0; s = 1; bm = em = true;
                effShape[i] = inputShape[i - addedAxes];
            }
            else if ((effNewAxis & (1 << i)) != 0)
            {
                b = 0; e = 1; s = 1; bm = em = false;
                effShape[i] = 1;
                addedAxes++;
            }
            else if (i >= n + expanded)
            {
                b = 0; e = 0; s = 1; bm = em = true;
                effShape[i] = inputShape[i - addedAxes];
            }
            else
            {
                int orig = i - addedEllipsis;
                b = begin[orig]; e = end[orig]; s = strides[orig];
                bm = (o.BeginMask & (1 << orig)) != 0;
                em = (o.EndMask & (1 << orig)) != 0;
                sh = (o.ShrinkAxisMask & (1 << orig)) != 0;
                effShape[i] = inputShape[i - addedAxes];
            }
            if (s == 0) throw new ArgumentException($"stride of slice entry {i} is zero", nameof(strides));
            int size = effShape[i];

            int st = b;
            if (st < 0) st += size;
            st = s > 0 ? Math.Clamp(st, 0, size) : Math.Clamp(st, -1, size - 1);
            if (bm) st = s > 0 ? 0 : size - 1;

            int en;
            if (sh)
            {
                if (st < 0 || st >= size) throw new ArgumentException($"shrink index {b} is out of range for axis of size {size}", nameof(begin));
                en = st + 1;
            }
            else
            {
                en = e;
                if (o.Offset) en += st;
                if (en < 0) en += size;
                en = s > 0 ? Math.Clamp(en, 0, size) : Math.Clamp(en, -1, size - 1);
                if (em) en = s > 0 ? size : -1;
            }
            int dim = sh ? 1 : (int)Math.Ceiling((en - st) / (double)s);
            if (dim < 0) dim = 0;
            start[i] = dim == 0 ? 0 : st;
            step[i] = sh ? 1 : s;
            count[i] = dim;
            shrink[i] = sh;
        }
        return effDims;
    }
}
