using System.Numerics;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Conversion;

/// <summary>
/// QUANTIZE with a quantized input (int8/uint8/int16 -&gt; int8/uint8/int16 with other parameters), TFLite's
/// Requantize: (M, shift) = QuantizeMultiplier((double)inScale / (double)outScale) once at prepare;
/// q = clamp(MultiplyByQuantizedMultiplier(x - zpIn, M, shift) + zpOut). With equal scales M = 2^30,
/// shift = 1, which is exact: the op reduces to a zero-point shift (int8 &lt;-&gt; uint8 with zp +-128 is the
/// usual case), matching the oracle.
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
}
