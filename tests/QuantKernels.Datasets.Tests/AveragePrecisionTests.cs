using QuantKernels.Datasets.Evaluation;

namespace QuantKernels.Datasets.Tests;

public class AveragePrecisionTests
{
    private static readonly string[] OneClass = ["thing"];
    private static readonly BoundingBox A = new(0.1f, 0.1f, 0.3f, 0.3f);
    private static readonly BoundingBox B = new(0.6f, 0.6f, 0.9f, 0.9f);

    [Fact]
    public void IoU_of_known_boxes()
    {
        Assert.Equal(1f, A.IoU(A));
        Assert.Equal(0f, A.IoU(B));
        // [0,2]x[0,1] vs [1,3]x[0,1]: intersection 1, union 3.
        Assert.Equal(1f / 3, new BoundingBox(0, 0, 2, 1).IoU(new BoundingBox(1, 0, 3, 1)), 6);
        Assert.Equal(0f, default(BoundingBox).IoU(default));
    }

    [Fact]
    public void Perfect_detections_give_AP_1_at_every_threshold()
    {
        var e = new DetectionEvaluator(OneClass);
        e.Add([new LabeledBox(0, A), new LabeledBox(0, B)], [new ScoredBox(0, 0.9f, A), new ScoredBox(0, 0.8f, B)]);
        var r = e.Compute();
        Assert.Equal(1.0, r.Map50, 12);
        Assert.Equal(1.0, r.Map, 12);
    }

    [Fact]
    public void Hit_miss_hit_gives_the_hand_computed_101_point_AP()
    {
        // Ranked: hit (P=1, R=.5), false positive (P=.5, R=.5), hit (P=2/3, R=1).
        // Envelope: 1, 2/3, 2/3. Recall levels 0..0.50 (51 points) read 1; 0.51..1.00 (50 points) read 2/3.
        var ap = DetectionEvaluator.AveragePrecision([0.9, 0.8, 0.7], [true, false, true], 2);
        Assert.Equal((51 + 50 * 2.0 / 3) / 101, ap, 12);
    }

    [Fact]
    public void Unreached_recall_levels_count_as_zero_precision()
    {
        // One hit out of 4 objects: recall .25 reached at precision 1 -> levels 0..0.25 (26 points).
        Assert.Equal(26.0 / 101, DetectionEvaluator.AveragePrecision([0.5], [true], 4), 12);
        Assert.Equal(0.0, DetectionEvaluator.AveragePrecision([], [], 4), 12);
    }

    [Fact]
    public void Scores_are_ranked_across_images()
    {
        // Image 1: a false positive scored .95; image 2: a hit scored .5. Ranked: FP then hit -> P .5 at R 1.
        var e = new DetectionEvaluator(OneClass);
        e.Add([], [new ScoredBox(0, 0.95f, A)]);
        e.Add([new LabeledBox(0, B)], [new ScoredBox(0, 0.5f, B)]);
        Assert.Equal(0.5, e.Compute().Map50, 12);
    }

    [Fact]
    public void A_box_with_IoU_062_counts_at_three_of_ten_thresholds()
    {
        // Same height, shifted horizontally: IoU = overlap / (2 w - overlap) = 0.62 -> overlap = 1.24 w / 1.62.
        float w = 0.4f, overlap = 1.24f * w / 1.62f;
        var gt = new BoundingBox(0.1f, 0.1f, 0.1f + w, 0.5f);
        var det = new BoundingBox(0.1f + w - overlap, 0.1f, 0.1f + 2 * w - overlap, 0.5f);
        Assert.Equal(0.62f, det.IoU(gt), 4);
        var e = new DetectionEvaluator(OneClass);
        e.Add([new LabeledBox(0, gt)], [new ScoredBox(0, 0.9f, det)]);
        var r = e.Compute();
        Assert.Equal(1.0, r.Map50, 12);
        Assert.Equal(0.0, r.Classes[0].Ap75, 12);
        Assert.Equal(0.3, r.Map, 12); // hits at 0.50, 0.55, 0.60
    }

    [Fact]
    public void Duplicates_and_wrong_classes_are_false_positives()
    {
        var e = new DetectionEvaluator(["a", "b"]);
        e.Add([new LabeledBox(0, A)], [new ScoredBox(0, 0.9f, A), new ScoredBox(0, 0.8f, A), new ScoredBox(1, 0.99f, A)]);
        var r = e.Compute();
        Assert.Equal(1.0, r.Classes[0].Ap50, 12);           // the duplicate ranks after the hit: envelope keeps P=1
        Assert.Equal(2, r.Classes[0].DetectionCount);
        Assert.True(double.IsNaN(r.Classes[1].Ap50));          // no ground truth of class b: left out of the mean
        Assert.Equal(1.0, r.Map50, 12);
    }

    [Fact]
    public void Detections_on_difficult_objects_are_ignored()
    {
        var e = new DetectionEvaluator(OneClass);
        // A is difficult; B is normal. Ranked: det on A (ignored), miss elsewhere (FP), hit on B.
        e.Add([new LabeledBox(0, A, Difficult: true), new LabeledBox(0, B)],
              [new ScoredBox(0, 0.9f, A), new ScoredBox(0, 0.8f, new BoundingBox(0.4f, 0, 0.5f, 0.1f)), new ScoredBox(0, 0.7f, B)]);
        var r = e.Compute();
        Assert.Equal(1, r.Classes[0].GroundTruthCount);
        Assert.Equal(0.5, r.Map50, 12); // FP then hit: P .5 at R 1
    }

    [Fact]
    public void Missed_class_scores_zero_and_lowers_the_mean()
    {
        var e = new DetectionEvaluator(["a", "b"]);
        e.Add([new LabeledBox(0, A), new LabeledBox(1, B)], [new ScoredBox(0, 0.9f, A)]);
        var r = e.Compute();
        Assert.Equal(0.0, r.Classes[1].Ap50, 12);
        Assert.Equal(0.5, r.Map50, 12);
    }

    [Fact]
    public void Bad_labels_are_rejected()
    {
        var e = new DetectionEvaluator(OneClass);
        Assert.Throws<ArgumentOutOfRangeException>(() => e.Add([new LabeledBox(1, A)], []));
        Assert.Throws<ArgumentOutOfRangeException>(() => e.Add([], [new ScoredBox(-1, 1, A)]));
    }
}
