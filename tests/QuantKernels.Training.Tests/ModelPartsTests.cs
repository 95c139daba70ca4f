using QuantKernels.Datasets;
using QuantKernels.Training.Data;
using QuantKernels.Training.Model;
using QuantKernels.Training.Training;

namespace QuantKernels.Training.Tests;

public class ModelPartsTests
{
    [Fact]
    public void Anchors_come_in_row_column_anchor_order_with_the_configured_scales()
    {
        var cfg = new AnchorConfig { MinScale = 0.2f, MaxScale = 0.6f, AspectRatios = [1f, 4f] };
        var a = cfg.Generate([2, 1]);
        Assert.Equal((2 * 2 + 1) * 3, a.GetLength(0));
        // First cell of the first map: center (0.25, 0.25); ratio 1: 0.2 x 0.2; ratio 4: h 0.1, w 0.4; extra sqrt(0.2 * 0.6).
        Assert.Equal([0.25f, 0.25f, 0.2f, 0.2f], Row(a, 0));
        Assert.Equal([0.25f, 0.25f, 0.1f, 0.4f], Row(a, 1));
        Assert.Equal(MathF.Sqrt(0.12f), a[2, 2], 6);
        Assert.Equal([0.25f, 0.75f], Row(a, 3)[..2]);   // next cell: same row, next column
        Assert.Equal([0.5f, 0.5f, 0.6f, 0.6f], Row(a, 12)); // the 1x1 map: scale 0.6, extra sqrt(0.6 * 1)
        Assert.Equal(MathF.Sqrt(0.6f), a[14, 2], 6);
    }

    private static float[] Row(float[,] a, int i) => [a[i, 0], a[i, 1], a[i, 2], a[i, 3]];

    [Fact]
    public void Matching_marks_positives_ignored_and_background_and_encodes_as_the_decoder_expects()
    {
        var anchors = new float[,] { { 0.25f, 0.25f, 0.5f, 0.5f }, { 0.75f, 0.75f, 0.5f, 0.5f }, { 0.3f, 0.3f, 0.5f, 0.5f } };
        var m = new BoxMatcher(anchors);
        var labels = new long[3];
        var enc = new float[12];
        // The object is anchor 0 exactly; anchor 2 overlaps it with IoU (0.45^2)/(2*0.25-0.45^2) = 0.68 -> also positive.
        int pos = m.Match([new LabeledBox(4, new BoundingBox(0, 0, 0.5f, 0.5f))], labels, enc);
        Assert.Equal(2, pos);
        Assert.Equal([5L, 0L, 5L], labels);
        Assert.Equal([0f, 0f, 0f, 0f], enc[..4]);
        // Anchor 2: dy = (0.25 - 0.3) / 0.5 * 10 = -1, log size ratio 0.
        Assert.Equal(-1f, enc[8], 5);
        Assert.Equal(0f, enc[10], 5);
        // A small object far from every anchor still claims its best anchor.
        pos = m.Match([new LabeledBox(0, new BoundingBox(0.9f, 0.9f, 0.95f, 0.95f))], labels, enc);
        Assert.Equal(1, pos);
        Assert.Equal(1L, labels[1]);
    }

    [Fact]
    public void Learning_rate_warms_up_linearly_then_decays_to_zero()
    {
        Assert.Equal(0.1, LearningRateSchedule.At(0, 100, 10, 1.0), 12);
        Assert.Equal(1.0, LearningRateSchedule.At(9, 100, 10, 1.0), 12);
        Assert.Equal(1.0, LearningRateSchedule.At(10, 100, 10, 1.0), 12);
        Assert.Equal(0.5, LearningRateSchedule.At(55, 100, 10, 1.0), 12);
        Assert.True(LearningRateSchedule.At(99, 100, 10, 1.0) < 0.001);
    }
}
