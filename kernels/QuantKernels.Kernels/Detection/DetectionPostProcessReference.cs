namespace QuantKernels.Kernels.Detection;

/// <summary>
/// TFLite_Detection_PostProcess on float inputs (TFLite's detection_postprocess.cc semantics): decode boxes
/// against anchors, then fast NMS (best classes per anchor, NMS on each anchor's best score) or regular NMS
/// (per class, merged by score). Sorting is stable (ties keep the lower index), which TFLite guarantees for the
/// NMS order and which we also apply where TFLite's partial sort leaves ties unspecified. The scalar path is the
/// reference; the vectorized paths (<see cref="NonMaxSuppressionSimd"/>, the vectorized best-class search) give the
/// same outputs bit for bit.
/// </summary>
public static class DetectionPostProcessReference
{
    /// <summary>Runs the op; returns num_detections.</summary>
    /// <param name="boxEncodings">[numBoxes, encodingStride] with (ty, tx, th, tw) first.</param>
    /// <param name="encodingStride">Floats per encoding row (&gt;= 4; extra values are keypoints and ignored).</param>
    /// <param name="scores">[numBoxes, scoreStride] class scores; scoreStride is num_classes (no background) or num_classes + 1 (column 0 is the background and skipped).</param>
    /// <param name="scoreStride">Scores per anchor row.</param>
    /// <param name="anchors">[numBoxes, 4] as (ycenter, xcenter, h, w).</param>
    /// <param name="scratch">Working memory sized for numBoxes and these options; <see cref="DetectionScratch.DecodedBoxes"/> holds the decoded boxes afterwards.</param>
    /// <param name="outBoxes">[OutputRows, 4] (ymin, xmin, ymax, xmax); rows past the detections are zero.</param>
    /// <param name="outClasses">[OutputRows] class index (0-based, background excluded) as float.</param>
    /// <param name="outScores">[OutputRows] scores.</param>
    /// <param name="path">ISA path of NMS and the best-class search (<see cref="IsaPath.Scalar"/>: the reference loops).</param>
    public static int Run(ReadOnlySpan<float> boxEncodings, int encodingStride, ReadOnlySpan<float> scores, int scoreStride,
        ReadOnlySpan<float> anchors, DetectionScratch scratch, Span<float> outBoxes, Span<float> outClasses, Span<float> outScores,
        IsaPath path = IsaPath.Scalar)
    {
        path = Dispatch.Select(path);
        ArgumentNullException.ThrowIfNull(scratch);
        var p = scratch.Params;
        int numBoxes = scratch.NumBoxes;
        int labelOffset = scoreStride - p.NumClasses;
        if (labelOffset is < 0 or > 1)
            throw new ArgumentException($"scores have {scoreStride} columns; num_classes {p.NumClasses} needs {p.NumClasses} or {p.NumClasses + 1}", nameof(scoreStride));
        if ((long)scores.Length < (long)numBoxes * scoreStride)
            throw new ArgumentException($"scores hold {scores.Length} floats; {numBoxes} x {scoreStride} needed", nameof(scores));
        if (!(p.IouThreshold > 0f && p.IouThreshold <= 1f))
            throw new ArgumentException($"nms_iou_threshold {p.IouThreshold} is outside (0, 1]", nameof(scratch));
        int rows = p.OutputRows;
        if (outBoxes.Length < rows * 4 || outClasses.Length < rows || outScores.Length < rows)
            throw new ArgumentException($"outputs must hold {rows} rows (boxes {rows * 4}, classes {rows}, scores {rows})");

        var boxes = scratch.DecodedBoxes.AsSpan(0, numBoxes * 4);
        BoxDecoding.DecodeCenterSize(boxEncodings, encodingStride, anchors, numBoxes, p.Scales, boxes);
        for (int i = 0; i < numBoxes; i++)
            if (boxes[i * 4] > boxes[i * 4 + 2] || boxes[i * 4 + 1] > boxes[i * 4 + 3])
                throw new ArgumentException($"decoded box {i} has ymin > ymax or xmin > xmax (negative anchor size?)", nameof(anchors));

        outBoxes[..(rows * 4)].Clear();
        outClasses[..rows].Clear();
        outScores[..rows].Clear();
        return p.UseRegularNms
            ? Regular(path, boxes, scores, scoreStride, labelOffset, scratch, outBoxes, outClasses, outScores)
            : Fast(path, boxes, scores, scoreStride, labelOffset, scratch, outBoxes, outClasses, outScores);
    }

    private static int Nms(IsaPath path, ReadOnlySpan<float> boxes, ReadOnlySpan<float> scores, int maxDetections, DetectionScratch s)
        => NonMaxSuppressionSimd.SingleClass(path, boxes, scores, s.Params.ScoreThreshold, s.Params.IouThreshold, maxDetections,
            s.SortKeys, s.Active, s.Columns, s.Alive, s.Selected);

    private static int Fast(IsaPath path, ReadOnlySpan<float> boxes, ReadOnlySpan<float> scores, int stride, int labelOffset,
        DetectionScratch s, Span<float> outBoxes, Span<float> outClasses, Span<float> outScores)
    {
        var p = s.Params;
        int numBoxes = s.NumBoxes;
        int k = Math.Min(p.MaxClassesPerDetection, p.NumClasses);
        var maxScores = s.BoxScores.AsSpan(0, numBoxes);
        for (int row = 0; row < numBoxes; row++)
        {
            var rowScores = scores.Slice(row * stride + labelOffset, p.NumClasses);
            var classes = s.ClassIndices.AsSpan(row * k, k);
            if (k == 1 && path != IsaPath.Scalar) classes[0] = BestClass.Find(path, rowScores);
            else TopClasses(rowScores, classes);
            maxScores[row] = rowScores[classes[0]];
        }
        int n = Nms(path, boxes, maxScores, p.MaxDetections, s);
        for (int d = 0; d < n; d++)
        {
            int anchor = s.Selected[d];
            var rowScores = scores.Slice(anchor * stride + labelOffset, p.NumClasses);
            for (int c = 0; c < k; c++)
            {
                // TFLite strides the rows by max_classes_per_detection even when fewer classes exist.
                int o = d * p.MaxClassesPerDetection + c;
                boxes.Slice(anchor * 4, 4).CopyTo(outBoxes.Slice(o * 4, 4));
                int cls = s.ClassIndices[anchor * k + c];
                outClasses[o] = cls;
                outScores[o] = rowScores[cls];
            }
        }
        return n;
    }

    /// <summary>The top classes.Length class indices by decreasing score, ties to the lower index.</summary>
    private static void TopClasses(ReadOnlySpan<float> rowScores, Span<int> classes)
    {
        int prev = -1;
        float prevScore = 0;
        for (int t = 0; t < classes.Length; t++)
        {
            int best = -1;
            float bestScore = 0;
            for (int c = 0; c < rowScores.Length; c++)
            {
                float v = rowScores[c];
                // Candidates come strictly after the previous pick in (score desc, index asc) order.
                if (prev >= 0 && !(v < prevScore || (v == prevScore && c > prev))) continue;
                if (best < 0 || v > bestScore) { best = c; bestScore = v; }
            }
            if (best < 0) best = 0; // only with NaN scores; keep TFLite's index-0 fallback of argmax
            classes[t] = best;
            prev = best;
            prevScore = rowScores[best];
        }
    }

    private static int Regular(IsaPath path, ReadOnlySpan<float> boxes, ReadOnlySpan<float> scores, int stride, int labelOffset,
        DetectionScratch s, Span<float> outBoxes, Span<float> outClasses, Span<float> outScores)
    {
        var p = s.Params;
        if (p.DetectionsPerClass <= 0) throw new ArgumentException($"detections_per_class {p.DetectionsPerClass} must be positive");
        int numBoxes = s.NumBoxes;
        int perClass = Math.Min(p.DetectionsPerClass, p.MaxDetections);
        var classScores = s.BoxScores.AsSpan(0, numBoxes);
        int size = 0;
        for (int col = 0; col < p.NumClasses; col++)
        {
            for (int row = 0; row < numBoxes; row++) classScores[row] = scores[row * stride + col + labelOffset];
            int n = Nms(path, boxes, classScores, perClass, s);
            int total = size;
            for (int d = 0; d < n; d++)
            {
                int a = s.Selected[d];
                s.MergedAnchors[total] = a;
                s.MergedClasses[total] = col;
                s.MergedScores[total] = classScores[a];
                total++;
            }
            // Keep the best max_detections of (previous best, this class), stable by position.
            int keep = Math.Min(total, p.MaxDetections);
            var keys = s.SortKeys.AsSpan(0, total);
            for (int i = 0; i < total; i++) keys[i] = NonMaxSuppression.DescendingKey(s.MergedScores[i], i);
            keys.Sort();
            for (int i = 0; i < keep; i++)
            {
                int from = NonMaxSuppression.KeyIndex(keys[i]);
                s.TopAnchors[i] = s.MergedAnchors[from];
                s.TopClasses[i] = s.MergedClasses[from];
                s.TopScores[i] = s.MergedScores[from];
            }
            s.TopAnchors.AsSpan(0, keep).CopyTo(s.MergedAnchors);
            s.TopClasses.AsSpan(0, keep).CopyTo(s.MergedClasses);
            s.TopScores.AsSpan(0, keep).CopyTo(s.MergedScores);
            size = keep;
        }
        for (int o = 0; o < size; o++)
        {
            boxes.Slice(s.MergedAnchors[o] * 4, 4).CopyTo(outBoxes.Slice(o * 4, 4));
            outClasses[o] = s.MergedClasses[o];
            outScores[o] = s.MergedScores[o];
        }
        return size;
    }
}
