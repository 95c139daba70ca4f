using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Reduce;

/// <summary>
/// Requantization parameters of a quantized MEAN or SUM, computed once at Prepare by <see cref="Prepare"/>.
/// <list type="bullet">
/// <item><see cref="RequantConvention.Xnnpack"/> (the oracle; XNNPACK's qs8/qu8 mean and sum):
/// <c>Scale = (float)(inScale / outScale)</c> in float32, times <c>1.0f / (float)count</c> for MEAN;
/// output = clamp(round_half_even((float)(sum - zpIn*count) * Scale), qmin - zpOut, qmax - zpOut) + zpOut.</item>
/// <item><see cref="RequantConvention.Reference"/> (TFLite reference <c>QuantizedMeanOrSum</c>):
/// (M, shift) = QuantizeMultiplier((double)inScale / (double)outScale); for MEAN the 1/count factor is folded
/// in as TFLite does: s = min(63 - clz(count), 32, 31 + shift), M = (int)(((long)M &lt;&lt; s) / count),
/// shift -= s; output = clamp(MultiplyByQuantizedMultiplier(sum - zpIn*count, M, shift) + zpOut).</item>
/// </list>
/// </summary>
public readonly record struct QuantizedReduceParams(
    RequantConvention Convention, bool IsSum, int Count, int InputZeroPoint, int OutputZeroPoint,
    float Scale, int Multiplier, int Shift, int QMin, int QMax)
{
    /// <summary>Computes the parameters for a MEAN (<paramref name="isSum"/> false) or SUM.</summary>
    /// <param name="convention">Which TFLite path to reproduce.</param>
    /// <param name="isSum">True for SUM, false for MEAN.</param>
    /// <param name="count">Elements folded into each output (<see cref="ReduceShape.ReducedCount"/>), &gt;= 1.</param>
    /// <param name="inScale">Input scale.</param><param name="inZeroPoint">Input zero point.</param>
    /// <param name="outScale">Output scale.</param><param name="outZeroPoint">Output zero point.</param>
    /// <param name="qmin">Smallest output value (-128 for int8, 0 for uint8).</param>
    /// <param name="qmax">Largest output value (127 or 255).</param>
    public static QuantizedReduceParams Prepare(RequantConvention convention, bool isSum, int count,
        float inScale, int inZeroPoint, float outScale, int outZeroPoint, int qmin, int qmax)
    {
        if (count < 1) throw new ArgumentException($"reduction count must be >= 1, got {count}", nameof(count));
        if (!(inScale > 0) || !(outScale > 0)) throw new ArgumentException($"scales must be positive, got in {inScale} out {outScale}");
        if (qmin > qmax) throw new ArgumentException($"qmin {qmin} > qmax {qmax}");
        if (convention == RequantConvention.Xnnpack)
        {
            float scale = inScale / outScale;
            if (!isSum) scale *= 1.0f / (float)count;
            return new(convention, isSum, count, inZeroPoint, outZeroPoint, scale, 0, 0, qmin, qmax);
        }
        (int m, int shift) = FixedPoint.QuantizeMultiplier((double)inScale / (double)outScale);
        if (!isSum)
        {
            int s = 63 - System.Numerics.BitOperations.LeadingZeroCount((ulong)count);
            s = Math.Min(s, 32);
            s = Math.Min(s, 31 + shift);
            m = (int)(((long)m << s) / count);
            shift -= s;
        }
        return new(convention, isSum, count, inZeroPoint, outZeroPoint, 0f, m, shift, qmin, qmax);
    }

    /// <summary>Requantizes one raw sum of quantized inputs (zero point not yet removed).</summary>
    public int Apply(int rawSum)
    {
        int centered = unchecked(rawSum - InputZeroPoint * Count);
        if (Convention == RequantConvention.Xnnpack)
            return Fp32Requantize.Apply(centered, Scale, OutputZeroPoint, QMin, QMax);
        int v = FixedPoint.MultiplyByQuantizedMultiplier(centered, Multiplier, Shift) + OutputZeroPoint;
        return Math.Min(Math.Max(v, QMin), QMax);
    }
}
