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
    float Scale, int Multiplier, int Shift, int QMin, int QMax, ReferenceMeanPath Path = ReferenceMeanPath.General)
{
    /// <summary>
    /// MEAN as TFLite's reduce.cc picks the kernel for int8/int16 under the Reference convention:
    /// keep_dims over axes {1,2} of a 4-D input -&gt; <see cref="ReferenceMeanPath.HeightWidth4D"/>; else equal input and
    /// output (scale, zero point) -&gt; <see cref="ReferenceMeanPath.EqualParams"/>; else <see cref="ReferenceMeanPath.General"/>.
    /// Under the Xnnpack convention this is <see cref="Prepare"/> with isSum false.
    /// </summary>
    /// <param name="convention">Which TFLite path to reproduce.</param>
    /// <param name="inputShape">Input shape.</param><param name="axes">Reduction axes (as given to the op).</param>
    /// <param name="keepDims">The op's keep_dims.</param>
    /// <param name="inScale">Input scale.</param><param name="inZeroPoint">Input zero point.</param>
    /// <param name="outScale">Output scale.</param><param name="outZeroPoint">Output zero point.</param>
    /// <param name="qmin">Smallest output value.</param><param name="qmax">Largest output value.</param>
    public static QuantizedReduceParams PrepareMean(RequantConvention convention, ReadOnlySpan<int> inputShape, ReadOnlySpan<int> axes, bool keepDims,
        float inScale, int inZeroPoint, float outScale, int outZeroPoint, int qmin, int qmax)
    {
        int count = ReduceShape.ReducedCount(inputShape, axes);
        var p = Prepare(convention, false, count, inScale, inZeroPoint, outScale, outZeroPoint, qmin, qmax);
        if (convention == RequantConvention.Xnnpack) return p;
        bool hw = keepDims && inputShape.Length == 4 && axes.Length == 2
            && ((axes[0] == 1 && axes[1] == 2) || (axes[0] == 2 && axes[1] == 1));
        if (hw)
        {
            // reference_integer_ops::Mean uses the plain multiplier of inScale/outScale and divides by count afterwards.
            (int m, int shift) = FixedPoint.QuantizeMultiplier((double)inScale / (double)outScale);
            return p with { Multiplier = m, Shift = shift, Path = ReferenceMeanPath.HeightWidth4D };
        }
        if (inScale == outScale && inZeroPoint == outZeroPoint) return p with { Path = ReferenceMeanPath.EqualParams };
        return p;
    }

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
        int v;
        switch (Path)
        {
            case ReferenceMeanPath.EqualParams:
                // reference_ops::Mean<T, int>: raw sum / count, C truncation, no requantization.
                v = rawSum / Count;
                break;
            case ReferenceMeanPath.HeightWidth4D:
                v = FixedPoint.MultiplyByQuantizedMultiplier(centered, Multiplier, Shift);
                v = v > 0 ? (v + Count / 2) / Count : (v - Count / 2) / Count;
                v += OutputZeroPoint;
                break;
            default:
                v = FixedPoint.MultiplyByQuantizedMultiplier(centered, Multiplier, Shift) + OutputZeroPoint;
                break;
        }
        return Math.Min(Math.Max(v, QMin), QMax);
    }
}

/// <summary>Which of TFLite's reference integer MEAN kernels <see cref="QuantizedReduceParams"/> reproduces.</summary>
public enum ReferenceMeanPath
{
    /// <summary>reference_ops::QuantizedMeanOrSum (the 1/count folded into the multiplier); also every SUM.</summary>
    General = 0,

    /// <summary>reference_integer_ops::Mean: 4-D input, axes {1,2}, keep_dims: requantize the centered sum, then divide by count rounding half away from zero.</summary>
    HeightWidth4D = 1,

    /// <summary>reference_ops::Mean&lt;T,int&gt;: equal input/output params, raw sum / count with C truncation.</summary>
    EqualParams = 2,
}
