namespace QuantKernels.Kernels.Detection.Anchors;

/// <summary>Writes one feature map's anchors: every cell row-major, every box shape within a cell, as (ycenter, xcenter, h, w).</summary>
internal static class AnchorGrid
{
    /// <summary>Writes gridH * gridW * specs.Count anchors at <paramref name="o"/> and advances it.</summary>
    /// <param name="anchors">Destination.</param>
    /// <param name="o">Write position (floats).</param>
    /// <param name="gridH">Cells vertically.</param>
    /// <param name="gridW">Cells horizontally.</param>
    /// <param name="offsetY">First cell centre, in cells, vertically.</param>
    /// <param name="offsetX">First cell centre, in cells, horizontally.</param>
    /// <param name="specs">Box shapes per cell.</param>
    /// <param name="baseH">Multiplies every height; 0 writes unit-size anchors (h = w = 1).</param>
    /// <param name="baseW">Multiplies every width.</param>
    public static void Write(float[] anchors, ref int o, int gridH, int gridW, double offsetY, double offsetX,
        List<AnchorBoxSpec> specs, double baseH, double baseW)
    {
        for (int y = 0; y < gridH; y++)
        {
            float yc = (float)((y + offsetY) / gridH);
            for (int x = 0; x < gridW; x++)
            {
                float xc = (float)((x + offsetX) / gridW);
                foreach (var spec in specs)
                {
                    anchors[o++] = yc;
                    anchors[o++] = xc;
                    anchors[o++] = baseH == 0 ? 1f : (float)(spec.Height * baseH);
                    anchors[o++] = baseH == 0 ? 1f : (float)(spec.Width * baseW);
                }
            }
        }
    }
}
