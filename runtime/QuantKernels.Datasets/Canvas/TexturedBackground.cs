namespace QuantKernels.Datasets.Canvas;

/// <summary>Fills an RGB canvas with a random texture: a base colour, a sinusoidal grating and pixel noise.</summary>
internal static class TexturedBackground
{
    public static void Fill(Span<byte> rgb, int size, Random rng)
    {
        Span<float> baseColour = stackalloc float[3];
        Span<float> gratingColour = stackalloc float[3];
        for (int c = 0; c < 3; c++)
        {
            baseColour[c] = 30 + 140 * rng.NextSingle();
            gratingColour[c] = (rng.NextSingle() - 0.5f) * 60;
        }
        // Spatial frequency in cycles per canvas, random orientation: from near-flat to fine stripes.
        float cycles = 0.5f + 8 * rng.NextSingle();
        float angle = MathF.PI * rng.NextSingle();
        float fx = 2 * MathF.PI * cycles * MathF.Cos(angle) / size, fy = 2 * MathF.PI * cycles * MathF.Sin(angle) / size;
        float phase = 2 * MathF.PI * rng.NextSingle();
        float noise = 20 * rng.NextSingle();
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                float g = MathF.Sin(fx * x + fy * y + phase);
                float n = (rng.NextSingle() - 0.5f) * noise;
                int o = (y * size + x) * 3;
                for (int c = 0; c < 3; c++) rgb[o + c] = ToByte(baseColour[c] + g * gratingColour[c] + n);
            }
        }
    }

    public static byte ToByte(float v) => (byte)Math.Clamp((int)MathF.Round(v), 0, 255);
}
