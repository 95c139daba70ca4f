namespace QuantKernels.Kernels.Tests.Elementwise;

/// <summary>Quantize helpers matching TFLite's test helpers (round half away from zero, clamp to the type).</summary>
internal static class TestQuant
{
    public static sbyte[] I8(float[] values, float scale, int zp)
        => values.Select(v => (sbyte)Math.Clamp((int)MathF.Round(v / scale, MidpointRounding.AwayFromZero) + zp, -128, 127)).ToArray();

    public static byte[] U8(float[] values, float scale, int zp)
        => values.Select(v => (byte)Math.Clamp((int)MathF.Round(v / scale, MidpointRounding.AwayFromZero) + zp, 0, 255)).ToArray();
}
