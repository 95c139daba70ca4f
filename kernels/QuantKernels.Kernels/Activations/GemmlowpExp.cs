using System.Numerics;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Activations;

/// <summary>
/// gemmlowp fixed-point pieces TFLite's reference integer softmax uses (fixedpoint.h): exp on negative values,
/// 1/(1+x) on [0,1), and the power-of-two rescales between Q formats. Raw int32 values; "Fk" = k integer bits.
/// </summary>
internal static class GemmlowpExp
{
    /// <summary>SaturatingRoundingMultiplyByPOT: left shifts saturate, right shifts round half away.</summary>
    public static int MulByPot(int x, int exponent)
    {
        if (exponent == 0) return x;
        if (exponent < 0) return FixedPoint.RoundingDivideByPot(x, -exponent);
        int threshold = (1 << (31 - exponent)) - 1;
        if (x > threshold) return int.MaxValue;
        if (x < -threshold) return int.MinValue;
        return x << exponent;
    }

    private static int Mul(int a, int b) => FixedPoint.SaturatingRoundingDoublingHighMul(a, b);

    /// <summary>exp(a) for a in [-1/4, 0), F0 in and out (Taylor expansion around -1/8).</summary>
    private static int ExpOnIntervalNegQuarterTo0(int a)
    {
        const int constantTerm = 1895147668;      // exp(-1/8)
        const int constantOneOver3 = 715827883;
        int x = a + (1 << 28);                    // a + 1/8
        int x2 = Mul(x, x);
        int x3 = Mul(x2, x);
        int x4 = Mul(x2, x2);
        int x4Over4 = MulByPot(x4, -2);
        int poly = MulByPot(Mul(x4Over4 + x3, constantOneOver3) + x2, -1);
        return constantTerm + Mul(constantTerm, x + poly);
    }

    /// <summary>exp(a) for a &lt;= 0 given in F5 (26 fractional bits); result in F0.</summary>
    public static int ExpOnNegativeValuesF5(int a)
    {
        const int fractionalBits = 26;
        const int oneQuarter = 1 << (fractionalBits - 2);
        int mask = oneQuarter - 1;
        int aModQuarterMinusQuarter = (a & mask) - oneQuarter;
        int result = ExpOnIntervalNegQuarterTo0(MulByPot(aModQuarterMinusQuarter, 5)); // Rescale F5 -> F0
        int remainder = aModQuarterMinusQuarter - a;
        // Barrel shifter: multiply by exp(-2^k) for each set bit of the remainder.
        ReadOnlySpan<int> multipliers = [1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242];
        for (int k = -2; k <= 4; k++)
            if ((remainder & (1 << (fractionalBits + k))) != 0) result = Mul(result, multipliers[k + 2]);
        return a == 0 ? int.MaxValue : result;
    }

    /// <summary>1 / (1 + x) for x in [0, 1), F0 in and out (Newton-Raphson, 3 iterations).</summary>
    public static int OneOverOnePlusX(int a)
    {
        long sum = (long)a + int.MaxValue;                   // RoundingHalfSum(a, One)
        int halfDenominator = (int)((sum + (sum >= 0 ? 1 : -1)) / 2);
        const int c48Over17 = 1515870810;                    // F2
        const int cNeg32Over17 = -1010580540;                // F2
        int x = c48Over17 + Mul(halfDenominator, cNeg32Over17);
        const int oneF2 = 1 << 29;
        for (int i = 0; i < 3; i++)
        {
            int hdx = Mul(halfDenominator, x);               // F2
            int oneMinus = oneF2 - hdx;                      // F2
            x += MulByPot(Mul(x, oneMinus), 2);              // F4 -> F2
        }
        return MulByPot(x, 1);                               // ExactMulByPot<-1> then Rescale F1 -> F0
    }

    /// <summary>TFLite's GetReciprocal: 1/x for x in F(integerDigits), returns F0 scale and the bits over unit.</summary>
    public static int Reciprocal(int x, int integerDigits, out int numBitsOverUnit)
    {
        int headroomPlusOne = BitOperations.LeadingZeroCount((uint)x);
        numBitsOverUnit = integerDigits - headroomPlusOne;
        int shiftedSumMinusOne = unchecked((int)(((uint)x << headroomPlusOne) - (1u << 31)));
        return OneOverOnePlusX(shiftedSumMinusOne);
    }
}
