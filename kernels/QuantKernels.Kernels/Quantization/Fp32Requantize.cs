using System.Runtime.CompilerServices;

namespace QuantKernels.Kernels.Quantization;

/// <summary>
/// The <see cref="RequantConvention.Xnnpack"/> requantization: float32 scale, round half to even,
/// clamp in the zero-point-relative range, add the zero point (what XNNPACK's fp32 "qc8"/"qs8" kernels do).
/// </summary>
public static class Fp32Requantize
{
    /// <summary>
    /// The per-channel float scale exactly as XNNPACK/TFLite form it:
    /// <c>(float)((float)inScale * (float)weightScale) / (float)outScale</c>, all in float32.
    /// </summary>
    public static float Scale(float inScale, float weightScale, float outScale)
        => (float)(inScale * weightScale) / outScale;

    /// <summary>q = clamp(round_half_even((float)acc * scale), qmin - zp, qmax - zp) + zp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Apply(int acc, float scale, int zeroPoint, int qmin, int qmax)
    {
        float scaled = (float)acc * scale;
        float lo = qmin - zeroPoint, hi = qmax - zeroPoint;
        scaled = scaled < lo ? lo : (scaled > hi ? hi : scaled);
        return (int)MathF.Round(scaled, MidpointRounding.ToEven) + zeroPoint;
    }
}
