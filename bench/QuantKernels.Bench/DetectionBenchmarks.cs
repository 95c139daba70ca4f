using BenchmarkDotNet.Attributes;
using QuantKernels.Kernels;
using QuantKernels.Kernels.Detection;

namespace QuantKernels.Bench;

/// <summary>
/// TFLite_Detection_PostProcess (decode + NMS) at 1917 anchors (SSD MobileNet v2 300x300) and 20,000 anchors, fast and
/// regular NMS, on the scalar reference (the baseline: the loops as they were before vectorizing) and the vectorized
/// paths. Options as the coral SSD model has them: 90 classes plus background, score threshold 1e-8 (every anchor is a
/// candidate), IoU 0.6, 10 detections (fast) / 100 per class (regular); seeded random encodings, anchors on a grid,
/// uniform scores. Every path returns the same detections (tests/.../HotOps/DetectionSimdTests).
/// </summary>
public class DetectionBenchmarks
{
    private const int Classes = 90;
    private float[] _enc = [], _scores = [], _anchors = [], _boxes = [], _classes = [], _outScores = [];
    private DetectionScratch? _scratch;

    /// <summary>Anchor count.</summary>
    [Params(1917, 20000)]
    public int Anchors { get; set; }

    /// <summary>Regular (per-class) NMS instead of fast NMS.</summary>
    [Params(false, true)]
    public bool Regular { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1917);
        var p = new DetectionPostProcessParams(Regular ? 100 : 10, 1, 100, Regular, 1e-8f, 0.6f, Classes, new(10, 10, 5, 5));
        _scratch = new DetectionScratch(Anchors, p);
        _enc = new float[Anchors * 4];
        _anchors = new float[Anchors * 4];
        _scores = new float[Anchors * (Classes + 1)];
        int side = (int)Math.Ceiling(Math.Sqrt(Anchors / 6.0));
        for (int i = 0; i < Anchors; i++)
        {
            int cell = i / 6;
            _anchors[i * 4] = (cell / side + 0.5f) / side;
            _anchors[i * 4 + 1] = (cell % side + 0.5f) / side;
            _anchors[i * 4 + 2] = 0.1f + (i % 6) * 0.15f;
            _anchors[i * 4 + 3] = 0.1f + (5 - i % 6) * 0.15f;
            for (int k = 0; k < 4; k++) _enc[i * 4 + k] = (float)(rng.NextDouble() - 0.5);
        }
        for (int i = 0; i < _scores.Length; i++) _scores[i] = (float)rng.NextDouble();
        _boxes = new float[p.OutputRows * 4];
        _classes = new float[p.OutputRows];
        _outScores = new float[p.OutputRows];
    }

    private int RunOn(IsaPath path) => DetectionPostProcessReference.Run(_enc, 4, _scores, Classes + 1, _anchors, _scratch!,
        _boxes, _classes, _outScores, path);

    [Benchmark(Baseline = true)]
    public int Scalar() => RunOn(IsaPath.Scalar);

    [Benchmark]
    public int Vector128() => RunOn(IsaPath.Vector128);

    [Benchmark]
    public int Avx2() => RunOn(Dispatch.IsSupported(IsaPath.Avx2) ? IsaPath.Avx2 : throw new NotSupportedException("no AVX2 here"));
}
