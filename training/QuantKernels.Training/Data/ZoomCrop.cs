using QuantKernels.Datasets;

namespace QuantKernels.Training.Data;

/// <summary>
/// Scale-jitter augmentation: a random square crop of the image scaled back to its full size (a zoom-in), with the
/// boxes mapped into the crop, clipped to it and dropped when less than <see cref="MinVisible"/> of their area stays.
/// </summary>
public static class ZoomCrop
{
    /// <summary>Fraction of a box's area that must stay inside the crop for the box to be kept.</summary>
    public const float MinVisible = 0.5f;

    /// <summary>
    /// Draws a zoom from [1, 1 + <paramref name="jitter"/>] and a crop position from <paramref name="rng"/>
    /// (three draws) and applies it to <paramref name="s"/>.
    /// </summary>
    public static DetectionSample Random(DetectionSample s, double jitter, Random rng)
    {
        float side = 1 / (1 + (float)jitter * rng.NextSingle());
        float x0 = rng.NextSingle() * (1 - side), y0 = rng.NextSingle() * (1 - side);
        return Apply(s, x0, y0, side);
    }

    /// <summary>
    /// The crop of <paramref name="s"/> from (<paramref name="x0"/>, <paramref name="y0"/>) with sides
    /// <paramref name="side"/> (all normalised to the image), resampled bilinearly to the image's own size.
    /// </summary>
    public static DetectionSample Apply(DetectionSample s, float x0, float y0, float side)
    {
        if (!(side > 0 && side <= 1)) throw new ArgumentOutOfRangeException(nameof(side), side, "crop side must be in (0, 1]");
        int w = s.Width, h = s.Height;
        var rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
        {
            float sy = Math.Clamp((y0 + (y + 0.5f) / h * side) * h - 0.5f, 0, h - 1);
            int ya = (int)sy, yb = Math.Min(ya + 1, h - 1);
            float fy = sy - ya;
            for (int x = 0; x < w; x++)
            {
                float sx = Math.Clamp((x0 + (x + 0.5f) / w * side) * w - 0.5f, 0, w - 1);
                int xa = (int)sx, xb = Math.Min(xa + 1, w - 1);
                float fx = sx - xa;
                for (int c = 0; c < 3; c++)
                {
                    float top = s.Rgb[(ya * w + xa) * 3 + c] * (1 - fx) + s.Rgb[(ya * w + xb) * 3 + c] * fx;
                    float bottom = s.Rgb[(yb * w + xa) * 3 + c] * (1 - fx) + s.Rgb[(yb * w + xb) * 3 + c] * fx;
                    rgb[(y * w + x) * 3 + c] = (byte)Math.Clamp(MathF.Round(top * (1 - fy) + bottom * fy), 0, 255);
                }
            }
        }
        var objects = new List<LabeledBox>(s.Objects.Count);
        foreach (var o in s.Objects)
        {
            var b = o.Box;
            var moved = new BoundingBox((b.XMin - x0) / side, (b.YMin - y0) / side, (b.XMax - x0) / side, (b.YMax - y0) / side);
            var clipped = new BoundingBox(Math.Clamp(moved.XMin, 0, 1), Math.Clamp(moved.YMin, 0, 1), Math.Clamp(moved.XMax, 0, 1), Math.Clamp(moved.YMax, 0, 1));
            if (moved.Area > 0 && clipped.Area >= MinVisible * moved.Area) objects.Add(o with { Box = clipped });
        }
        return new DetectionSample(w, h, rgb, objects);
    }
}
