using System.Runtime.CompilerServices;

namespace QuantKernels.Kernels.Detection;

/// <summary>
/// Greedy single-class non-maximum suppression over corner boxes (ymin, xmin, ymax, xmax), TFLite's
/// NonMaxSuppressionSingleClassHelper: keep scores &gt;= threshold, visit them by decreasing score (ties: lower
/// index first, i.e. a stable sort), select a box and suppress every later one whose IoU with it is strictly
/// greater than the IoU threshold, until <c>maxDetections</c> are selected.
/// </summary>
public static class NonMaxSuppression
{
    /// <summary>Intersection over union of boxes <paramref name="i"/> and <paramref name="j"/>; 0 when either has a non-positive area.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float IntersectionOverUnion(ReadOnlySpan<float> boxes, int i, int j)
    {
        var a = boxes.Slice(i * 4, 4);
        var b = boxes.Slice(j * 4, 4);
        float areaI = (a[2] - a[0]) * (a[3] - a[1]);
        float areaJ = (b[2] - b[0]) * (b[3] - b[1]);
        if (areaI <= 0 || areaJ <= 0) return 0f;
        float ymin = Math.Max(a[0], b[0]);
        float xmin = Math.Max(a[1], b[1]);
        float ymax = Math.Min(a[2], b[2]);
        float xmax = Math.Min(a[3], b[3]);
        float inter = Math.Max(ymax - ymin, 0f) * Math.Max(xmax - xmin, 0f);
        return inter / (areaI + areaJ - inter);
    }

    /// <summary>
    /// A sort key ordering by decreasing score, then increasing <paramref name="index"/>: sorting these keys
    /// ascending is exactly TFLite's stable sort by score, without allocating.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong DescendingKey(float score, int index)
    {
        if (score == 0f) score = 0f; // -0 and +0 compare equal in TFLite's comparator: same key
        int bits = BitConverter.SingleToInt32Bits(score);
        // Map float order to unsigned order, then invert for descending.
        uint ordered = bits >= 0 ? (uint)bits | 0x8000_0000u : ~(uint)bits;
        return ((ulong)~ordered << 32) | (uint)index;
    }

    /// <summary>Recovers the index stored by <see cref="DescendingKey"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int KeyIndex(ulong key) => (int)(uint)key;

    /// <summary>Runs greedy NMS for one class; returns how many box indices were written to <paramref name="selected"/> (in selection order).</summary>
    /// <param name="boxes">Corner boxes [numBoxes, 4].</param>
    /// <param name="scores">One score per box (numBoxes).</param>
    /// <param name="scoreThreshold">Scores below it are dropped (a score equal to it is kept).</param>
    /// <param name="iouThreshold">A later box is suppressed when its IoU with a selected box is strictly greater; in (0, 1].</param>
    /// <param name="maxDetections">At most this many boxes are selected (&gt;= 0).</param>
    /// <param name="sortKeys">Scratch of at least numBoxes.</param>
    /// <param name="active">Scratch of at least numBoxes.</param>
    /// <param name="selected">Receives the selected box indices; at least min(numBoxes, maxDetections) long.</param>
    public static int SingleClass(ReadOnlySpan<float> boxes, ReadOnlySpan<float> scores, float scoreThreshold, float iouThreshold,
        int maxDetections, Span<ulong> sortKeys, Span<byte> active, Span<int> selected)
    {
        int numBoxes = scores.Length;
        if (maxDetections < 0) throw new ArgumentException($"maxDetections {maxDetections} is negative", nameof(maxDetections));
        if (!(iouThreshold > 0f && iouThreshold <= 1f)) throw new ArgumentException($"IoU threshold {iouThreshold} is outside (0, 1]", nameof(iouThreshold));
        if ((long)boxes.Length < (long)numBoxes * 4) throw new ArgumentException($"boxes hold {boxes.Length} floats; {numBoxes} boxes need {(long)numBoxes * 4}", nameof(boxes));
        if (sortKeys.Length < numBoxes) throw new ArgumentException($"sortKeys scratch holds {sortKeys.Length}; needs {numBoxes}", nameof(sortKeys));
        if (active.Length < numBoxes) throw new ArgumentException($"active scratch holds {active.Length}; needs {numBoxes}", nameof(active));
        if (selected.Length < Math.Min(numBoxes, maxDetections)) throw new ArgumentException($"selected holds {selected.Length}; needs {Math.Min(numBoxes, maxDetections)}", nameof(selected));

        int kept = 0;
        for (int i = 0; i < numBoxes; i++)
            if (scores[i] >= scoreThreshold) sortKeys[kept++] = DescendingKey(scores[i], i);
        var keys = sortKeys[..kept];
        keys.Sort();

        int outputSize = Math.Min(kept, maxDetections);
        int count = 0;
        int numActive = kept;
        var act = active[..kept];
        act.Fill(1);
        for (int i = 0; i < kept; i++)
        {
            if (numActive == 0 || count >= outputSize) break;
            if (act[i] == 0) continue;
            int bi = KeyIndex(keys[i]);
            selected[count++] = bi;
            act[i] = 0;
            numActive--;
            for (int j = i + 1; j < kept; j++)
            {
                if (act[j] == 0) continue;
                if (IntersectionOverUnion(boxes, bi, KeyIndex(keys[j])) > iouThreshold)
                {
                    act[j] = 0;
                    numActive--;
                }
            }
        }
        return count;
    }
}
