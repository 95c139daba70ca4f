using QuantKernels.Kernels.Detection;
using QuantKernels.Vision.Preprocessing;

namespace QuantKernels.Vision;

/// <summary>Settings of a <see cref="Detector"/>; every one has a default, and the model's kind decides the rest.</summary>
public sealed record DetectorOptions
{
    /// <summary>How outputs are decoded; <see cref="DetectorKind.Auto"/> (default) recognises it from the output signature.</summary>
    public DetectorKind Kind { get; init; } = DetectorKind.Auto;

    /// <summary>Detections scoring below this are dropped (default 0.5).</summary>
    public float ScoreThreshold { get; init; } = 0.5f;

    /// <summary>IoU above which NMS suppresses (or, for BlazeFace, merges) a box; default 0.5 for SSD, 0.3 for BlazeFace.</summary>
    public float? IouThreshold { get; init; }

    /// <summary>At most this many detections per image (default 100).</summary>
    public int MaxDetections { get; init; } = 100;

    /// <summary>Image fitting and pixel normalization; default stretch with p / 127.5 - 1.</summary>
    public ModelInputSpec Input { get; init; } = ModelInputSpec.Default;

    /// <summary>Anchors [A, 4] as (ycenter, xcenter, h, w) for raw models; default generated from the kind's standard configuration.</summary>
    public float[]? Anchors { get; init; }

    /// <summary>SSD box coder scales (default 10, 10, 5, 5).</summary>
    public BoxCoderScales BoxScales { get; init; } = new(10, 10, 5, 5);

    /// <summary>Label given to BlazeFace detections (default "face").</summary>
    public string FaceLabel { get; init; } = "face";

    /// <summary>Interpreter threads (default 1).</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Image decoding limits.</summary>
    public ImageLoadOptions ImageLimits { get; init; } = ImageLoadOptions.Default;
}
