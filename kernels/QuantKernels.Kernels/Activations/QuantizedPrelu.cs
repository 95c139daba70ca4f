using System.Runtime.CompilerServices;
using QuantKernels.Kernels.Elementwise;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Activations;

/// <summary>Prepared parameters of a quantized PRELU.</summary>
public readonly struct QuantizedPreluParams
{
    /// <summary>Input zero point.</summary>
    public int InputZeroPoint { get; init; }
    /// <summary>Alpha zero point.</summary>
    public int AlphaZeroPoint { get; init; }
    /// <summary>Output zero point.</summary>
    public int OutputZeroPoint { get; init; }
    /// <summary>Multiplier for x &gt;= 0 (s_in / s_out).</summary>
    public int IdentityMultiplier { get; init; }
    /// <summary>Its shift.</summary>
    public int IdentityShift { get; init; }
    /// <summary>Multiplier for x &lt; 0 (s_in * s_alpha / s_out).</summary>
    public int AlphaMultiplier { get; init; }
    /// <summary>Its shift.</summary>
    public int AlphaShift { get; init; }
    /// <summary>Type minimum.</summary>
    public int Min { get; init; }
    /// <summary>Type maximum.</summary>
    public int Max { get; init; }
}

/// <summary>
/// Quantized PRELU (int8/uint8) with alpha broadcast, as TFLite's reference_ops::BroadcastPrelu4DSlow computes it
/// (used for both conventions): v = q - z_in; v &gt;= 0 ? MBQM(v, M1, s1) : MBQM(v * (a - z_alpha), M2, s2); + z_out, clamped.
/// </summary>
public static class QuantizedPrelu
{
    /// <summary>Computes multipliers once. Real multipliers are formed in float as TFLite does.</summary>
    public static QuantizedPreluParams Prepare<T>(float inScale, int inZeroPoint, float alphaScale, int alphaZeroPoint, float outScale, int outZeroPoint) where T : unmanaged
    {
        Q8.Check<T>();
        Q8.CheckScale(inScale, nameof(inScale));
        Q8.CheckScale(alphaScale, nameof(alphaScale));
        Q8.CheckScale(outScale, nameof(outScale));
        Q8.CheckZeroPoint<T>(inZeroPoint, nameof(inZeroPoint));
        Q8.CheckZeroPoint<T>(alphaZeroPoint, nameof(alphaZeroPoint));
        Q8.CheckZeroPoint<T>(outZeroPoint, nameof(outZeroPoint));
        (int m1, int s1) = FixedPoint.QuantizeMultiplier(inScale / outScale);
        (int m2, int s2) = FixedPoint.QuantizeMultiplier(inScale * alphaScale / outScale);
        return new QuantizedPreluParams
        {
            InputZeroPoint = inZeroPoint, AlphaZeroPoint = alphaZeroPoint, OutputZeroPoint = outZeroPoint,
            IdentityMultiplier = m1, IdentityShift = s1, AlphaMultiplier = m2, AlphaShift = s2,
            Min = Q8.Min<T>(), Max = Q8.Max<T>(),
        };
    }

    /// <summary>Runs PRELU: input and alpha broadcast against each other into the output shape.</summary>
    public static void Invoke<T>(in QuantizedPreluParams p, ReadOnlySpan<int> inputShape, ReadOnlySpan<T> input,
        ReadOnlySpan<int> alphaShape, ReadOnlySpan<T> alpha, ReadOnlySpan<int> outputShape, Span<T> output) where T : unmanaged
    {
        Q8.Check<T>();
        Broadcast.Apply(new Op<T>(p), inputShape, input, alphaShape, alpha, outputShape, output);
    }

    private readonly struct Op<T>(QuantizedPreluParams p) : IBinaryElementOp<T, T, T> where T : unmanaged
    {
        private readonly QuantizedPreluParams _p = p;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public T Invoke(T x, T a)
        {
            int v = Q8.ToInt(x) - _p.InputZeroPoint;
            int o = v >= 0
                ? FixedPoint.MultiplyByQuantizedMultiplier(v, _p.IdentityMultiplier, _p.IdentityShift)
                : FixedPoint.MultiplyByQuantizedMultiplier(v * (Q8.ToInt(a) - _p.AlphaZeroPoint), _p.AlphaMultiplier, _p.AlphaShift);
            return Q8.FromInt<T>(Math.Clamp(o + _p.OutputZeroPoint, _p.Min, _p.Max));
        }
    }
}
