namespace QuantKernels.Kernels.Detection.Anchors;

/// <summary>
/// TensorFlow Object Detection's multiple grid anchor generator for SSD: for every layer, every cell (row-major)
/// and every box shape of that layer, one anchor (ycenter, xcenter, h, w) in normalized image coordinates, the
/// layout and values the TFLite_Detection_PostProcess op's anchors tensor holds.
/// </summary>
public static class MultipleGridAnchorGenerator
{
    /// <summary>Number of anchors <see cref="Generate"/> produces.</summary>
    public static int Count(MultipleGridAnchorOptions options)
    {
        var specs = new List<AnchorBoxSpec>();
        long total = 0;
        for (int layer = 0; layer < Validate(options); layer++)
        {
            specs.Clear();
            AddSpecs(options, layer, specs);
            var (h, w) = options.FeatureMaps[layer];
            total += (long)h * w * specs.Count;
        }
        return checked((int)total);
    }

    /// <summary>Generates the anchors, [Count, 4] as (ycenter, xcenter, h, w).</summary>
    public static float[] Generate(MultipleGridAnchorOptions options)
    {
        int numLayers = Validate(options);
        var anchors = new float[checked(Count(options) * 4)];
        // Non-square images: the base size is normalized to the shorter side, so square anchors stay square in pixels.
        double minSide = Math.Min(options.ImageSize.Height, options.ImageSize.Width);
        double baseH = options.BaseAnchorSize.Height * minSide / options.ImageSize.Height;
        double baseW = options.BaseAnchorSize.Width * minSide / options.ImageSize.Width;
        var specs = new List<AnchorBoxSpec>();
        int o = 0;
        for (int layer = 0; layer < numLayers; layer++)
        {
            specs.Clear();
            AddSpecs(options, layer, specs);
            var (gridH, gridW) = options.FeatureMaps[layer];
            AnchorGrid.Write(anchors, ref o, gridH, gridW, options.AnchorOffset, options.AnchorOffset, specs, baseH, baseW);
        }
        return anchors;
    }

    private static void AddSpecs(MultipleGridAnchorOptions o, int layer, List<AnchorBoxSpec> specs) =>
        SsdBoxSpecs.AddLayer(layer, o.FeatureMaps.Count, o.MinScale, o.MaxScale, o.AspectRatios,
            o.InterpolatedScaleAspectRatio, o.ReduceBoxesInLowestLayer, specs);

    private static int Validate(MultipleGridAnchorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.FeatureMaps is null || options.FeatureMaps.Count == 0)
            throw new ArgumentException("at least one feature map is needed", nameof(options));
        foreach (var (h, w) in options.FeatureMaps)
            if (h <= 0 || w <= 0 || (long)h * w > 1 << 24)
                throw new ArgumentException($"feature map {h}x{w} must be positive and at most 2^24 cells", nameof(options));
        if (options.ImageSize.Height <= 0 || options.ImageSize.Width <= 0)
            throw new ArgumentException($"image size {options.ImageSize.Height}x{options.ImageSize.Width} must be positive", nameof(options));
        if (!(options.BaseAnchorSize.Height > 0) || !(options.BaseAnchorSize.Width > 0))
            throw new ArgumentException($"base anchor size {options.BaseAnchorSize} must be positive", nameof(options));
        return options.FeatureMaps.Count;
    }
}
