namespace QuantKernels.Kernels.Detection.Anchors;

/// <summary>One anchor shape placed at every cell of a feature map: its scale and aspect ratio (width / height).</summary>
public readonly record struct AnchorBoxSpec(double Scale, double AspectRatio)
{
    /// <summary>Height relative to the base size: scale / sqrt(aspect ratio).</summary>
    public double Height => Scale / Math.Sqrt(AspectRatio);

    /// <summary>Width relative to the base size: scale * sqrt(aspect ratio).</summary>
    public double Width => Scale * Math.Sqrt(AspectRatio);
}

/// <summary>
/// The SSD paper's per-layer box shapes (§2.2), as both TensorFlow's <c>create_ssd_anchors</c> and MediaPipe's
/// SsdAnchorsCalculator choose them: layer scales interpolated linearly from the minimum to the maximum scale; each
/// layer gets one box per aspect ratio plus, optionally, one box at the geometric mean of this and the next layer's
/// scale (1.0 after the last layer); the lowest layer may instead use the fixed trio (0.1, 1), (s, 2), (s, 0.5).
/// </summary>
public static class SsdBoxSpecs
{
    /// <summary>The scale of layer <paramref name="layer"/> of <paramref name="numLayers"/>; a single layer gets the midpoint.</summary>
    public static double LayerScale(double minScale, double maxScale, int layer, int numLayers)
    {
        if (numLayers <= 0) throw new ArgumentException($"numLayers {numLayers} must be positive", nameof(numLayers));
        if (layer < 0 || layer >= numLayers) throw new ArgumentOutOfRangeException(nameof(layer), $"layer {layer} is outside [0, {numLayers})");
        // MediaPipe's choice for one layer; TensorFlow's formula would divide by zero there.
        if (numLayers == 1) return (minScale + maxScale) * 0.5;
        return minScale + (maxScale - minScale) * layer / (numLayers - 1);
    }

    /// <summary>Appends the box shapes of one layer, in the order anchors are laid out within a cell.</summary>
    /// <param name="layer">Layer index (0 is the finest).</param>
    /// <param name="numLayers">Number of layers the scales are interpolated over.</param>
    /// <param name="minScale">Scale of the finest layer.</param>
    /// <param name="maxScale">Scale of the coarsest layer.</param>
    /// <param name="aspectRatios">Aspect ratios placed at every cell (width / height).</param>
    /// <param name="interpolatedScaleAspectRatio">Aspect ratio of the extra interpolated-scale box; 0 or less adds none.</param>
    /// <param name="reduceBoxesInLowestLayer">Layer 0 uses (0.1, 1), (s, 2), (s, 0.5) instead of the general rule.</param>
    /// <param name="specs">Receives the shapes.</param>
    public static void AddLayer(int layer, int numLayers, double minScale, double maxScale, IReadOnlyList<double> aspectRatios,
        double interpolatedScaleAspectRatio, bool reduceBoxesInLowestLayer, List<AnchorBoxSpec> specs)
    {
        ArgumentNullException.ThrowIfNull(aspectRatios);
        ArgumentNullException.ThrowIfNull(specs);
        double scale = LayerScale(minScale, maxScale, layer, numLayers);
        if (layer == 0 && reduceBoxesInLowestLayer)
        {
            specs.Add(new AnchorBoxSpec(0.1, 1.0));
            specs.Add(new AnchorBoxSpec(scale, 2.0));
            specs.Add(new AnchorBoxSpec(scale, 0.5));
            return;
        }
        foreach (double ratio in aspectRatios)
        {
            if (!(ratio > 0)) throw new ArgumentException($"aspect ratio {ratio} must be positive", nameof(aspectRatios));
            specs.Add(new AnchorBoxSpec(scale, ratio));
        }
        if (interpolatedScaleAspectRatio > 0)
        {
            double next = layer == numLayers - 1 ? 1.0 : LayerScale(minScale, maxScale, layer + 1, numLayers);
            specs.Add(new AnchorBoxSpec(Math.Sqrt(scale * next), interpolatedScaleAspectRatio));
        }
    }
}
