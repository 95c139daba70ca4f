using System.Numerics;
using System.Runtime.CompilerServices;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Elementwise;

/// <summary>Prepared parameters of a uint8 DIV.</summary>
public readonly struct QuantizedDivParams
{
    /// <summary>-zero point of a.</summary>
    public int InputOffsetA { get; init; }
    /// <summary>-zero point of b.</summary>
    public int InputOffsetB { get; init; }
    /// <summary>Output zero point.</summary>
    public int OutputZeroPoint { get; init; }
    /// <summary>QuantizeMultiplier of s_a / (s_b * s_out).</summary>
    public int OutputMultiplier { get; init; }
    /// <summary>Its shift.</summary>
    public int OutputShift { get; init; }
    /// <summary>Lower clamp (fused activation).</summary>
    public int OutputMin { get; init; }
    /// <summary>Upper clamp.</summary>
    public int OutputMax { get; init; }
    /// <summary>True: reproduce what TFLite on x86/wasm computes when the total right shift reaches 32 or more.</summary>
    public bool EmulateX86ShiftOverflow { get; init; }
}

/// <summary>
/// Quantized DIV for uint8, the only 8-bit type TFLite's DIV accepts (XNNPACK has no quantized divide, so one
/// convention): div.cc Prepare + reference_ops::DivElementwise: 1/(b - z_b) as a fixed-point reciprocal
/// (GetReciprocal with 31 integer digits), (a - z_a) shifted by its leading sign bits and multiplied by it,
/// then scaled by QuantizeMultiplier(s_a / (s_b s_out)) with the combined shift. A zero divisor throws.
/// When |quotient| is tiny the combined right shift reaches 32 or more, which is undefined in C++; TFLite on x86 and
/// wasm (the oracle) then shifts by (shift mod 32) with an all-ones remainder mask, giving wrong bytes that the
/// <see cref="RequantConvention.Xnnpack"/> convention reproduces (checked on all 65536 pairs against the oracle);
/// <see cref="RequantConvention.Reference"/> returns the mathematically rounded 0 there instead.
/// </summary>
public static class QuantizedDiv
{
    /// <summary>Computes the per-op parameters once.</summary>
    public static QuantizedDivParams Prepare(RequantConvention convention, float aScale, int aZeroPoint, float bScale, int bZeroPoint, float outScale, int outZeroPoint,
        FusedActivation activation = FusedActivation.None)
    {
        Q8.CheckScale(aScale, nameof(aScale));
        Q8.CheckScale(bScale, nameof(bScale));
        Q8.CheckScale(outScale, nameof(outScale));
        Q8.CheckZeroPoint<byte>(aZeroPoint, nameof(aZeroPoint));
        Q8.CheckZeroPoint<byte>(bZeroPoint, nameof(bZeroPoint));
        Q8.CheckZeroPoint<byte>(outZeroPoint, nameof(outZeroPoint));
        (int min, int max) = ActivationRange.Quantized(activation, outScale, outZeroPoint, 0, 255);
        // div.cc: real_multiplier = input1 scale / (input2 scale * output scale), float arithmetic widened to double.
        (int m, int s) = FixedPoint.QuantizeMultiplier(aScale / (bScale * outScale));
        return new QuantizedDivParams
        {
            InputOffsetA = -aZeroPoint, InputOffsetB = -bZeroPoint, OutputZeroPoint = outZeroPoint,
            OutputMultiplier = m, OutputShift = s, OutputMin = min, OutputMax = max,
            EmulateX86ShiftOverflow = convention == RequantConvention.Xnnpack,
        };
    }

    /// <summary>Runs the prepared DIV with broadcasting.</summary>
    public static void Invoke(in QuantizedDivParams p, ReadOnlySpan<int> aShape, ReadOnlySpan<byte> a, ReadOnlySpan<int> bShape, ReadOnlySpan<byte> b,
        ReadOnlySpan<int> outShape, Span<byte> output)
        => Broadcast.Apply(new Op(p), aShape, a, bShape, b, outShape, output);

    /// <summary>One element (raw uint8 values in, clamped result out).</summary>
    public static int Element(in QuantizedDivParams p, int a, int b)
    {
        int x = p.InputOffsetA + a;
        int y = p.InputOffsetB + b;
        if (y == 0) throw new DivideByZeroException("DIV: quantized divisor equals its zero point");
        if (y < 0)
        {
            // Current TFLite flips both signs so the reciprocal multiplier stays positive (older releases negated it).
            x = -x;
            y = -y;
        }
        int inv = Reciprocal(y, out int recipShift);
        int headroom = CountLeadingSignBits(x);
        // MultiplyByQuantizedMultiplierGreaterThanOne(x, inv, headroom) = SRDHM(x << headroom, inv).
        int unscaled = FixedPoint.SaturatingRoundingDoublingHighMul(x * (1 << headroom), inv);
        int totalShift = p.OutputShift - recipShift - headroom;
        // A right shift of 32 or more (tiny quotients) is undefined in TFLite's RoundingDivideByPOT; mathematically
        // |SRDHM| < 2^31 divided by 2^32 or more rounds to 0, which is what we return.
        int scaled;
        if (totalShift >= -31) scaled = FixedPoint.MultiplyByQuantizedMultiplier(unscaled, p.OutputMultiplier, totalShift);
        else if (!p.EmulateX86ShiftOverflow) scaled = 0;
        else
        {
            // gemmlowp RoundingDivideByPOT with exponent e >= 32 on x86/wasm: mask = (int)((1LL << e) - 1) = -1,
            // threshold = (-1 >> 1) + (x < 0), and x >> e shifts by e & 31.
            int h = FixedPoint.SaturatingRoundingDoublingHighMul(unscaled, p.OutputMultiplier);
            int e = -totalShift;
            int threshold = -1 + (h < 0 ? 1 : 0);
            scaled = (h >> (e & 31)) + (h > threshold ? 1 : 0);
        }
        int r = p.OutputZeroPoint + scaled;
        return Math.Clamp(r, p.OutputMin, p.OutputMax);
    }

    private static int Reciprocal(int x, out int shift)
    {
        // TFLite GetReciprocal(x, 31, &shift): 1/x as F0 of (1 + (x << headroom) - 1) with shift = 31 - headroom.
        int headroomPlusOne = BitOperations.LeadingZeroCount((uint)x);
        shift = 31 - headroomPlusOne;
        int shiftedMinusOne = unchecked((int)(((uint)x << headroomPlusOne) - (1u << 31)));
        return Activations.GemmlowpExp.OneOverOnePlusX(shiftedMinusOne);
    }

    private static int CountLeadingSignBits(int x)
        => x >= 0 ? BitOperations.LeadingZeroCount((uint)x) - 1
         : x != int.MinValue ? BitOperations.LeadingZeroCount(2 * (uint)(-x) - 1) : 0;

    private readonly struct Op(QuantizedDivParams p) : IBinaryElementOp<byte, byte, byte>
    {
        private readonly QuantizedDivParams _p = p;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public byte Invoke(byte a, byte b) => (byte)Element(_p, a, b);
    }
}
