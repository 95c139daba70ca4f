using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace QuantKernels.Kernels.Depthwise;

/// <summary>
/// Requantization of one 16-channel block's two AVX2 accumulators (lanes in <see cref="DepthwisePairedLayout.LaneChannel"/>
/// order) to int16 in channel order, <em>before</em> the output zero point: <see cref="DepthwiseOutput256"/> adds it with
/// int16 saturation, narrows with saturation and clamps to the activation range. Every step after rounding is a monotone
/// clamp and the true result lies in [qmin, qmax] after the final clamp, so the bytes equal the reference's
/// clamp(round(acc * scale) + zp, qmin, qmax) (see each implementation).
/// </summary>
internal unsafe interface IDepthwiseRequant256<TSelf> where TSelf : struct, IDepthwiseRequant256<TSelf>
{
    /// <summary>The block's constants (channels c..c+15 of <paramref name="a"/>'s lane-order arrays).</summary>
    static abstract TSelf Create(in DepthwisePairedArgs a, int c);

    /// <summary>int16 results without the zero point: lanes 0-7 channels 0-7, 8-15 channels 8-15.</summary>
    Vector256<short> Apply(Vector256<int> lo, Vector256<int> hi);
}

/// <summary>The xnnpack convention: round_half_even((float)acc * scale) by <c>vcvtps2dq</c> (MXCSR default rounding).
/// Only the upper bound (qmax - zp) is applied in float, where <c>vcvtps2dq</c> would otherwise turn a large positive
/// value into INT32_MIN; below, the integer saturations and the final clamp give the same bytes.</summary>
internal readonly unsafe struct Fp32Requant256 : IDepthwiseRequant256<Fp32Requant256>
{
    private readonly Vector256<float> _scaleLo, _scaleHi, _max;

    private Fp32Requant256(Vector256<float> scaleLo, Vector256<float> scaleHi, Vector256<float> max)
        => (_scaleLo, _scaleHi, _max) = (scaleLo, scaleHi, max);

    public static Fp32Requant256 Create(in DepthwisePairedArgs a, int c)
        => new(Avx.LoadVector256(a.Scales + c), Avx.LoadVector256(a.Scales + c + 8), Vector256.Create((float)(a.OutputMax - a.OutputZeroPoint)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<short> Apply(Vector256<int> lo, Vector256<int> hi)
    {
        Vector256<float> f0 = Avx.Min(Avx.Multiply(Avx.ConvertToVector256Single(lo), _scaleLo), _max);
        Vector256<float> f1 = Avx.Min(Avx.Multiply(Avx.ConvertToVector256Single(hi), _scaleHi), _max);
        return Avx2.PackSignedSaturate(Avx.ConvertToVector256Int32(f0), Avx.ConvertToVector256Int32(f1));
    }
}

/// <summary><see cref="Fp32Requant256"/> without the float clamp, for layers whose accumulators cannot make
/// (float)acc * scale reach 2^31 (checked when packing).</summary>
internal readonly unsafe struct Fp32UnclampedRequant256 : IDepthwiseRequant256<Fp32UnclampedRequant256>
{
    private readonly Vector256<float> _scaleLo, _scaleHi;

    private Fp32UnclampedRequant256(Vector256<float> scaleLo, Vector256<float> scaleHi) => (_scaleLo, _scaleHi) = (scaleLo, scaleHi);

    public static Fp32UnclampedRequant256 Create(in DepthwisePairedArgs a, int c)
        => new(Avx.LoadVector256(a.Scales + c), Avx.LoadVector256(a.Scales + c + 8));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<short> Apply(Vector256<int> lo, Vector256<int> hi)
        => Avx2.PackSignedSaturate(Avx.ConvertToVector256Int32(Avx.Multiply(Avx.ConvertToVector256Single(lo), _scaleLo)),
            Avx.ConvertToVector256Int32(Avx.Multiply(Avx.ConvertToVector256Single(hi), _scaleHi)));
}

/// <summary>The reference convention: <see cref="FixedPoint256.MultiplyByQuantizedMultiplier"/> per lane.</summary>
internal readonly unsafe struct FixedPointRequant256 : IDepthwiseRequant256<FixedPointRequant256>
{
    private readonly Vector256<int> _m0, _m1, _l0, _l1, _r0, _r1;

    private FixedPointRequant256(int* m, int* l, int* r)
    {
        _m0 = Avx.LoadVector256(m); _m1 = Avx.LoadVector256(m + 8);
        _l0 = Avx.LoadVector256(l); _l1 = Avx.LoadVector256(l + 8);
        _r0 = Avx.LoadVector256(r); _r1 = Avx.LoadVector256(r + 8);
    }

    public static FixedPointRequant256 Create(in DepthwisePairedArgs a, int c)
        => new(a.Multipliers + c, a.LeftShifts + c, a.RightShifts + c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<short> Apply(Vector256<int> lo, Vector256<int> hi)
        => Avx2.PackSignedSaturate(FixedPoint256.MultiplyByQuantizedMultiplier(lo, _m0, _l0, _r0),
            FixedPoint256.MultiplyByQuantizedMultiplier(hi, _m1, _l1, _r1));
}

/// <summary>How two requantized int16 vectors become output bytes: + zero point (int16 saturating), narrow with
/// saturation to int8 or uint8, clamp to [qmin, qmax].</summary>
internal interface IDepthwiseOutput256
{
    /// <summary>Bytes 0-15 from <paramref name="a"/> (channels 0-15), 16-31 from <paramref name="b"/>.</summary>
    static abstract Vector256<byte> Pack(Vector256<short> a, Vector256<short> b, in DepthwiseOutput256 k);
}

/// <summary>The output constants, broadcast once per call.</summary>
internal readonly struct DepthwiseOutput256
{
    public readonly Vector256<short> ZeroPoint;
    public readonly Vector256<byte> Min, Max;

    public DepthwiseOutput256(int zeroPoint, int min, int max)
    {
        ZeroPoint = Vector256.Create((short)zeroPoint);
        Min = Vector256.Create((byte)min);
        Max = Vector256.Create((byte)max);
    }
}

/// <summary>int8 output.</summary>
internal readonly struct SignedOutput256 : IDepthwiseOutput256
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Pack(Vector256<short> a, Vector256<short> b, in DepthwiseOutput256 k)
    {
        // vpacksswb per 128-bit lane: (a 0-7, b 0-7 | a 8-15, b 8-15); vpermq 0xD8 puts a's halves first.
        Vector256<sbyte> s = Avx2.PackSignedSaturate(Avx2.AddSaturate(a, k.ZeroPoint), Avx2.AddSaturate(b, k.ZeroPoint));
        s = Avx2.Permute4x64(s.AsInt64(), 0xD8).AsSByte();
        return Avx2.Min(Avx2.Max(s, k.Min.AsSByte()), k.Max.AsSByte()).AsByte();
    }
}

/// <summary>int8 output without a fused activation ([qmin, qmax] = [-128, 127]): the saturating narrow is the clamp.</summary>
internal readonly struct SignedFullRangeOutput256 : IDepthwiseOutput256
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Pack(Vector256<short> a, Vector256<short> b, in DepthwiseOutput256 k)
        => Avx2.Permute4x64(Avx2.PackSignedSaturate(Avx2.AddSaturate(a, k.ZeroPoint), Avx2.AddSaturate(b, k.ZeroPoint)).AsInt64(), 0xD8).AsByte();
}

/// <summary>uint8 output without a fused activation ([qmin, qmax] = [0, 255]).</summary>
internal readonly struct UnsignedFullRangeOutput256 : IDepthwiseOutput256
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Pack(Vector256<short> a, Vector256<short> b, in DepthwiseOutput256 k)
        => Avx2.Permute4x64(Avx2.PackUnsignedSaturate(Avx2.AddSaturate(a, k.ZeroPoint), Avx2.AddSaturate(b, k.ZeroPoint)).AsInt64(), 0xD8).AsByte();
}

/// <summary>uint8 output (legacy quantized models).</summary>
internal readonly struct UnsignedOutput256 : IDepthwiseOutput256
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Pack(Vector256<short> a, Vector256<short> b, in DepthwiseOutput256 k)
    {
        Vector256<byte> s = Avx2.PackUnsignedSaturate(Avx2.AddSaturate(a, k.ZeroPoint), Avx2.AddSaturate(b, k.ZeroPoint));
        s = Avx2.Permute4x64(s.AsInt64(), 0xD8).AsByte();
        return Avx2.Min(Avx2.Max(s, k.Min), k.Max);
    }
}

/// <summary>TFLite's reference fixed-point requantization on 8 int32 lanes.</summary>
internal static class FixedPoint256
{
    /// <summary>
    /// MultiplyByQuantizedMultiplier exactly: x &lt;&lt; left (wrapping), SaturatingRoundingDoublingHighMul by a
    /// multiplier in [0, 2^31) (never INT32_MIN, so its saturating case cannot occur), RoundingDivideByPOT(right).
    /// SRDHM's nudge-and-truncate equals floor((x*m + 2^30) / 2^31) for either sign, and the result fits int32, so
    /// the low 32 bits of a 64-bit logical shift are the arithmetic shift's.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> MultiplyByQuantizedMultiplier(Vector256<int> x, Vector256<int> m, Vector256<int> left, Vector256<int> right)
    {
        x = Avx2.ShiftLeftLogicalVariable(x, left.AsUInt32());
        Vector256<long> round = Vector256.Create(1L << 30);
        Vector256<long> even = Avx2.Add(Avx2.Multiply(x, m), round); // vpmuldq: signed even lanes
        Vector256<long> odd = Avx2.Add(Avx2.Multiply(Avx2.ShiftRightLogical(x.AsInt64(), 32).AsInt32(),
            Avx2.ShiftRightLogical(m.AsInt64(), 32).AsInt32()), round);
        Vector256<int> h = Avx2.Blend(Avx2.ShiftRightLogical(even, 31).AsInt32(), Avx2.ShiftLeftLogical(odd, 1).AsInt32(), 0b1010_1010);
        // RoundingDivideByPOT: (h >> e) + ((h & mask) > (mask >> 1) + (h < 0)).
        Vector256<int> one = Vector256.Create(1);
        Vector256<int> mask = Avx2.Subtract(Avx2.ShiftLeftLogicalVariable(one, right.AsUInt32()), one);
        Vector256<int> threshold = Avx2.Subtract(Avx2.ShiftRightArithmetic(mask, 1), Avx2.CompareGreaterThan(Vector256<int>.Zero, h));
        Vector256<int> up = Avx2.CompareGreaterThan(Avx2.And(h, mask), threshold);
        return Avx2.Subtract(Avx2.ShiftRightArithmeticVariable(h, right.AsUInt32()), up);
    }
}
