using System.Runtime.CompilerServices;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Elementwise;

/// <summary>Prepared parameters of a quantized MUL (from <see cref="QuantizedMul.Prepare{T}"/>).</summary>
public readonly struct QuantizedMulParams
{
    /// <summary>Convention the kernel runs (Xnnpack falls back to Reference outside XNNPACK's scale range).</summary>
    public RequantConvention Convention { get; init; }
    /// <summary>Zero point of a.</summary>
    public int ZeroPointA { get; init; }
    /// <summary>Zero point of b.</summary>
    public int ZeroPointB { get; init; }
    /// <summary>Output zero point.</summary>
    public int OutputZeroPoint { get; init; }
    /// <summary>Lower clamp (fused activation within the type range).</summary>
    public int OutputMin { get; init; }
    /// <summary>Upper clamp.</summary>
    public int OutputMax { get; init; }
    /// <summary>Reference: QuantizeMultiplier of s_a*s_b/s_out.</summary>
    public int Multiplier { get; init; }
    /// <summary>Reference: its shift (positive = left).</summary>
    public int Shift { get; init; }
    /// <summary>Xnnpack: float32 (s_a*s_b)/s_out.</summary>
    public float Scale { get; init; }
}

/// <summary>
/// Quantized MUL for int8/uint8 with broadcasting.
/// <list type="bullet">
/// <item>Reference: TFLite mul.cc + reference_integer_ops::MulElementwise: acc = (a - z_a)(b - z_b),
/// out = z_out + MultiplyByQuantizedMultiplier(acc, M, shift), where (M, shift) = QuantizeMultiplier of the
/// real multiplier <c>s_a * s_b / s_out</c> — computed in float32 by TFLite (the scales are floats) and then widened.</item>
/// <item>Xnnpack: XNNPACK qs8/qu8 vmul fp32 scalar microkernel: scale = (float)(s_a*s_b)/s_out in float32,
/// out = clamp(round_half_even((float)acc * scale), min - z_out, max - z_out) + z_out. XNNPACK refuses
/// scales outside [2^-16, 2^8); Prepare then falls back to Reference, as TFLite would run its own kernel.</item>
/// </list>
/// </summary>
public static class QuantizedMul
{
    /// <summary>Computes the per-op parameters once. T is sbyte (int8) or byte (uint8).</summary>
    /// <param name="convention">Which TFLite integer convention to reproduce.</param>
    /// <param name="aScale">Scale of a.</param>
    /// <param name="aZeroPoint">Zero point of a.</param>
    /// <param name="bScale">Scale of b.</param>
    /// <param name="bZeroPoint">Zero point of b.</param>
    /// <param name="outScale">Output scale.</param>
    /// <param name="outZeroPoint">Output zero point.</param>
    /// <param name="activation">Fused activation.</param>
    public static QuantizedMulParams Prepare<T>(RequantConvention convention,
        float aScale, int aZeroPoint, float bScale, int bZeroPoint, float outScale, int outZeroPoint,
        FusedActivation activation = FusedActivation.None) where T : unmanaged
    {
        Q8.Check<T>();
        Q8.CheckScale(aScale, nameof(aScale));
        Q8.CheckScale(bScale, nameof(bScale));
        Q8.CheckScale(outScale, nameof(outScale));
        Q8.CheckZeroPoint<T>(aZeroPoint, nameof(aZeroPoint));
        Q8.CheckZeroPoint<T>(bZeroPoint, nameof(bZeroPoint));
        Q8.CheckZeroPoint<T>(outZeroPoint, nameof(outZeroPoint));
        (int min, int max) = ActivationRange.Quantized(activation, outScale, outZeroPoint, Q8.Min<T>(), Q8.Max<T>());
        float scale = Fp32Requantize.Scale(aScale, bScale, outScale);
        bool xnn = convention == RequantConvention.Xnnpack && scale >= 1f / 65536f && scale < 256f;
        (int m, int s) = xnn ? (0, 0) : FixedPoint.QuantizeMultiplier(scale);
        return new QuantizedMulParams
        {
            Convention = xnn ? RequantConvention.Xnnpack : RequantConvention.Reference,
            ZeroPointA = aZeroPoint, ZeroPointB = bZeroPoint, OutputZeroPoint = outZeroPoint,
            OutputMin = min, OutputMax = max, Multiplier = m, Shift = s, Scale = scale,
        };
    }

    /// <summary>Runs the prepared MUL (T as in Prepare; shapes as in <see cref="Broadcast.Apply{TA,TB,TOut,TOp}"/>).</summary>
    public static void Invoke<T>(in QuantizedMulParams p,
        ReadOnlySpan<int> aShape, ReadOnlySpan<T> a, ReadOnlySpan<int> bShape, ReadOnlySpan<T> b,
        ReadOnlySpan<int> outShape, Span<T> output) where T : unmanaged
    {
        Q8.Check<T>();
        if (p.Convention == RequantConvention.Xnnpack)
            Broadcast.Apply(new XnnpackMulOp<T>(p), aShape, a, bShape, b, outShape, output);
        else
            Broadcast.Apply(new ReferenceMulOp<T>(p), aShape, a, bShape, b, outShape, output);
    }

    /// <summary>One element of the prepared MUL, in its convention.</summary>
    public static int Element(in QuantizedMulParams p, int a, int b)
    {
        int acc = (a - p.ZeroPointA) * (b - p.ZeroPointB);
        if (p.Convention == RequantConvention.Xnnpack)
            return Fp32Requantize.Apply(acc, p.Scale, p.OutputZeroPoint, p.OutputMin, p.OutputMax);
        int o = FixedPoint.MultiplyByQuantizedMultiplier(acc, p.Multiplier, p.Shift) + p.OutputZeroPoint;
        return Math.Clamp(o, p.OutputMin, p.OutputMax);
    }

    private readonly struct ReferenceMulOp<T>(QuantizedMulParams p) : IBinaryElementOp<T, T, T> where T : unmanaged
    {
        private readonly int _za = p.ZeroPointA, _zb = p.ZeroPointB, _zo = p.OutputZeroPoint;
        private readonly int _m = p.Multiplier, _s = p.Shift, _min = p.OutputMin, _max = p.OutputMax;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public T Invoke(T a, T b)
        {
            int acc = (Q8.ToInt(a) - _za) * (Q8.ToInt(b) - _zb);
            int o = FixedPoint.MultiplyByQuantizedMultiplier(acc, _m, _s) + _zo;
            return Q8.FromInt<T>(Math.Clamp(o, _min, _max));
        }
    }

    private readonly struct XnnpackMulOp<T>(QuantizedMulParams p) : IBinaryElementOp<T, T, T> where T : unmanaged
    {
        private readonly int _za = p.ZeroPointA, _zb = p.ZeroPointB, _zo = p.OutputZeroPoint;
        private readonly int _min = p.OutputMin, _max = p.OutputMax;
        private readonly float _scale = p.Scale;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public T Invoke(T a, T b)
        {
            int acc = (Q8.ToInt(a) - _za) * (Q8.ToInt(b) - _zb);
            return Q8.FromInt<T>(Fp32Requantize.Apply(acc, _scale, _zo, _min, _max));
        }
    }
}
