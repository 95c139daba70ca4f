namespace QuantKernels.Vision;

/// <summary>An axis-aligned box in image pixels: left, top, right, bottom.</summary>
public readonly record struct BoundingBox(float XMin, float YMin, float XMax, float YMax)
{
    /// <summary>XMax - XMin (0 when inverted).</summary>
    public float Width => Math.Max(XMax - XMin, 0f);

    /// <summary>YMax - YMin (0 when inverted).</summary>
    public float Height => Math.Max(YMax - YMin, 0f);

    /// <summary>Width * Height.</summary>
    public float Area => Width * Height;

    /// <summary>Intersection over union with <paramref name="other"/>; 0 when either is empty.</summary>
    public float IoU(BoundingBox other)
    {
        float iw = Math.Min(XMax, other.XMax) - Math.Max(XMin, other.XMin);
        float ih = Math.Min(YMax, other.YMax) - Math.Max(YMin, other.YMin);
        if (iw <= 0 || ih <= 0) return 0f;
        float inter = iw * ih;
        float union = Area + other.Area - inter;
        return union > 0 ? inter / union : 0f;
    }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"[{XMin:0.#}, {YMin:0.#}, {XMax:0.#}, {YMax:0.#}]");
}
