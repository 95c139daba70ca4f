using System.Numerics;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Conversion;

/// <summary>
/// QUANTIZE with a quantized input (int8/uint8/int16 -&gt; int8/uint8/int16 with other parameters), TFLite's
/// Requantize: (M, shift) = QuantizeMultiplier((double)inScale / (double)outScale) once at prepare;
/// q = clamp(MultiplyByQuantizedMultiplier(x - zpIn, M, shift) + zpOut). With equal scales M = 2^30,
/// shift = 1, which is exact: the op reduces to a zero-point shift (int8 &lt;-&gt; uint8 with zp +-128 is the
/// usual case), matching the oracle. <see cref="RunXnnpack{T}"/> is XNNPACK's same-type convert (Q8 multiplier,
/// round half up), what the XNNPACK delegate runs for int8-&gt;int8 / uint8-&gt;uint8 QUANTIZE.
/// </summary>
public static class Requantize
{
    /// <summary>Prepared parameters.</summary>
    /// <param name="InputZeroPoint">Input zero point.</param><param name="OutputZeroPoint">Output zero point.</param>
    /// <param name="Multiplier">Q31 multiplier of inScale/outScale.</param><param name="Shift">Its power-of-two shift (positive = left).</param>
    public readonly record struct Params(int InputZeroPoint, int OutputZeroPoint, int Multiplier, int Shift);

    /// <summary>Computes <see cref="Params"/> from the tensors' quantization.</summary>
    public static Params Prepare(float inScale, int inZeroPoint, float outScale, int outZeroPoint)
    {
        if (!(inScale > 0) || !(outScale > 0)) throw new ArgumentException($"scales must be positive, got in {inScale} out {outScale}");
        (int m, int s) = FixedPoint.QuantizeMultiplier((double)inScale / (double)outScale);
        return new Params(inZeroPoint, outZeroPoint, m, s);
    }

    /// <summary>Requantizes <paramref name="input"/> into <paramref name="output"/> (same length).</summary>
    public static void Run<TIn, TOut>(ReadOnlySpan<TIn> input, Span<TOut> output, in Params p)
        where TIn : unmanaged, IBinaryInteger<TIn>
        where TOut : unmanaged, IBinaryInteger<TOut>, IMinMaxValue<TOut>
    {
        if (input.Length != output.Length) throw new ArgumentException($"input has {input.Length} elements, output {output.Length}");
        int qmin = int.CreateTruncating(TOut.MinValue), qmax = int.CreateTruncating(TOut.MaxValue);
        for (int i = 0; i < input.Length; i++)
        {
            int v = int.CreateTruncating(input[i]) - p.InputZeroPoint;
            v = FixedPoint.MultiplyByQuantizedMultiplier(v, p.Multiplier, p.Shift) + p.OutputZeroPoint;
            output[i] = TOut.CreateTruncating(Math.Min(Math.Max(v, qmin), qmax));
        }
    }

    /// <summary>
    /// Parameters of XNNPACK's same-type requantize (qs8-&gt;qs8 / qu8-&gt;qu8 convert), which the XNNPACK delegate
    /// runs for QUANTIZE when input and output have the same 8-bit type: multiplier = lrintf(256.0f * (float)(inScale / outScale)).
    /// XNNPACK only accepts ratios in [2^-8, 2^7].
    /// </summary>
    /// <param name="InputZeroPoint">Input zero point.</param><param name="OutputZeroPoint">Output zero point.</param>
    /// <param name="Multiplier">Q8 multiplier (1..32768).</param>
    public readonly record struct XnnpackParams(int InputZeroPoint, int OutputZeroPoint, int Multiplier);

    /// <summary>Computes <see cref="XnnpackParams"/>; throws when the scale ratio is outside XNNPACK's [2^-8, 2^7].</summary>
    public static XnnpackParams PrepareXnnpack(float inScale, int inZeroPoint, float outScale, int outZeroPoint)
    {
        if (!(inScale > 0) || !(outScale > 0)) throw new ArgumentException($"scales must be positive, got in {inScale} out {outScale}");
        float ratio = inScale / outScale;
        if (ratio < 1f / 256 || ratio > 128f) throw new ArgumentException($"XNNPACK requantize needs inScale/outScale in [2^-8, 2^7], got {ratio}");
        int m = (int)MathF.Round(256.0f * ratio, MidpointRounding.ToEven);
        return new XnnpackParams(inZeroPoint, outZeroPoint, m);
    }

    /// <summary>
    /// XNNPACK's scalar qs8/qu8 vcvt: out = clamp(((zpOut &lt;&lt; 8) - M * zpIn + 0x80 + x * M) &gt;&gt; 8), i.e.
    /// (x - zpIn) * M / 256 rounded half up, plus zpOut. Input and output have the same element type.
    /// </summary>
    public static void RunXnnpack<T>(ReadOnlySpan<T> input, Span<T> output, in XnnpackParams p)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        if (input.Length != output.Length) throw new ArgumentException($"input has {input.Length} elements, output {output.Length}");
        int qmin = int.CreateTruncating(T.MinValue), qmax = int.CreateTruncating(T.MaxValue);
        int bias = unchecked((p.OutputZeroPoint << 8) - p.Multiplier * p.InputZeroPoint + 0x80);
        for (int i = 0; i < input.Length; i++)
        {
            int acc = unchecked(bias + int.CreateTruncating(input[i]) * p.Multiplier);
            int v = acc >> 8;
            output[i] = T.CreateTruncating(Math.Min(Math.Max(v, qmin), qmax));
        }
    }
}
