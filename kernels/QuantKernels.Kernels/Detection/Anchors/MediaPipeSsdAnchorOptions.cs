namespace QuantKernels.Kernels.Detection.Anchors;

/// <summary>
/// MediaPipe's <c>SsdAnchorsCalculatorOptions</c>: the same SSD box shapes as TensorFlow's generator, with feature
/// maps derived from strides (ceil(input / stride)), consecutive layers of equal stride merged into one grid, and
/// optionally unit-size anchors (the model regresses absolute sizes).
/// </summary>
public sealed record MediaPipeSsdAnchorOptions
{
    /// <summary>Model input width in pixels.</summary>
    public required int InputWidth { get; init; }

    /// <summary>Model input height in pixels.</summary>
    public required int InputHeight { get; init; }

    /// <summary>Stride per layer, finest first; its length is the number of layers.</summary>
    public required IReadOnlyList<int> Strides { get; init; }

    /// <summary>Scale of the finest layer.</summary>
    public required double MinScale { get; init; }

    /// <summary>Scale of the coarsest layer.</summary>
    public required double MaxScale { get; init; }

    /// <summary>Aspect ratios (width / height) per cell.</summary>
    public IReadOnlyList<double> AspectRatios { get; init; } = [1.0];

    /// <summary>Aspect ratio of the extra interpolated-scale box; 0 adds none.</summary>
    public double InterpolatedScaleAspectRatio { get; init; } = 1.0;

    /// <summary>Layer 0 uses the fixed three boxes (0.1, 1), (s, 2), (s, 0.5).</summary>
    public bool ReduceBoxesInLowestLayer { get; init; }

    /// <summary>Every anchor gets width = height = 1 (the regressors carry absolute sizes).</summary>
    public bool FixedAnchorSize { get; init; }

    /// <summary>Horizontal offset of the first cell's centre, in cells.</summary>
    public double AnchorOffsetX { get; init; } = 0.5;

    /// <summary>Vertical offset of the first cell's centre, in cells.</summary>
    public double AnchorOffsetY { get; init; } = 0.5;

    /// <summary>
    /// BlazeFace short range (face_detection_short_range.tflite): 128x128 input, 4 layers with strides 8, 16, 16,
    /// 16, scales 0.1484375-0.75, aspect ratio 1, fixed anchor size: 896 anchors.
    /// </summary>
    public static MediaPipeSsdAnchorOptions BlazeFaceShortRange { get; } = new()
    {
        InputWidth = 128,
        InputHeight = 128,
        Strides = [8, 16, 16, 16],
        MinScale = 0.1484375,
        MaxScale = 0.75,
        FixedAnchorSize = true,
    };
}
