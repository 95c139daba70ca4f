namespace QuantKernels.Datasets;

/// <summary>
/// An axis-aligned box in coordinates normalised to the image (0 = left/top edge, 1 = right/bottom edge),
/// the convention TFLite_Detection_PostProcess outputs use (there as ymin, xmin, ymax, xmax).
/// </summary>
public readonly record struct BoundingBox(float XMin, float YMin, float XMax, float YMax)
{
    /// <summary>Width (0 when the box is empty or inverted).</summary>
    public float Width => MathF.Max(0, XMax - XMin);

    /// <summary>Height (0 when the box is empty or inverted).</summary>
    public float Height => MathF.Max(0, YMax - YMin);

    /// <summary>Area (0 when the box is empty or inverted).</summary>
    public float Area => Width * Height;

    /// <summary>Intersection over union with <paramref name="other"/>; 0 when both are empty.</summary>
    public float IoU(BoundingBox other)
    {
        float iw = MathF.Min(XMax, other.XMax) - MathF.Max(XMin, other.XMin);
        float ih = MathF.Min(YMax, other.YMax) - MathF.Max(YMin, other.YMin);
        if (iw <= 0 || ih <= 0) return 0;
        float inter = iw * ih;
        float union = Area + other.Area - inter;
        return union > 0 ? inter / union : 0;
    }
}
