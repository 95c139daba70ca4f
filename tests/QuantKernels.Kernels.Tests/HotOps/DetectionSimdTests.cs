using QuantKernels.Kernels.Detection;

namespace QuantKernels.Kernels.Tests.HotOps;

/// <summary>TFLite_Detection_PostProcess on the vectorized paths gives bit-identical outputs to the scalar reference:
/// same detections, order, boxes, classes and scores, in fast and regular NMS, with ties, NaN scores, degenerate boxes
/// and crowds of overlapping boxes.</summary>
public class DetectionSimdTests
{
    [Theory]
    [MemberData(nameof(HotOpCases.AllPaths), MemberType = typeof(HotOpCases))]
    public void Post_process_equals_the_scalar_reference(IsaPath path)
    {
        var rng = new Random(8080 + (int)path);
        int detections = 0;
        for (int round = 0; round < 150; round++)
        {
            int boxes = new[] { 0, 1, 3, 7, 8, 9, 31, 100, 257, 1917 }[rng.Next(10)];
            int classes = rng.Next(1, 30);
            bool regular = rng.Next(3) == 0, background = rng.Next(2) == 0;
            var p = new DetectionPostProcessParams(rng.Next(1, 120), rng.Next(1, 4), rng.Next(1, 50), regular,
                new[] { 0f, 1e-8f, 0.3f, 0.5f, 0.9f }[rng.Next(5)], new[] { 0.3f, 0.5f, 0.6f, 1f }[rng.Next(4)], classes, new(10, 10, 5, 5));
            int stride = classes + (background ? 1 : 0);
            var problem = Problem(rng, boxes, stride);
            var expected = RunOn(IsaPath.Scalar, p, boxes, stride, problem);
            var actual = RunOn(path, p, boxes, stride, problem);
            Assert.Equal(expected.Count, actual.Count);
            Assert.True(expected.Boxes.AsSpan().SequenceEqual(actual.Boxes), $"round {round}: boxes differ");
            Assert.True(expected.Classes.AsSpan().SequenceEqual(actual.Classes), $"round {round}: classes differ");
            Assert.True(expected.Scores.AsSpan().SequenceEqual(actual.Scores), $"round {round}: scores differ");
            detections += expected.Count;
        }
        Assert.True(detections > 1000, $"only {detections} detections over all rounds");
    }

    [Theory]
    [MemberData(nameof(HotOpCases.AllPaths), MemberType = typeof(HotOpCases))]
    public void Best_class_is_the_first_maximum_and_handles_NaN_like_the_scan(IsaPath path)
    {
        var rng = new Random(99 + (int)path);
        for (int round = 0; round < 2000; round++)
        {
            int n = rng.Next(1, 40);
            var row = new float[n];
            for (int i = 0; i < n; i++)
                row[i] = rng.Next(10) switch { 0 => float.NaN, 1 => 0f, 2 => -0f, 3 => 0.5f, 4 => float.NegativeInfinity, _ => (float)rng.NextDouble() };
            Assert.Equal(BestClass.Scalar(row), BestClass.Find(path, row));
        }
    }

    internal sealed record Output(int Count, float[] Boxes, float[] Classes, float[] Scores);

    internal static Output RunOn(IsaPath path, DetectionPostProcessParams p, int boxes, int stride, (float[] Enc, float[] Scores, float[] Anchors) problem)
    {
        var scratch = new DetectionScratch(boxes, p);
        int rows = p.OutputRows;
        var o = new Output(0, new float[rows * 4], new float[rows], new float[rows]);
        int n = DetectionPostProcessReference.Run(problem.Enc, 4, problem.Scores, stride, problem.Anchors, scratch, o.Boxes, o.Classes, o.Scores, path);
        return o with { Count = n };
    }

    /// <summary>Anchors on a coarse grid (so many boxes overlap), small encodings, scores with repeats and NaNs.</summary>
    internal static (float[] Enc, float[] Scores, float[] Anchors) Problem(Random rng, int boxes, int stride)
    {
        var anchors = new float[boxes * 4];
        var enc = new float[boxes * 4];
        for (int i = 0; i < boxes; i++)
        {
            anchors[i * 4] = rng.Next(8) / 8f;
            anchors[i * 4 + 1] = rng.Next(8) / 8f;
            anchors[i * 4 + 2] = rng.Next(10) == 0 ? 0f : 0.1f + rng.Next(5) / 10f; // some zero-area boxes
            anchors[i * 4 + 3] = 0.1f + rng.Next(5) / 10f;
            for (int k = 0; k < 4; k++) enc[i * 4 + k] = rng.Next(4) == 0 ? 0f : (float)(rng.NextDouble() * 2 - 1);
        }
        var scores = new float[boxes * stride];
        for (int i = 0; i < scores.Length; i++)
            scores[i] = rng.Next(50) == 0 ? float.NaN : rng.Next(4) == 0 ? rng.Next(4) / 4f : (float)rng.NextDouble();
        return (enc, scores, anchors);
    }
}
