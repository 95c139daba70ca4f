using QuantKernels.Kernels.Detection;

namespace QuantKernels.Kernels.Tests.Detection;

/// <summary>
/// TFLite's own vectors, from tensorflow/lite/kernels/detection_postprocess_test.cc (FloatTest,
/// FloatTestWithDegeneratedBox, MaxClass2Test, RegularNMS, FloatTestwithNoBackgroundClassAndNoKeypoints,
/// FloatTestwithBackgroundClassAndKeypoints): six boxes, two classes, scales 10/10/5/5, IoU 0.5, score 0.
/// </summary>
public class DetectionPostProcessReferenceTests
{
    internal static readonly float[] Encodings =
    [
        0, 0, 0, 0,
        0, 1, 0, 0,
        0, -1, 0, 0,
        0, 0, 0, 0,
        0, 1, 0, 0,
        0, 0, 0, 0,
    ];

    internal static readonly float[] Scores = [0f, .9f, .8f, 0f, .75f, .72f, 0f, .6f, .5f, 0f, .93f, .95f, 0f, .5f, .4f, 0f, .3f, .2f];

    internal static readonly float[] Anchors =
    [
        0.5f, 0.5f, 1, 1,
        0.5f, 0.5f, 1, 1,
        0.5f, 0.5f, 1, 1,
        0.5f, 10.5f, 1, 1,
        0.5f, 10.5f, 1, 1,
        0.5f, 100.5f, 1, 1,
    ];

    internal static DetectionPostProcessParams Options(bool regular, int maxClasses = 1, int perClass = 1) =>
        new(3, maxClasses, perClass, regular, 0f, 0.5f, 2, new BoxCoderScales(10, 10, 5, 5));

    private static (float[] Boxes, float[] Classes, float[] Scores, int N) Run(DetectionPostProcessParams p,
        float[] enc, int encStride, float[] scores, int scoreStride, float[] anchors)
    {
        int numBoxes = anchors.Length / 4;
        var scratch = new DetectionScratch(numBoxes, p);
        int rows = p.OutputRows;
        float[] b = new float[rows * 4], c = new float[rows], s = new float[rows];
        int n = DetectionPostProcessReference.Run(enc, encStride, scores, scoreStride, anchors, scratch, b, c, s);
        return (b, c, s, n);
    }

    private static void Near(float[] expected, float[] actual, float tol)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol, $"[{i}] expected {expected[i]} got {actual[i]}");
    }

    [Fact]
    public void Fast_nms_matches_TFLite_FloatTest()
    {
        var r = Run(Options(false), Encodings, 4, Scores, 3, Anchors);
        Assert.Equal(3, r.N);
        Near([0, 10, 1, 11, 0, 0, 1, 1, 0, 100, 1, 101], r.Boxes, 1e-5f);
        Assert.Equal([1f, 0f, 0f], r.Classes);
        Assert.Equal([.95f, .9f, .3f], r.Scores);
    }

    [Fact]
    public void Fast_nms_with_a_degenerated_box_matches_TFLite()
    {
        float[] enc = [0, 0, 0, 0, 0, 0, 0, 0];
        float[] scores = [0f, .9f, .8f, 0f, .2f, .7f];
        float[] anchors = [0.5f, 0.5f, 1, 1, 0.5f, 0.5f, 0, 0];
        var r = Run(Options(false), enc, 4, scores, 3, anchors);
        Assert.Equal(2, r.N);
        Near([0, 0, 1, 1, 0.5f, 0.5f, 0.5f, 0.5f, 0, 0, 0, 0], r.Boxes, 1e-6f);
        Assert.Equal([0f, 1f, 0f], r.Classes);
        Assert.Equal([.9f, .7f, 0f], r.Scores);
    }

    [Fact]
    public void Fast_nms_with_two_classes_per_detection_matches_TFLite_MaxClass2Test()
    {
        var r = Run(Options(false, maxClasses: 2), Encodings, 4, Scores, 3, Anchors);
        Assert.Equal(3, r.N);
        Near([0, 10, 1, 11, 0, 10, 1, 11, 0, 0, 1, 1, 0, 0, 1, 1, 0, 100, 1, 101, 0, 100, 1, 101], r.Boxes, 1e-5f);
        Assert.Equal([1f, 0f, 0f, 1f, 0f, 1f], r.Classes);
        Assert.Equal([.95f, .93f, .9f, .8f, .3f, .2f], r.Scores);
    }

    [Fact]
    public void Regular_nms_matches_TFLite_RegularNMS()
    {
        var r = Run(Options(true), Encodings, 4, Scores, 3, Anchors);
        Assert.Equal(2, r.N);
        Near([0, 10, 1, 11, 0, 10, 1, 11, 0, 0, 0, 0], r.Boxes, 3e-4f);
        Assert.Equal([1f, 0f, 0f], r.Classes);
        Assert.Equal([.95f, .93f, 0f], r.Scores);
    }

    [Fact]
    public void Scores_without_background_column_match_TFLite()
    {
        float[] scores = [.9f, .8f, .75f, .72f, .6f, .5f, .93f, .95f, .5f, .4f, .3f, .2f];
        var r = Run(Options(false), Encodings, 4, scores, 2, Anchors);
        Assert.Equal(3, r.N);
        Near([0, 10, 1, 11, 0, 0, 1, 1, 0, 100, 1, 101], r.Boxes, 1e-5f);
        Assert.Equal([1f, 0f, 0f], r.Classes);
        Assert.Equal([.95f, .9f, .3f], r.Scores);
    }

    [Fact]
    public void Keypoint_columns_in_the_encodings_are_skipped()
    {
        float[] enc = new float[6 * 5];
        for (int i = 0; i < 6; i++) { Encodings.AsSpan(i * 4, 4).CopyTo(enc.AsSpan(i * 5)); enc[i * 5 + 4] = 1; }
        var r = Run(Options(false), enc, 5, Scores, 3, Anchors);
        Assert.Equal(3, r.N);
        Near([0, 10, 1, 11, 0, 0, 1, 1, 0, 100, 1, 101], r.Boxes, 1e-5f);
        Assert.Equal([.95f, .9f, .3f], r.Scores);
    }

    [Fact]
    public void Regular_nms_with_more_per_class_merges_classes_by_score()
    {
        // detections_per_class 3: class 0 keeps anchors 3 (.93), 0 (.9), 5 (.3); class 1 keeps 3 (.95), 0 (.8), 5 (.2).
        var r = Run(Options(true, perClass: 3), Encodings, 4, Scores, 3, Anchors);
        Assert.Equal(3, r.N);
        Assert.Equal([.95f, .93f, .9f], r.Scores);
        Assert.Equal([1f, 0f, 0f], r.Classes);
        Near([0, 10, 1, 11, 0, 10, 1, 11, 0, 0, 1, 1], r.Boxes, 1e-5f);
    }

    [Fact]
    public void Decoding_uses_the_scales_and_the_exponential_of_size()
    {
        float[] enc = [1, -2, 5, 10];
        float[] anchors = [0.4f, 0.6f, 0.2f, 0.3f];
        float[] boxes = new float[4];
        BoxDecoding.DecodeCenterSize(enc, 4, anchors, 1, new BoxCoderScales(10, 10, 5, 5), boxes);
        // independent: yc = 0.1*0.2+0.4 = 0.42, xc = -0.2*0.3+0.6 = 0.54, h/2 = 0.5*e*0.2, w/2 = 0.5*e^2*0.3
        double yc = 0.42, xc = 0.54, hh = 0.5 * Math.E * 0.2, hw = 0.5 * Math.E * Math.E * 0.3;
        Near([(float)(yc - hh), (float)(xc - hw), (float)(yc + hh), (float)(xc + hw)], boxes, 1e-6f);
    }

    [Fact]
    public void Bad_arguments_throw()
    {
        var p = Options(false);
        var scratch = new DetectionScratch(6, p);
        float[] b = new float[12], c = new float[3], s = new float[3];
        Assert.Throws<ArgumentException>(() => DetectionPostProcessReference.Run(Encodings, 4, Scores, 4, Anchors, scratch, b, c, s));
        Assert.Throws<ArgumentException>(() => DetectionPostProcessReference.Run(Encodings, 3, Scores, 3, Anchors, scratch, b, c, s));
        Assert.Throws<ArgumentException>(() => DetectionPostProcessReference.Run(Encodings, 4, Scores, 3, Anchors, scratch, new float[8], c, s));
        Assert.Throws<ArgumentException>(() => DetectionPostProcessReference.Run(Encodings, 4, Scores, 3, Anchors.AsSpan(0, 20), scratch, b, c, s));
        var bad = new DetectionScratch(6, p with { IouThreshold = 0f });
        Assert.Throws<ArgumentException>(() => DetectionPostProcessReference.Run(Encodings, 4, Scores, 3, Anchors, bad, b, c, s));
        Assert.Throws<ArgumentException>(() => new DetectionScratch(6, p with { NumClasses = 0 }));
        float[] negAnchors = (float[])Anchors.Clone();
        negAnchors[2] = -1;
        Assert.Throws<ArgumentException>(() => DetectionPostProcessReference.Run(Encodings, 4, Scores, 3, negAnchors, scratch, b, c, s));
    }
}
