using System.Runtime.CompilerServices;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Elementwise;

/// <summary>
/// Quantized ADD and SUB for int8 (sbyte) and uint8 (byte) with N-D broadcasting, in both conventions:
/// <list type="bullet">
/// <item><see cref="RequantConvention.Reference"/>: TFLite's reference integer add/sub (add.cc / sub.cc Prepare,
/// reference_integer_ops::AddElementwise): inputs shifted left by 20, each scaled by
/// QuantizeMultiplierSmallerThanOneExp(s_in / (2 max(s_a, s_b))), summed, scaled by
/// 2 max(s_a, s_b) / (2^20 s_out), all with gemmlowp double rounding.</item>
/// <item><see cref="RequantConvention.Xnnpack"/>: XNNPACK's qs8/qu8 vadd scalar microkernel with
/// xnn_init_qs8_add_minmax_scalar_params: ratios r = s_in / s_out in float32,
/// shift = 20 - exponent(max(|r_a|, |r_b|)), m = lrintf(r * 2^shift) (negated for SUB's b),
/// bias = 2^(shift-1) - m_a z_a - m_b z_b, out = ((bias + m_a a + m_b b) &gt;&gt; shift) + z_out, clamped.
/// XNNPACK (and so TFLite's delegate) refuses ratios outside [2^-10, 2^8); TFLite then runs its own kernel,
/// so Prepare falls back to Reference there.</item>
/// </list>
/// </summary>
public static class QuantizedAdd
{
    /// <summary>TFLite's left shift for 8-bit add/sub inputs.</summary>
    public const int ReferenceLeftShift = 20;

    /// <summary>
    /// Computes the per-op parameters once. T is sbyte (int8) or byte (uint8) and fixes the clamp range.
    /// </summary>
    /// <param name="convention">Which TFLite integer convention to reproduce.</param>
    /// <param name="aScale">Scale of input a.</param>
    /// <param name="aZeroPoint">Zero point of input a.</param>
    /// <param name="bScale">Scale of input b.</param>
    /// <param name="bZeroPoint">Zero point of input b.</param>
    /// <param name="outScale">Scale of the output.</param>
    /// <param name="outZeroPoint">Zero point of the output.</param>
    /// <param name="activation">Fused activation (None, Relu, Relu6, ReluN1To1).</param>
    /// <param name="subtract">True for SUB (a - b), false for ADD.</param>
    public static QuantizedAddParams Prepare<T>(RequantConvention convention,
        float aScale, int aZeroPoint, float bScale, int bZeroPoint, float outScale, int outZeroPoint,
        FusedActivation activation = FusedActivation.None, bool subtract = false) where T : unmanaged
    {
        Q8.Check<T>();
        Q8.CheckScale(aScale, nameof(aScale));
        Q8.CheckScale(bScale, nameof(bScale));
        Q8.CheckScale(outScale, nameof(outScale));
        Q8.CheckZeroPoint<T>(aZeroPoint, nameof(aZeroPoint));
        Q8.CheckZeroPoint<T>(bZeroPoint, nameof(bZeroPoint));
        Q8.CheckZeroPoint<T>(outZeroPoint, nameof(outZeroPoint));
        (int min, int max) = ActivationRange.Quantized(activation, outScale, outZeroPoint, Q8.Min<T>(), Q8.Max<T>());

        if (convention == RequantConvention.Xnnpack && XnnpackSupports(aScale, bScale, outScale))
            return PrepareXnnpack(aScale, aZeroPoint, bScale, bZeroPoint, outScale, outZeroPoint, min, max, subtract);
        return PrepareReference(aScale, aZeroPoint, bScale, bZeroPoint, outScale, outZeroPoint, min, max, subtract);
    }

    /// <summary>Whether XNNPACK accepts these scales: both s_in/s_out (float32) in [2^-10, 2^8).</summary>
    public static bool XnnpackSupports(float aScale, float bScale, float outScale)
    {
        float ra = aScale / outScale, rb = bScale / outScale;
        return ra >= 1f / 1024f && ra < 256f && rb >= 1f / 1024f && rb < 256f;
    }

    private static QuantizedAddParams PrepareReference(float aScale, int aZp, float bScale, int bZp, float outScale, int outZp,
        int min, int max, bool subtract)
    {
        // add.cc: twice_max_input_scale = 2 * max(s1, s2) (float, exact), the rest in double.
        double twiceMax = 2 * Math.Max(aScale, bScale);
        double realA = aScale / twiceMax;
        double realB = bScale / twiceMax;
        double realOut = twiceMax / ((double)(1 << ReferenceLeftShift) * outScale);
        (int ma, int sa) = FixedPoint.QuantizeMultiplier(realA);
        (int mb, int sb) = FixedPoint.QuantizeMultiplier(realB);
        (int mo, int so) = FixedPoint.QuantizeMultiplier(realOut);
        if (sa > 0 || sb > 0 || so > 0)
            throw new ArgumentException("quantized ADD/SUB needs an output multiplier below one (output scale too small for the input scales)");
        return new QuantizedAddParams
        {
            Convention = RequantConvention.Reference, Subtract = subtract,
            OutputMin = min, OutputMax = max, OutputZeroPoint = outZp,
            InputOffsetA = -aZp, InputOffsetB = -bZp, LeftShift = ReferenceLeftShift,
            MultiplierA = ma, ShiftA = sa, MultiplierB = mb, ShiftB = sb, OutputMultiplier = mo, OutputShift = so,
        };
    }

    private static QuantizedAddParams PrepareXnnpack(float aScale, int aZp, float bScale, int bZp, float outScale, int outZp,
        int min, int max, bool subtract)
    {
        float ra = aScale / outScale;
        float rb = bScale / outScale;
        float maxRatio = Math.Max(ra, rb);
        int exponent = (int)(BitConverter.SingleToUInt32Bits(maxRatio) >> 23) - 127;
        int shift = 20 - exponent; // in [12, 30] for ratios in [2^-10, 2^8)
        // r * 2^shift is exact (exponent add); lrintf rounds half to even.
        int ma = (int)MathF.Round(MathF.ScaleB(ra, shift), MidpointRounding.ToEven);
        int mb = (int)MathF.Round(MathF.ScaleB(rb, shift), MidpointRounding.ToEven);
        if (subtract) mb = -mb; // XNNPACK's subtract = add with a negative b scale ratio.
        int bias = unchecked((1 << (shift - 1)) - ma * aZp - mb * bZp);
        return new QuantizedAddParams
        {
            Convention = RequantConvention.Xnnpack, Subtract = subtract,
            OutputMin = min, OutputMax = max, OutputZeroPoint = outZp,
            XnnMultiplierA = ma, XnnMultiplierB = mb, XnnBias = bias, XnnShift = shift,
        };
    }

    /// <summary>
    /// Runs the prepared ADD/SUB. T must be the type <see cref="Prepare{T}"/> was called with.
    /// </summary>
    /// <param name="p">Parameters from <see cref="Prepare{T}"/>.</param>
    /// <param name="aShape">Shape of a (rank 0..6).</param>
    /// <param name="a">Input a.</param>
    /// <param name="bShape">Shape of b.</param>
    /// <param name="b">Input b.</param>
    /// <param name="outShape">Output shape (the broadcast of the input shapes).</param>
    /// <param name="output">Output.</param>
    public static void Invoke<T>(in QuantizedAddParams p,
        ReadOnlySpan<int> aShape, ReadOnlySpan<T> a, ReadOnlySpan<int> bShape, ReadOnlySpan<T> b,
        ReadOnlySpan<int> outShape, Span<T> output) where T : unmanaged
    {
        Q8.Check<T>();
        if (p.Convention == RequantConvention.Xnnpack)
            Broadcast.Apply(new XnnpackAddOp<T>(p), aShape, a, bShape, b, outShape, output);
        else if (p.Subtract)
            Broadcast.Apply(new ReferenceAddOp<T, SubSign>(p), aShape, a, bShape, b, outShape, output);
        else
            Broadcast.Apply(new ReferenceAddOp<T, AddSign>(p), aShape, a, bShape, b, outShape, output);
    }

    /// <summary>One element in the Reference convention (exposed for tests and SIMD cross-checks).</summary>
    public static int ReferenceElement(in QuantizedAddParams p, int a, int b)
    {
        int sa = ScaleInput(a + p.InputOffsetA, p.LeftShift, p.MultiplierA, p.ShiftA);
        int sb = ScaleInput(b + p.InputOffsetB, p.LeftShift, p.MultiplierB, p.ShiftB);
        int raw = p.Subtract ? sa - sb : sa + sb;
        int o = FixedPoint.MultiplyByQuantizedMultiplier(raw, p.OutputMultiplier, p.OutputShift) + p.OutputZeroPoint;
        return Math.Clamp(o, p.OutputMin, p.OutputMax);
    }

    /// <summary>One element in the Xnnpack convention.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int XnnpackElement(in QuantizedAddParams p, int a, int b)
    {
        int acc = unchecked(p.XnnBias + a * p.XnnMultiplierA + b * p.XnnMultiplierB);
        int o = (acc >> p.XnnShift) + p.OutputZeroPoint;
        return Math.Clamp(o, p.OutputMin, p.OutputMax);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int ScaleInput(int v, int leftShift, int multiplier, int shift)
        => FixedPoint.MultiplyByQuantizedMultiplier(v * (1 << leftShift), multiplier, shift);

    private interface ISign { static abstract int Combine(int a, int b); }
    private struct AddSign : ISign { public static int Combine(int a, int b) => a + b; }
    private struct SubSign : ISign { public static int Combine(int a, int b) => a - b; }

    private readonly struct ReferenceAddOp<T, TSign>(QuantizedAddParams p) : IBinaryElementOp<T, T, T>
        where T : unmanaged where TSign : struct, ISign
    {
        private readonly int _offA = p.InputOffsetA, _offB = p.InputOffsetB, _ls = p.LeftShift;
        private readonly int _ma = p.MultiplierA, _sa = p.ShiftA, _mb = p.MultiplierB, _sb = p.ShiftB;
        private readonly int _mo = p.OutputMultiplier, _so = p.OutputShift, _zo = p.OutputZeroPoint;
        private readonly int _min = p.OutputMin, _max = p.OutputMax;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public T Invoke(T a, T b)
        {
            int sa = ScaleInput(Q8.ToInt(a) + _offA, _ls, _ma, _sa);
            int sb = ScaleInput(Q8.ToInt(b) + _offB, _ls, _mb, _sb);
            int o = FixedPoint.MultiplyByQuantizedMultiplier(TSign.Combine(sa, sb), _mo, _so) + _zo;
            return Q8.FromInt<T>(Math.Clamp(o, _min, _max));
        }
    }

    private readonly struct XnnpackAddOp<T>(QuantizedAddParams p) : IBinaryElementOp<T, T, T> where T : unmanaged
    {
        private readonly int _bias = p.XnnBias, _ma = p.XnnMultiplierA, _mb = p.XnnMultiplierB, _shift = p.XnnShift;
        private readonly int _zo = p.OutputZeroPoint, _min = p.OutputMin, _max = p.OutputMax;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public T Invoke(T a, T b)
        {
            int acc = unchecked(_bias + Q8.ToInt(a) * _ma + Q8.ToInt(b) * _mb);
            return Q8.FromInt<T>(Math.Clamp((acc >> _shift) + _zo, _min, _max));
        }
    }
}
