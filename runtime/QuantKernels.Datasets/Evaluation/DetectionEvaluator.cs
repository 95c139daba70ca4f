namespace QuantKernels.Datasets.Evaluation;

/// <summary>
/// Accumulates ground truth and detections image by image and computes AP per class, COCO style:
/// for each IoU threshold t in 0.50, 0.55, ..., 0.95, each image's detections of a class (by descending score,
/// ties in the order given) take the unmatched ground truth with the highest IoU &gt;= t, preferring non-difficult
/// objects; a detection matched only to a difficult object is ignored, an unmatched one is a false positive.
/// Precision is made non-increasing in recall and sampled at the 101 recalls 0, 0.01, ..., 1 (the first point whose
/// recall reaches each, 0 beyond the last), as pycocotools does. At most <see cref="MaxDetectionsPerImage"/>
/// detections per image count (the highest scoring).
/// </summary>
public sealed class DetectionEvaluator
{
    /// <summary>COCO's per-image detection limit.</summary>
    public const int MaxDetectionsPerImage = 100;

    /// <summary>Number of IoU thresholds (0.50 to 0.95 in steps of 0.05).</summary>
    public const int ThresholdCount = 10;

    private readonly IReadOnlyList<string> _classNames;
    private readonly List<double>[,] _scores;   // [class, threshold] -> scores of evaluated detections
    private readonly List<bool>[,] _truePositive;
    private readonly int[] _groundTruth;
    private int _images;

    /// <summary>Creates an evaluator for the given classes.</summary>
    public DetectionEvaluator(IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        _classNames = classNames;
        int n = classNames.Count;
        _scores = new List<double>[n, ThresholdCount];
        _truePositive = new List<bool>[n, ThresholdCount];
        for (int c = 0; c < n; c++)
            for (int t = 0; t < ThresholdCount; t++)
            {
                _scores[c, t] = [];
                _truePositive[c, t] = [];
            }
        _groundTruth = new int[n];
    }

    /// <summary>IoU threshold <paramref name="i"/> (0.5 + 0.05 i).</summary>
    public static double Threshold(int i) => 0.5 + 0.05 * i;

    /// <summary>Adds one image's ground truth and detections.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A label is not a class index.</exception>
    public void Add(IReadOnlyList<LabeledBox> groundTruth, IReadOnlyList<ScoredBox> detections)
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        ArgumentNullException.ThrowIfNull(detections);
        foreach (var g in groundTruth) CheckLabel(g.Label);
        foreach (var d in detections) CheckLabel(d.Label);
        _images++;
        var kept = detections.Select((d, i) => (d, i)).OrderByDescending(x => x.d.Score).ThenBy(x => x.i)
            .Take(MaxDetectionsPerImage).Select(x => x.d).ToList();
        for (int c = 0; c < _classNames.Count; c++)
        {
            // Non-difficult first, so matching prefers them (COCO sorts ignored ground truth last).
            var gts = groundTruth.Where(g => g.Label == c).OrderBy(g => g.Difficult).ToList();
            _groundTruth[c] += gts.Count(g => !g.Difficult);
            var dets = kept.Where(d => d.Label == c).ToList();
            if (dets.Count == 0) continue;
            for (int t = 0; t < ThresholdCount; t++) MatchImageClass(gts, dets, Threshold(t), _scores[c, t], _truePositive[c, t]);
        }
    }

    private static void MatchImageClass(List<LabeledBox> gts, List<ScoredBox> dets, double threshold, List<double> scores, List<bool> tp)
    {
        var taken = new bool[gts.Count];
        foreach (var d in dets)
        {
            int best = -1;
            double bestIoU = Math.Min(threshold, 1 - 1e-10);
            for (int g = 0; g < gts.Count; g++)
            {
                if (taken[g]) continue;
                // Once matched to a non-difficult object, stop at the difficult ones (they sort last).
                if (best >= 0 && !gts[best].Difficult && gts[g].Difficult) break;
                double iou = d.Box.IoU(gts[g].Box);
                if (iou < bestIoU) continue;
                bestIoU = iou;
                best = g;
            }
            if (best >= 0)
            {
                taken[best] = true;
                if (gts[best].Difficult) continue; // ignored: neither hit nor miss
                scores.Add(d.Score);
                tp.Add(true);
            }
            else
            {
                scores.Add(d.Score);
                tp.Add(false);
            }
        }
    }

    /// <summary>Computes the APs of everything added so far.</summary>
    public EvaluationResult Compute()
    {
        var classes = new List<ClassAveragePrecision>(_classNames.Count);
        for (int c = 0; c < _classNames.Count; c++)
        {
            var ap = new double[ThresholdCount];
            for (int t = 0; t < ThresholdCount; t++)
                ap[t] = _groundTruth[c] == 0 ? double.NaN : AveragePrecision(_scores[c, t], _truePositive[c, t], _groundTruth[c]);
            classes.Add(new ClassAveragePrecision(_classNames[c], _groundTruth[c], _scores[c, 0].Count, ap[0], ap[5], _groundTruth[c] == 0 ? double.NaN : ap.Average()));
        }
        var present = classes.Where(c => c.GroundTruthCount > 0).ToList();
        double map50 = present.Count == 0 ? double.NaN : present.Average(c => c.Ap50);
        double map = present.Count == 0 ? double.NaN : present.Average(c => c.Ap);
        return new EvaluationResult(classes, map50, map, _images);
    }

    /// <summary>
    /// 101-point interpolated AP of detections (score, is-true-positive) against <paramref name="groundTruth"/> objects.
    /// </summary>
    public static double AveragePrecision(IReadOnlyList<double> scores, IReadOnlyList<bool> truePositive, int groundTruth)
    {
        if (scores.Count != truePositive.Count) throw new ArgumentException("scores and truePositive differ in length");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(groundTruth);
        // Stable sort by descending score across images (pycocotools: argsort(-score, kind='mergesort')).
        int[] order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ThenBy(i => i).ToArray();
        int n = order.Length;
        var recall = new double[n];
        var precision = new double[n];
        int tp = 0;
        for (int k = 0; k < n; k++)
        {
            if (truePositive[order[k]]) tp++;
            recall[k] = (double)tp / groundTruth;
            precision[k] = (double)tp / (k + 1);
        }
        for (int k = n - 2; k >= 0; k--) precision[k] = Math.Max(precision[k], precision[k + 1]);
        double sum = 0;
        int j = 0;
        for (int r = 0; r <= 100; r++)
        {
            double level = r / 100.0;
            while (j < n && recall[j] < level) j++;
            if (j == n) break; // this and higher recall levels are never reached: precision 0
            sum += precision[j];
        }
        return sum / 101;
    }

    private void CheckLabel(int label)
    {
        if ((uint)label >= (uint)_classNames.Count)
            throw new ArgumentOutOfRangeException(nameof(label), label, $"label is not one of the {_classNames.Count} classes");
    }
}
