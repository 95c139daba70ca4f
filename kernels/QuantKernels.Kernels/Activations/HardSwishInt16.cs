namespace QuantKernels.Kernels.Activations;

/// <summary>
/// TFLite's integer HARD_SWISH (activations.cc HardSwishPrepare + reference_ops::HardSwish): 16-bit fixed point
/// with a "relu-ish" multiplier. Evaluated once per possible input value to fill a lookup table.
/// </summary>
internal static class HardSwishInt16
{
    internal readonly record struct Params(int InputZeroPoint, int OutputZeroPoint,
        short OutputMultiplier, int OutputExponent, short ReluishMultiplier, int ReluishExponent);

    public static Params Prepare(float inScale, int inZeroPoint, float outScale, int outZeroPoint)
    {
        float hiresInputScale = (1.0f / 128.0f) * inScale;
        const float reluishScale = 3.0f / 32768.0f;
        (int om, int oe) = Quantization.FixedPoint.QuantizeMultiplier(hiresInputScale / outScale);
        if (oe > 0) throw new ArgumentException("HARD_SWISH needs output scale >= input scale / 128 (TFLite's output_multiplier_exponent <= 0)");
        (int rm, int re) = Quantization.FixedPoint.QuantizeMultiplier(hiresInputScale / reluishScale);
        return new Params(inZeroPoint, outZeroPoint, DownScale(om), oe, DownScale(rm), re);
    }

    // DownScaleInt32ToInt16Multiplier: round the Q31 multiplier to Q15, saturating near the top.
    private static short DownScale(int m)
    {
        const int roundingOffset = 1 << 15;
        if (m >= int.MaxValue - roundingOffset) return short.MaxValue;
        return (short)((m + roundingOffset) >> 16);
    }

    private static short Srdhm(short a, short b)
    {
        if (a == b && a == short.MinValue) return short.MaxValue;
        int ab = a * b;
        int nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
        return (short)((ab + nudge) / (1 << 15));
    }

    // TFLite's SaturatingDoublingHighMul (no rounding: truncating division) — cancels the rounding bias above.
    private static short Sdhm(short a, short b)
    {
        if (a == b && a == short.MinValue) return short.MaxValue;
        return (short)((a * b) / (1 << 15));
    }

    private static short SaturatingLeftShift(short v, int amount)
        => (short)Math.Clamp(v * (1 << amount), short.MinValue, short.MaxValue);

    private static short RoundingDivideByPot(short x, int exponent)
    {
        int mask = (1 << exponent) - 1;
        int remainder = x & mask;
        int threshold = (mask >> 1) + (x < 0 ? 1 : 0);
        return (short)((x >> exponent) + (remainder > threshold ? 1 : 0));
    }

    public static int Evaluate(in Params p, int q, int qmin, int qmax)
    {
        short inputValue = (short)(q - p.InputZeroPoint);
        short hires = (short)(inputValue * (1 << 7));
        short preshiftOutput = Srdhm(hires, p.OutputMultiplier);
        short reluish = hires;
        if (p.ReluishExponent > 0) reluish = SaturatingLeftShift(reluish, p.ReluishExponent - 1);
        reluish = Srdhm(reluish, p.ReluishMultiplier);
        if (p.ReluishExponent > 0) reluish = SaturatingLeftShift(reluish, 1);
        if (p.ReluishExponent < 0) reluish = RoundingDivideByPot(reluish, -p.ReluishExponent);
        reluish = (short)((reluish + (1 << 15)) >> 1);
        short preshift = Sdhm(reluish, preshiftOutput);
        int output = RoundingDivideByPot(preshift, -p.OutputExponent) + p.OutputZeroPoint;
        return Math.Clamp(output, qmin, qmax);
    }
}
