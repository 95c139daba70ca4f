using System.Numerics;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Conversion;

/// <summary>
/// QUANTIZE with a float32 input: real -&gt; int8/uint8/int16, q = clamp(round(x / scale) + zp).
/// Two conventions differ in how they divide and round:
/// <list type="bullet">
/// <item><see cref="Reference"/>: TFLite's AffineQuantize (reference and the x86 scalar optimized path):
/// <c>(int)std::round(x / scale) + zp</c> (float division, round half AWAY from zero), then clamp.</item>
/// <item><see cref="Xnnpack"/>: XNNPACK's f32-&gt;qs8/qu8 convert (the oracle): multiply by the float32
/// reciprocal <c>1.0f / scale</c>, clamp to [qmin - zp, qmax - zp] in float, round half to EVEN, + zp.</item>
/// </list>
/// </summary>
public static class Quantize
{
    /// <summary>TFLite reference AffineQuantize.</summary>
    /// <param name="input">Float input.</param><param name="output">Quantized output, same length.</param>
    /// <param name="scale">Output scale (&gt; 0).</param><param name="zeroPoint">Output zero point.</param>
    public static void Reference<T>(ReadOnlySpan<float> input, Span<T> output, float scale, int zeroPoint)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        Check(input.Length, output.Length, scale);
        int qmin = int.CreateTruncating(T.MinValue), qmax = int.CreateTruncating(T.MaxValue);
        for (int i = 0; i < input.Length; i++)
        {
            float r = MathF.Round(input[i] / scale, MidpointRounding.AwayFromZero);
            // Clamp before the int conversion: C++'s static_cast is undefined out of range; saturation is the sane reading.
            double v = Math.Clamp((double)r + zeroPoint, qmin, qmax);
            output[i] = T.CreateTruncating((int)v);
        }
    }

    /// <summary>XNNPACK's f32 -&gt; quantized convert (round half to even on x * (1/scale)).</summary>
    public static void Xnnpack<T>(ReadOnlySpan<float> input, Span<T> output, float scale, int zeroPoint)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        Check(input.Length, output.Length, scale);
        int qmin = int.CreateTruncating(T.MinValue), qmax = int.CreateTruncating(T.MaxValue);
        float inv = 1.0f / scale;
        float lo = qmin - zeroPoint, hi = qmax - zeroPoint;
        for (int i = 0; i < input.Length; i++)
        {
            float v = input[i] * inv;
            v = v < lo ? lo : (v > hi ? hi : v);
            if (float.IsNaN(v)) v = lo; // NaN passes both compares; pin it so the int conversion is defined
            output[i] = T.CreateTruncating((int)MathF.Round(v, MidpointRounding.ToEven) + zeroPoint);
        }
    }

    /// <summary>Dispatches on <paramref name="convention"/>.</summary>
    public static void Float<T>(RequantConvention convention, ReadOnlySpan<float> input, Span<T> output, float scale, int zeroPoint)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        if (convention == RequantConvention.Xnnpack) Xnnpack(input, output, scale, zeroPoint);
        else Reference(input, output, scale, zeroPoint);
    }

    private static void Check(int inLen, int outLen, float scale)
    {
        if (inLen != outLen) throw new ArgumentException($"input has {inLen} elements, output {outLen}");
        if (!(scale > 0) || float.IsInfinity(scale)) throw new ArgumentException($"scale must be positive and finite, got {scale}", nameof(scale));
    }
}
