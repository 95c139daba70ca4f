using QuantKernels.Kernels.Elementwise;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Activations;

/// <summary>
/// Prepare steps for int8/uint8 unary activations: each fills a 256-byte table once, applied with
/// <see cref="QuantizedLut.Apply{T}"/>. Which TFLite kernel each reproduces:
/// <list type="bullet">
/// <item>LOGISTIC / TANH: Reference = TFLite's own LUT kernel (activations.cc PopulateLookupTable: float
/// 1/(1+exp(-x)) or tanh, times 1/s_out, std::round); Xnnpack = XNNPACK's lut-elementwise setup (sigmoid computed
/// as signbit(x) ? 1/(1+e^-x) : 1 - 1/(1+e^x), tanhf, lrintf). Exponentials use .NET's MathF, which may differ
/// from the C library by an ulp on rare inputs.</item>
/// <item>RELU / RELU6 / RELU_N1_TO_1: TFLite's QuantizedReluX (both conventions): z_out + MultiplyByQuantizedMultiplier(
/// q - z_in, QuantizeMultiplier(s_in / s_out)), clamped to [max(qmin, z_out + roundf(lo/s_out)), min(qmax, z_out + roundf(hi/s_out))].</item>
/// <item>LEAKY_RELU: Reference = TFLite's QuantizeLeakyRelu: identity multiplier s_in/s_out for q &gt;= z_in,
/// alpha multiplier s_in*alpha/s_out below. Xnnpack = XNNPACK's qs8/qu8 vlrelu: r = s_in/s_out (float32),
/// M+ = lrintf(-256 r), M- = lrintf(-256 r alpha), out = ((z_in - q) * 128 * M + 2^14) &gt;&gt; 15 + z_out with M- when
/// q &lt; z_in; outside XNNPACK's accepted ratios (r in [2^-8, 2^7], r*alpha in [-127.996, 2^7]) it falls back to Reference.</item>
/// <item>HARD_SWISH: TFLite's own integer kernel (HardSwishPrepare + reference_ops::HardSwish, 16-bit fixed point with
/// a relu-ish multiplier) in both conventions: the oracle runs it too (a float LUT differed on 4 of 256 inputs).</item>
/// </list>
/// </summary>
public static class QuantizedActivations
{
    /// <summary>Output quantization TFLite requires for LOGISTIC and SOFTMAX: (1/256, -128) for int8, (1/256, 0) for uint8.</summary>
    public static (float Scale, int ZeroPoint) ProbabilityOutput<T>() where T : unmanaged
        => (1f / 256f, typeof(T) == typeof(sbyte) ? -128 : 0);

    /// <summary>Output quantization TFLite requires for TANH: (1/128, 0) for int8, (1/128, 128) for uint8.</summary>
    public static (float Scale, int ZeroPoint) TanhOutput<T>() where T : unmanaged
        => (1f / 128f, typeof(T) == typeof(sbyte) ? 0 : 128);

    /// <summary>LOGISTIC table (output quantization from <see cref="ProbabilityOutput{T}"/>).</summary>
    public static void PrepareLogistic<T>(RequantConvention convention, float inScale, int inZeroPoint, Span<byte> table) where T : unmanaged
    {
        (float os, int oz) = ProbabilityOutput<T>();
        Func<float, float> f = convention == RequantConvention.Xnnpack
            ? x => float.IsNegative(x) ? 1f / (1f + MathF.Exp(-x)) : 1f - 1f / (1f + MathF.Exp(x))
            : x => 1f / (1f + MathF.Exp(-x));
        QuantizedLut.BuildFromFloat<T>(convention, inScale, inZeroPoint, os, oz, f, table);
    }

    /// <summary>TANH table (output quantization from <see cref="TanhOutput{T}"/>).</summary>
    public static void PrepareTanh<T>(RequantConvention convention, float inScale, int inZeroPoint, Span<byte> table) where T : unmanaged
    {
        (float os, int oz) = TanhOutput<T>();
        QuantizedLut.BuildFromFloat<T>(convention, inScale, inZeroPoint, os, oz, MathF.Tanh, table);
    }

    /// <summary>
    /// HARD_SWISH table with TFLite's integer hard-swish (the same in both conventions; the parameter is kept so
    /// every Prepare has the same shape). Throws when s_out &lt; s_in / 128, which TFLite rejects too.
    /// </summary>
    public static void PrepareHardSwish<T>(RequantConvention convention, float inScale, int inZeroPoint, float outScale, int outZeroPoint, Span<byte> table) where T : unmanaged
    {
        Q8.Check<T>();
        Q8.CheckScale(inScale, nameof(inScale));
        Q8.CheckScale(outScale, nameof(outScale));
        Q8.CheckZeroPoint<T>(inZeroPoint, nameof(inZeroPoint));
        Q8.CheckZeroPoint<T>(outZeroPoint, nameof(outZeroPoint));
        var p = HardSwishInt16.Prepare(inScale, inZeroPoint, outScale, outZeroPoint);
        int qmin = Q8.Min<T>(), qmax = Q8.Max<T>();
        QuantizedLut.BuildFromInteger<T>(q => HardSwishInt16.Evaluate(p, q, qmin, qmax), table);
    }

    /// <summary>
    /// RELU (<paramref name="kind"/> = Relu), RELU6 or RELU_N1_TO_1 table with TFLite's QuantizedReluX arithmetic.
    /// </summary>
    /// <param name="kind">Relu, Relu6 or ReluN1To1.</param>
    /// <param name="inScale">Input scale.</param>
    /// <param name="inZeroPoint">Input zero point.</param>
    /// <param name="outScale">Output scale.</param>
    /// <param name="outZeroPoint">Output zero point.</param>
    /// <param name="table">Destination, 256 bytes.</param>
    public static void PrepareRelu<T>(FusedActivation kind, float inScale, int inZeroPoint, float outScale, int outZeroPoint, Span<byte> table) where T : unmanaged
    {
        Q8.Check<T>();
        Q8.CheckScale(inScale, nameof(inScale));
        Q8.CheckScale(outScale, nameof(outScale));
        Q8.CheckZeroPoint<T>(inZeroPoint, nameof(inZeroPoint));
        Q8.CheckZeroPoint<T>(outZeroPoint, nameof(outZeroPoint));
        (float lo, float hi) = kind switch
        {
            FusedActivation.Relu => (0f, float.PositiveInfinity),
            FusedActivation.Relu6 => (0f, 6f),
            FusedActivation.ReluN1To1 => (-1f, 1f),
            _ => throw new ArgumentException($"{kind} is not a RELU variant", nameof(kind)),
        };
        int qmin = Q8.Min<T>(), qmax = Q8.Max<T>();
        int actMin = Math.Max(qmin, outZeroPoint + (int)MathF.Round(lo / outScale, MidpointRounding.AwayFromZero));
        int actMax = float.IsPositiveInfinity(hi) ? qmax : Math.Min(qmax, outZeroPoint + (int)MathF.Round(hi / outScale, MidpointRounding.AwayFromZero));
        (int m, int s) = FixedPoint.QuantizeMultiplier(inScale / outScale);
        QuantizedLut.BuildFromInteger<T>(q =>
        {
            int v = outZeroPoint + FixedPoint.MultiplyByQuantizedMultiplier(q - inZeroPoint, m, s);
            return Math.Max(actMin, Math.Min(actMax, v));
        }, table);
    }

    /// <summary>LEAKY_RELU table (alpha may be negative); see the class remarks for the two conventions.</summary>
    /// <param name="convention">Which kernel to reproduce.</param>
    /// <param name="alpha">Slope for negative inputs (LeakyReluOptions.alpha).</param>
    /// <param name="inScale">Input scale.</param>
    /// <param name="inZeroPoint">Input zero point.</param>
    /// <param name="outScale">Output scale.</param>
    /// <param name="outZeroPoint">Output zero point.</param>
    /// <param name="table">Destination, 256 bytes.</param>
    public static void PrepareLeakyRelu<T>(RequantConvention convention, float alpha, float inScale, int inZeroPoint, float outScale, int outZeroPoint, Span<byte> table) where T : unmanaged
    {
        Q8.Check<T>();
        Q8.CheckScale(inScale, nameof(inScale));
        Q8.CheckScale(outScale, nameof(outScale));
        Q8.CheckZeroPoint<T>(inZeroPoint, nameof(inZeroPoint));
        Q8.CheckZeroPoint<T>(outZeroPoint, nameof(outZeroPoint));
        if (convention == RequantConvention.Xnnpack)
        {
            float positive = inScale / outScale;
            float negative = positive * alpha;
            if (positive >= 1f / 256f && positive <= 128f && negative >= -127.99609375f && negative <= 128f)
            {
                int mPos = (int)MathF.Round(-256f * positive, MidpointRounding.ToEven);
                int mNeg = (int)MathF.Round(-256f * negative, MidpointRounding.ToEven);
                QuantizedLut.BuildFromInteger<T>(q =>
                {
                    int v = (inZeroPoint - q) * 128;
                    return ((v * (v <= 0 ? mPos : mNeg) + 0x4000) >> 15) + outZeroPoint;
                }, table);
                return;
            }
        }
        (int mi, int si) = FixedPoint.QuantizeMultiplier(inScale / outScale);
        (int ma, int sa) = SignedMultiplier(inScale * alpha / outScale);
        QuantizedLut.BuildFromInteger<T>(q =>
        {
            int v = q - inZeroPoint;
            return outZeroPoint + (v >= 0 ? FixedPoint.MultiplyByQuantizedMultiplier(v, mi, si) : FixedPoint.MultiplyByQuantizedMultiplier(v, ma, sa));
        }, table);
    }

    /// <summary>
    /// ABS table with TFLite's elementwise.cc AbsEvalQuantized (both conventions): v = |q - z_in|; when the input and
    /// output scales/zero points differ, z_out + MultiplyByQuantizedMultiplier(v, QuantizeMultiplier(s_in / s_out)),
    /// otherwise v + z_out; clamped to T's range.
    /// </summary>
    public static void PrepareAbs<T>(float inScale, int inZeroPoint, float outScale, int outZeroPoint, Span<byte> table) where T : unmanaged
    {
        Q8.Check<T>();
        Q8.CheckScale(inScale, nameof(inScale));
        Q8.CheckScale(outScale, nameof(outScale));
        Q8.CheckZeroPoint<T>(inZeroPoint, nameof(inZeroPoint));
        Q8.CheckZeroPoint<T>(outZeroPoint, nameof(outZeroPoint));
        bool rescale = inScale != outScale || inZeroPoint != outZeroPoint;
        (int m, int s) = FixedPoint.QuantizeMultiplier(inScale / outScale);
        QuantizedLut.BuildFromInteger<T>(q =>
        {
            int v = Math.Abs(q - inZeroPoint);
            return (rescale ? FixedPoint.MultiplyByQuantizedMultiplier(v, m, s) : v) + outZeroPoint;
        }, table);
    }

    /// <summary>QuantizeMultiplier for a possibly negative real multiplier (frexp and round-half-away are odd functions).</summary>
    internal static (int Multiplier, int Shift) SignedMultiplier(double real)
    {
        if (real >= 0) return FixedPoint.QuantizeMultiplier(real);
        (int m, int s) = FixedPoint.QuantizeMultiplier(-real);
        return (-m, s);
    }
}
