using QuantKernels.Datasets;
using QuantKernels.Training.Model;

namespace QuantKernels.Training.Data;

/// <summary>
/// Assigns ground truth to anchors: IoU &gt;= <see cref="PositiveIoU"/> is a positive, below
/// <see cref="NegativeIoU"/> background, between ignored; every object also claims its best anchor. Positives get the
/// SSD box encoding ((y, x) offsets in anchor units x 10, log size ratios x 5), which TFLite's post-process decodes.
/// </summary>
public sealed class BoxMatcher
{
    private readonly float[,] _anchors;
    private readonly BoundingBox[] _anchorBoxes;

    /// <summary>Creates a matcher for anchors [A, 4] (ycenter, xcenter, h, w).</summary>
    public BoxMatcher(float[,] anchors)
    {
        _anchors = anchors;
        _anchorBoxes = new BoundingBox[anchors.GetLength(0)];
        for (int a = 0; a < _anchorBoxes.Length; a++)
            _anchorBoxes[a] = new BoundingBox(anchors[a, 1] - anchors[a, 3] / 2, anchors[a, 0] - anchors[a, 2] / 2,
                                              anchors[a, 1] + anchors[a, 3] / 2, anchors[a, 0] + anchors[a, 2] / 2);
    }

    /// <summary>IoU from which an anchor is a positive.</summary>
    public float PositiveIoU { get; init; } = 0.5f;

    /// <summary>IoU below which an anchor is background.</summary>
    public float NegativeIoU { get; init; } = 0.4f;

    /// <summary>Number of anchors.</summary>
    public int AnchorCount => _anchorBoxes.Length;

    /// <summary>
    /// Fills <paramref name="labels"/> [A] (-1 ignore, 0 background, 1 + class) and <paramref name="encodings"/> [A * 4]
    /// (only positives are meaningful) for one image; returns the number of positives.
    /// </summary>
    public int Match(IReadOnlyList<LabeledBox> objects, Span<long> labels, Span<float> encodings)
    {
        int n = AnchorCount;
        var bestIoU = new float[n];
        var bestObject = new int[n];
        Array.Fill(bestObject, -1);
        for (int o = 0; o < objects.Count; o++)
            for (int a = 0; a < n; a++)
            {
                float iou = _anchorBoxes[a].IoU(objects[o].Box);
                if (iou > bestIoU[a]) { bestIoU[a] = iou; bestObject[a] = o; }
            }
        // Each object claims its best anchor (ties: the first), even below the positive threshold.
        for (int o = 0; o < objects.Count; o++)
        {
            int best = -1;
            float bestValue = 0;
            for (int a = 0; a < n; a++)
            {
                float iou = _anchorBoxes[a].IoU(objects[o].Box);
                if (iou > bestValue) { bestValue = iou; best = a; }
            }
            if (best >= 0) { bestIoU[best] = 2; bestObject[best] = o; }
        }
        int positives = 0;
        for (int a = 0; a < n; a++)
        {
            if (bestIoU[a] >= PositiveIoU && bestObject[a] >= 0)
            {
                var box = objects[bestObject[a]].Box;
                labels[a] = objects[bestObject[a]].Label + 1;
                Encode(box, a, encodings.Slice(a * 4, 4));
                positives++;
            }
            else
            {
                labels[a] = bestIoU[a] < NegativeIoU ? 0 : -1;
                encodings.Slice(a * 4, 4).Clear();
            }
        }
        return positives;
    }

    private void Encode(BoundingBox box, int a, Span<float> into)
    {
        var s = AnchorConfig.CoderScales;
        float cy = (box.YMin + box.YMax) / 2, cx = (box.XMin + box.XMax) / 2;
        float h = MathF.Max(box.Height, 1e-4f), w = MathF.Max(box.Width, 1e-4f);
        into[0] = (cy - _anchors[a, 0]) / _anchors[a, 2] * s[0];
        into[1] = (cx - _anchors[a, 1]) / _anchors[a, 3] * s[1];
        into[2] = MathF.Log(h / _anchors[a, 2]) * s[2];
        into[3] = MathF.Log(w / _anchors[a, 3]) * s[3];
    }
}
