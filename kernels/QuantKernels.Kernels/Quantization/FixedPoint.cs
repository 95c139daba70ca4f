using System.Runtime.CompilerServices;

namespace QuantKernels.Kernels.Quantization;

/// <summary>
/// gemmlowp / TFLite reference fixed-point primitives. These are the contract of the
/// <see cref="RequantConvention.Reference"/> convention; every SIMD requantizer must equal them.
/// </summary>
public static class FixedPoint
{
    /// <summary>
    /// SaturatingRoundingDoublingHighMul: (a*b*2 + 2^31 rounding) >> 32, rounding half away from zero
    /// on the doubled product; INT32_MIN*INT32_MIN saturates to INT32_MAX.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int SaturatingRoundingDoublingHighMul(int a, int b)
    {
        if (a == int.MinValue && b == int.MinValue) return int.MaxValue;
        long ab = (long)a * b;
        long nudge = ab >= 0 ? (1L << 30) : (1 - (1L << 30));
        // C++ division truncates toward zero; so does C#'s.
        return (int)((ab + nudge) / (1L << 31));
    }

    /// <summary>RoundingDivideByPOT: x / 2^exponent rounded half away from zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int RoundingDivideByPot(int x, int exponent)
    {
        int mask = (int)((1L << exponent) - 1);
        int remainder = x & mask;
        int threshold = (mask >> 1) + (x < 0 ? 1 : 0);
        return (x >> exponent) + (remainder > threshold ? 1 : 0);
    }

    /// <summary>
    /// TFLite's MultiplyByQuantizedMultiplier (double rounding): the reference requantization of an
    /// int32 accumulator by a (multiplier, shift) pair from <see cref="QuantizeMultiplier"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int MultiplyByQuantizedMultiplier(int x, int multiplier, int shift)
    {
        int leftShift = shift > 0 ? shift : 0;
        int rightShift = shift > 0 ? 0 : -shift;
        return RoundingDivideByPot(SaturatingRoundingDoublingHighMul(unchecked(x * (1 << leftShift)), multiplier), rightShift);
    }

    /// <summary>
    /// TFLite's QuantizeMultiplier: splits a positive real multiplier into an int32 in [2^30, 2^31)
    /// and a power-of-two shift (positive = left), with frexp and rounding half away from zero.
    /// Zero maps to (0, 0). Shifts below -31 flush the multiplier to zero, as TFLite does.
    /// </summary>
    public static (int Multiplier, int Shift) QuantizeMultiplier(double realMultiplier)
    {
        if (realMultiplier == 0.0 || double.IsNaN(realMultiplier)) return (0, 0);
        if (realMultiplier < 0) throw new ArgumentOutOfRangeException(nameof(realMultiplier), realMultiplier, "multiplier must be non-negative");
        (double q, int shift) = Frexp(realMultiplier);
        long qFixed = (long)Math.Round(q * (1L << 31), MidpointRounding.AwayFromZero);
        if (qFixed == (1L << 31))
        {
            qFixed /= 2;
            shift++;
        }
        if (shift < -31)
        {
            shift = 0;
            qFixed = 0;
        }
        if (shift > 30)
        {
            // TFLite clamps so the left shift never overflows the int32 accumulator's headroom.
            shift = 30;
            qFixed = (1L << 31) - 1;
        }
        return ((int)qFixed, shift);
    }

    /// <summary>C's frexp: value = fraction * 2^exponent with |fraction| in [0.5, 1).</summary>
    public static (double Fraction, int Exponent) Frexp(double value)
    {
        if (value == 0.0 || double.IsNaN(value) || double.IsInfinity(value)) return (value, 0);
        long bits = BitConverter.DoubleToInt64Bits(value);
        int exp = (int)((bits >> 52) & 0x7FF);
        if (exp == 0)
        {
            // Subnormal: normalise first.
            (double f, int e) = Frexp(Math.ScaleB(value, 54));
            return (f, e - 54);
        }
        int exponent = exp - 1022;
        long fracBits = (bits & ~(0x7FFL << 52)) | (1022L << 52);
        return (BitConverter.Int64BitsToDouble(fracBits), exponent);
    }
}
