namespace QuantKernels.Training.Model;

/// <summary>
/// SSD anchor layout: anchor side scales spaced linearly from <see cref="MinScale"/> (first feature map) to
/// <see cref="MaxScale"/> (last), one anchor per aspect ratio per cell plus one square anchor at the geometric mean of
/// this and the next scale. Anchors are (ycenter, xcenter, height, width), normalised, as TFLite_Detection_PostProcess reads them.
/// </summary>
public sealed record AnchorConfig
{
    /// <summary>Anchor scale on the first (finest) feature map, as a fraction of the image side.</summary>
    public float MinScale { get; init; } = 0.2f;

    /// <summary>Anchor scale on the last (coarsest) feature map.</summary>
    public float MaxScale { get; init; } = 0.55f;

    /// <summary>Aspect ratios (width / height).</summary>
    public float[] AspectRatios { get; init; } = [1f, 2f, 0.5f];

    /// <summary>Anchors per feature-map cell.</summary>
    public int AnchorsPerCell => AspectRatios.Length + 1;

    /// <summary>Box-coder scales (y, x, h, w), as in TFLite's SSD configs.</summary>
    public static readonly float[] CoderScales = [10f, 10f, 5f, 5f];

    /// <summary>Anchors for feature maps of the given sides, in the order the heads emit them (row, column, anchor).</summary>
    public float[,] Generate(IReadOnlyList<int> featureSides)
    {
        int m = featureSides.Count;
        int total = featureSides.Sum(s => s * s) * AnchorsPerCell;
        var anchors = new float[total, 4];
        int a = 0;
        for (int k = 0; k < m; k++)
        {
            float scale = m == 1 ? MinScale : MinScale + (MaxScale - MinScale) * k / (m - 1);
            float next = k + 1 < m ? MinScale + (MaxScale - MinScale) * (k + 1) / (m - 1) : 1f;
            int side = featureSides[k];
            for (int y = 0; y < side; y++)
                for (int x = 0; x < side; x++)
                {
                    float cy = (y + 0.5f) / side, cx = (x + 0.5f) / side;
                    foreach (float ratio in AspectRatios)
                    {
                        float r = MathF.Sqrt(ratio);
                        Set(anchors, a++, cy, cx, scale / r, scale * r);
                    }
                    float extra = MathF.Sqrt(scale * next);
                    Set(anchors, a++, cy, cx, extra, extra);
                }
        }
        return anchors;
    }

    private static void Set(float[,] anchors, int i, float cy, float cx, float h, float w)
    {
        anchors[i, 0] = cy; anchors[i, 1] = cx; anchors[i, 2] = h; anchors[i, 3] = w;
    }
}
