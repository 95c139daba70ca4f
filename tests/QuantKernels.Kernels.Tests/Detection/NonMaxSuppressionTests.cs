using QuantKernels.Kernels.Detection;

namespace QuantKernels.Kernels.Tests.Detection;

public class NonMaxSuppressionTests
{
    private static int[] Nms(float[] boxes, float[] scores, float scoreThr, float iouThr, int max)
    {
        int n = scores.Length;
        var sel = new int[n];
        int c = NonMaxSuppression.SingleClass(boxes, scores, scoreThr, iouThr, max, new ulong[n], new byte[n], sel);
        return sel[..c];
    }

    [Fact]
    public void Equal_scores_keep_the_lower_index_first()
    {
        float[] boxes = [0, 0, 1, 1, 10, 10, 11, 11, 20, 20, 21, 21, 30, 30, 31, 31];
        Assert.Equal([1, 3, 0, 2], Nms(boxes, [0.5f, 0.7f, 0.5f, 0.7f], 0f, 0.5f, 10));
        Assert.Equal([1, 3], Nms(boxes, [0.5f, 0.7f, 0.5f, 0.7f], 0f, 0.5f, 2));
        // -0 and +0 tie as well
        Assert.Equal([0, 1], Nms(boxes[..8], [0f, -0f], -1f, 0.5f, 10));
    }

    [Fact]
    public void Suppression_is_strictly_greater_than_the_threshold()
    {
        // Boxes [0,0,1,2] and [0,1,1,3]: intersection 1, union 3 -> IoU 1/3 exactly as float arithmetic gives.
        float[] boxes = [0, 0, 1, 2, 0, 1, 1, 3];
        float iou = NonMaxSuppression.IntersectionOverUnion(boxes, 0, 1);
        Assert.Equal(1f / 3f, iou);
        Assert.Equal([0, 1], Nms(boxes, [0.9f, 0.8f], 0f, iou, 10));
        Assert.Equal([0], Nms(boxes, [0.9f, 0.8f], 0f, MathF.BitDecrement(iou), 10));
    }

    [Fact]
    public void Score_equal_to_threshold_is_kept_and_below_is_dropped()
    {
        float[] boxes = [0, 0, 1, 1, 10, 10, 11, 11];
        Assert.Equal([0, 1], Nms(boxes, [0.5f, 0.4f], 0.4f, 0.5f, 10));
        Assert.Equal([0], Nms(boxes, [0.5f, MathF.BitDecrement(0.4f)], 0.4f, 0.5f, 10));
    }

    [Fact]
    public void Degenerate_boxes_have_zero_iou_and_are_never_suppressed()
    {
        float[] boxes = [0, 0, 1, 1, 0.5f, 0.5f, 0.5f, 0.5f, 0, 0, 1, 1];
        Assert.Equal(0f, NonMaxSuppression.IntersectionOverUnion(boxes, 0, 1));
        Assert.Equal([0, 1], Nms(boxes, [0.9f, 0.8f, 0.7f], 0f, 0.5f, 10));
    }

    [Fact]
    public void Suppressed_boxes_do_not_suppress_others()
    {
        // A (best) overlaps B strongly; B overlaps C strongly, A and C barely: C survives.
        float[] boxes = [0, 0, 1, 1, 0, 0.3f, 1, 1.3f, 0, 0.6f, 1, 1.6f];
        Assert.Equal([0, 2], Nms(boxes, [0.9f, 0.8f, 0.7f], 0f, 0.4f, 10));
    }

    [Fact]
    public void Bad_arguments_throw()
    {
        float[] boxes = [0, 0, 1, 1];
        Assert.Throws<ArgumentException>(() => Nms(boxes, [1f], 0f, 0f, 1));
        Assert.Throws<ArgumentException>(() => Nms(boxes, [1f], 0f, 1.5f, 1));
        Assert.Throws<ArgumentException>(() => Nms(boxes, [1f], 0f, 0.5f, -1));
        Assert.Throws<ArgumentException>(() => Nms(boxes, [1f, 1f], 0f, 0.5f, 1));
    }
}
