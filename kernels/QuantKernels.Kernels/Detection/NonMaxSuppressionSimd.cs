using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace QuantKernels.Kernels.Detection;

/// <summary>
/// <see cref="NonMaxSuppression.SingleClass"/> with the score filter and the IoU of one selected box against all later
/// candidates vectorized. The candidates are laid out by score order as columns (ymin, xmin, ymax, xmax, area) so one
/// vector holds 8 (AVX2) or 4 (Vector128) candidates; each lane computes exactly the scalar IoU's float operations
/// (max/min, differences, products, one division) and suppresses under the same conditions (both areas positive, IoU
/// strictly above the threshold), so the selected boxes are the same as the scalar kernel's, in the same order.
/// </summary>
public static class NonMaxSuppressionSimd
{
    /// <summary>Floats of column scratch <see cref="SingleClass"/> needs for <paramref name="numBoxes"/> boxes.</summary>
    public static int ColumnLength(int numBoxes) => checked(numBoxes * 5);

    /// <summary>Greedy NMS for one class on <paramref name="path"/>; same arguments and result as
    /// <see cref="NonMaxSuppression.SingleClass"/>, plus column scratch of <see cref="ColumnLength"/> floats and an
    /// int per box (the scalar path uses <paramref name="active"/> instead).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int SingleClass(IsaPath path, ReadOnlySpan<float> boxes, ReadOnlySpan<float> scores, float scoreThreshold, float iouThreshold,
        int maxDetections, Span<ulong> sortKeys, Span<byte> active, Span<float> columns, Span<int> alive, Span<int> selected)
    {
        if (path == IsaPath.Scalar)
            return NonMaxSuppression.SingleClass(boxes, scores, scoreThreshold, iouThreshold, maxDetections, sortKeys, active, selected);
        int numBoxes = scores.Length;
        if (maxDetections < 0) throw new ArgumentException($"maxDetections {maxDetections} is negative", nameof(maxDetections));
        if (!(iouThreshold > 0f && iouThreshold <= 1f)) throw new ArgumentException($"IoU threshold {iouThreshold} is outside (0, 1]", nameof(iouThreshold));
        if ((long)boxes.Length < (long)numBoxes * 4) throw new ArgumentException($"boxes hold {boxes.Length} floats; {numBoxes} boxes need {(long)numBoxes * 4}", nameof(boxes));
        if (sortKeys.Length < numBoxes) throw new ArgumentException($"sortKeys scratch holds {sortKeys.Length}; needs {numBoxes}", nameof(sortKeys));
        if (columns.Length < ColumnLength(numBoxes)) throw new ArgumentException($"columns scratch holds {columns.Length}; needs {ColumnLength(numBoxes)}", nameof(columns));
        if (alive.Length < numBoxes) throw new ArgumentException($"alive scratch holds {alive.Length}; needs {numBoxes}", nameof(alive));
        if (selected.Length < Math.Min(numBoxes, maxDetections)) throw new ArgumentException($"selected holds {selected.Length}; needs {Math.Min(numBoxes, maxDetections)}", nameof(selected));

        int kept = Filter(path, scores, scoreThreshold, sortKeys);
        var keys = sortKeys[..kept];
        keys.Sort();
        int outputSize = Math.Min(kept, maxDetections);
        if (outputSize == 0) return 0;

        int padded = kept;
        var y0 = columns[..padded];
        var x0 = columns.Slice(padded, padded);
        var y1 = columns.Slice(2 * padded, padded);
        var x1 = columns.Slice(3 * padded, padded);
        var area = columns.Slice(4 * padded, padded);
        for (int k = 0; k < kept; k++)
        {
            var b = boxes.Slice(NonMaxSuppression.KeyIndex(keys[k]) * 4, 4);
            y0[k] = b[0]; x0[k] = b[1]; y1[k] = b[2]; x1[k] = b[3];
            area[k] = (b[2] - b[0]) * (b[3] - b[1]);
        }
        var live = alive[..kept];
        live.Fill(-1);

        int count = 0;
        for (int i = 0; i < kept && count < outputSize; i++)
        {
            if (live[i] == 0) continue;
            selected[count++] = NonMaxSuppression.KeyIndex(keys[i]);
            live[i] = 0;
            if (count == outputSize) break;
            float areaI = area[i];
            if (areaI <= 0) continue; // its IoU with every box is 0: it suppresses nothing
            int j = i + 1;
            if (path == IsaPath.Avx2) j = Suppress256(y0, x0, y1, x1, area, live, i, j, kept, iouThreshold);
            else j = Suppress128(y0, x0, y1, x1, area, live, i, j, kept, iouThreshold);
            for (; j < kept; j++)
            {
                if (live[j] == 0 || !(area[j] > 0)) continue;
                float ymin = Math.Max(y0[i], y0[j]), xmin = Math.Max(x0[i], x0[j]);
                float ymax = Math.Min(y1[i], y1[j]), xmax = Math.Min(x1[i], x1[j]);
                float inter = Math.Max(ymax - ymin, 0f) * Math.Max(xmax - xmin, 0f);
                if (inter / (areaI + area[j] - inter) > iouThreshold) live[j] = 0;
            }
        }
        return count;
    }

    /// <summary>Writes the sort keys of the scores at or above the threshold, in index order; returns how many.</summary>
    private static int Filter(IsaPath path, ReadOnlySpan<float> scores, float threshold, Span<ulong> keys)
    {
        int n = scores.Length, i = 0, kept = 0;
        ref float s = ref MemoryMarshal.GetReference(scores);
        if (path == IsaPath.Avx2)
        {
            var t = Vector256.Create(threshold);
            for (; i + 8 <= n; i += 8)
            {
                uint bits = Vector256.GreaterThanOrEqual(Vector256.LoadUnsafe(ref s, (nuint)i), t).ExtractMostSignificantBits();
                for (; bits != 0; bits &= bits - 1)
                {
                    int k = i + BitOperations.TrailingZeroCount(bits);
                    keys[kept++] = NonMaxSuppression.DescendingKey(scores[k], k);
                }
            }
        }
        else
        {
            var t = Vector128.Create(threshold);
            for (; i + 4 <= n; i += 4)
            {
                uint bits = Vector128.GreaterThanOrEqual(Vector128.LoadUnsafe(ref s, (nuint)i), t).ExtractMostSignificantBits();
                for (; bits != 0; bits &= bits - 1)
                {
                    int k = i + BitOperations.TrailingZeroCount(bits);
                    keys[kept++] = NonMaxSuppression.DescendingKey(scores[k], k);
                }
            }
        }
        for (; i < n; i++)
            if (scores[i] >= threshold) keys[kept++] = NonMaxSuppression.DescendingKey(scores[i], i);
        return kept;
    }

    /// <summary>Suppresses whole vectors of candidates from <paramref name="j"/>; returns the first one not done.</summary>
    private static int Suppress256(Span<float> y0, Span<float> x0, Span<float> y1, Span<float> x1, Span<float> area, Span<int> live,
        int i, int j, int kept, float iouThreshold)
    {
        var ay0 = Vector256.Create(y0[i]); var ax0 = Vector256.Create(x0[i]);
        var ay1 = Vector256.Create(y1[i]); var ax1 = Vector256.Create(x1[i]);
        var aArea = Vector256.Create(area[i]);
        var thr = Vector256.Create(iouThreshold);
        ref float ry0 = ref MemoryMarshal.GetReference(y0), rx0 = ref MemoryMarshal.GetReference(x0);
        ref float ry1 = ref MemoryMarshal.GetReference(y1), rx1 = ref MemoryMarshal.GetReference(x1);
        ref float rArea = ref MemoryMarshal.GetReference(area);
        ref int rLive = ref MemoryMarshal.GetReference(live);
        for (; j + 8 <= kept; j += 8)
        {
            nuint o = (nuint)j;
            var bArea = Vector256.LoadUnsafe(ref rArea, o);
            var h = Vector256.Max(Vector256.Min(ay1, Vector256.LoadUnsafe(ref ry1, o)) - Vector256.Max(ay0, Vector256.LoadUnsafe(ref ry0, o)), Vector256<float>.Zero);
            var w = Vector256.Max(Vector256.Min(ax1, Vector256.LoadUnsafe(ref rx1, o)) - Vector256.Max(ax0, Vector256.LoadUnsafe(ref rx0, o)), Vector256<float>.Zero);
            var inter = h * w;
            var suppress = Vector256.GreaterThan(inter / (aArea + bArea - inter), thr) & Vector256.GreaterThan(bArea, Vector256<float>.Zero);
            Vector256.AndNot(Vector256.LoadUnsafe(ref rLive, o), suppress.AsInt32()).StoreUnsafe(ref rLive, o);
        }
        return j;
    }

    private static int Suppress128(Span<float> y0, Span<float> x0, Span<float> y1, Span<float> x1, Span<float> area, Span<int> live,
        int i, int j, int kept, float iouThreshold)
    {
        var ay0 = Vector128.Create(y0[i]); var ax0 = Vector128.Create(x0[i]);
        var ay1 = Vector128.Create(y1[i]); var ax1 = Vector128.Create(x1[i]);
        var aArea = Vector128.Create(area[i]);
        var thr = Vector128.Create(iouThreshold);
        ref float ry0 = ref MemoryMarshal.GetReference(y0), rx0 = ref MemoryMarshal.GetReference(x0);
        ref float ry1 = ref MemoryMarshal.GetReference(y1), rx1 = ref MemoryMarshal.GetReference(x1);
        ref float rArea = ref MemoryMarshal.GetReference(area);
        ref int rLive = ref MemoryMarshal.GetReference(live);
        for (; j + 4 <= kept; j += 4)
        {
            nuint o = (nuint)j;
            var bArea = Vector128.LoadUnsafe(ref rArea, o);
            var h = Vector128.Max(Vector128.Min(ay1, Vector128.LoadUnsafe(ref ry1, o)) - Vector128.Max(ay0, Vector128.LoadUnsafe(ref ry0, o)), Vector128<float>.Zero);
            var w = Vector128.Max(Vector128.Min(ax1, Vector128.LoadUnsafe(ref rx1, o)) - Vector128.Max(ax0, Vector128.LoadUnsafe(ref rx0, o)), Vector128<float>.Zero);
            var inter = h * w;
            var suppress = Vector128.GreaterThan(inter / (aArea + bArea - inter), thr) & Vector128.GreaterThan(bArea, Vector128<float>.Zero);
            Vector128.AndNot(Vector128.LoadUnsafe(ref rLive, o), suppress.AsInt32()).StoreUnsafe(ref rLive, o);
        }
        return j;
    }
}
