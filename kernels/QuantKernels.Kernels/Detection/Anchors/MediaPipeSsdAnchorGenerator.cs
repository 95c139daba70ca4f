namespace QuantKernels.Kernels.Detection.Anchors;

/// <summary>
/// MediaPipe's SsdAnchorsCalculator: for each run of layers sharing a stride, one grid of ceil(input / stride)
/// cells whose every cell (row-major) carries the box shapes of all layers in the run. Anchors are written as
/// (ycenter, xcenter, h, w) in normalized coordinates, the same layout as <see cref="MultipleGridAnchorGenerator"/>.
/// </summary>
public static class MediaPipeSsdAnchorGenerator
{
    /// <summary>Generates the anchors, [count, 4] as (ycenter, xcenter, h, w).</summary>
    public static float[] Generate(MediaPipeSsdAnchorOptions options)
    {
        Validate(options);
        var grids = Grids(options);
        long total = 0;
        foreach (var g in grids) total += (long)g.Height * g.Width * g.Specs.Count;
        var anchors = new float[checked((int)(total * 4))];
        int o = 0;
        foreach (var (gridH, gridW, specs) in grids)
            AnchorGrid.Write(anchors, ref o, gridH, gridW, options.AnchorOffsetY, options.AnchorOffsetX, specs,
                options.FixedAnchorSize ? 0 : 1, 1);
        return anchors;
    }

    /// <summary>One grid per run of equal strides: its size and the box shapes of every layer in the run.</summary>
    private static List<(int Height, int Width, List<AnchorBoxSpec> Specs)> Grids(MediaPipeSsdAnchorOptions o)
    {
        var grids = new List<(int, int, List<AnchorBoxSpec>)>();
        int n = o.Strides.Count;
        for (int layer = 0; layer < n;)
        {
            int stride = o.Strides[layer];
            var specs = new List<AnchorBoxSpec>();
            int last = layer;
            for (; last < n && o.Strides[last] == stride; last++)
                SsdBoxSpecs.AddLayer(last, n, o.MinScale, o.MaxScale, o.AspectRatios, o.InterpolatedScaleAspectRatio,
                    o.ReduceBoxesInLowestLayer, specs);
            int h = (o.InputHeight + stride - 1) / stride;
            int w = (o.InputWidth + stride - 1) / stride;
            grids.Add((h, w, specs));
            layer = last;
        }
        return grids;
    }

    private static void Validate(MediaPipeSsdAnchorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.InputWidth <= 0 || options.InputHeight <= 0 || options.InputWidth > 1 << 14 || options.InputHeight > 1 << 14)
            throw new ArgumentException($"input size {options.InputWidth}x{options.InputHeight} must be in [1, 16384]", nameof(options));
        if (options.Strides is null || options.Strides.Count == 0)
            throw new ArgumentException("at least one stride is needed", nameof(options));
        foreach (int s in options.Strides)
            if (s <= 0) throw new ArgumentException($"stride {s} must be positive", nameof(options));
    }
}
