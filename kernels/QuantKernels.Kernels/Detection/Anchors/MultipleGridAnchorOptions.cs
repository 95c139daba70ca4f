namespace QuantKernels.Kernels.Detection.Anchors;

/// <summary>
/// A TensorFlow Object Detection <c>ssd_anchor_generator</c> configuration (the multiple grid anchor generator
/// built by <c>create_ssd_anchors</c>), with the feature map sizes the network produces, finest first.
/// </summary>
public sealed record MultipleGridAnchorOptions
{
    /// <summary>Feature map (height, width) per layer, finest first; its length is the number of layers.</summary>
    public required IReadOnlyList<(int Height, int Width)> FeatureMaps { get; init; }

    /// <summary>Scale of the finest layer's anchors (relative to the image).</summary>
    public double MinScale { get; init; } = 0.2;

    /// <summary>Scale of the coarsest layer's anchors.</summary>
    public double MaxScale { get; init; } = 0.95;

    /// <summary>Aspect ratios (width / height) placed at every cell.</summary>
    public IReadOnlyList<double> AspectRatios { get; init; } = [1.0, 2.0, 0.5, 3.0, 1.0 / 3.0];

    /// <summary>Aspect ratio of the extra box at the interpolated scale; 0 adds none.</summary>
    public double InterpolatedScaleAspectRatio { get; init; } = 1.0;

    /// <summary>Layer 0 uses the fixed three boxes (0.1, 1), (s, 2), (s, 0.5).</summary>
    public bool ReduceBoxesInLowestLayer { get; init; } = true;

    /// <summary>Base anchor (height, width); TensorFlow's default is (1, 1).</summary>
    public (double Height, double Width) BaseAnchorSize { get; init; } = (1.0, 1.0);

    /// <summary>Input image (height, width): non-square inputs shrink the base size along the longer side, as TensorFlow does; (1, 1) for square.</summary>
    public (int Height, int Width) ImageSize { get; init; } = (1, 1);

    /// <summary>Offset of the first cell's centre, in cells (TensorFlow's default: half a cell).</summary>
    public double AnchorOffset { get; init; } = 0.5;

    /// <summary>
    /// The standard SSD MobileNet v2 300x300 set (feature maps 19, 10, 5, 3, 2, 1; scales 0.2-0.95; aspect ratios
    /// 1, 2, 0.5, 3, 1/3; reduced lowest layer): 1917 anchors.
    /// </summary>
    public static MultipleGridAnchorOptions SsdMobileNetV2_300 { get; } = new()
    {
        FeatureMaps = [(19, 19), (10, 10), (5, 5), (3, 3), (2, 2), (1, 1)],
    };
}
