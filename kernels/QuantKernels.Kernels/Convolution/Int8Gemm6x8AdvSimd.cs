using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;

namespace QuantKernels.Kernels.Convolution;

/// <summary>
/// ARM64 AdvSimd microkernels without the dot-product extension (<see cref="IsaPath.AdvSimd"/>) over
/// <see cref="PackedInt8GemmArm64"/>'s int16 packing: a 6x8 tile in 12 int32 accumulators. Per K index, one 16-byte
/// load (an LDP of two D registers) of the 8 channels' int16 weights, and per row two <c>SMLAL</c> (channels 0-3,
/// 4-7) by element, the activation x - zpIn selected from an 8-wide int16 load of the row. Every product of two int16 values
/// below 256 in magnitude is exact in int32 and int32 wrap-around addition is associative, so the accumulators equal
/// the reference's bit for bit. Rows of 1-2 run through a one-row kernel.
/// </summary>
internal static unsafe class Int8Gemm6x8AdvSimd
{
    private const int NR = PackedInt8GemmArm64.NR;

    /// <summary>All blocks for the <c>c.Rows</c> int16 activation rows at <c>c.A</c> (stride <c>c.KPadded</c>, a multiple of 8).</summary>
    public static void Run(in GemmArgs c, short* w, int blocks, int blockShorts, bool fp32)
    {
        for (int b = 0; b < blocks; b++, w += blockShorts)
        {
            if (c.Rows > 2) Tile6(in c, w, b * NR, fp32);
            else for (int r = 0; r < c.Rows; r++) Row1(in c, r, w, b * NR, fp32);
        }
    }

    /// <summary>acc + 4 int16 weights times element <paramref name="lane"/> of <paramref name="x"/> (SMLAL by element).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Mac(Vector128<int> acc, Vector64<short> w, Vector128<short> x, [System.Diagnostics.CodeAnalysis.ConstantExpected(Max = (byte)7)] byte lane)
        => AdvSimd.MultiplyBySelectedScalarWideningLowerAndAdd(acc, w, x, lane);

    /// <summary>One K index for the 6x8 tile: the 8 channels' weights at <paramref name="w"/> times element <paramref name="lane"/>
    /// of each row's activations (12 multiply-accumulate instructions).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step(ref Vector128<int> c00, ref Vector128<int> c01,
        ref Vector128<int> c10, ref Vector128<int> c11,
        ref Vector128<int> c20, ref Vector128<int> c21,
        ref Vector128<int> c30, ref Vector128<int> c31,
        ref Vector128<int> c40, ref Vector128<int> c41,
        ref Vector128<int> c50, ref Vector128<int> c51,
        Vector128<short> x0, Vector128<short> x1, Vector128<short> x2, Vector128<short> x3, Vector128<short> x4, Vector128<short> x5,
        short* w, [System.Diagnostics.CodeAnalysis.ConstantExpected(Max = (byte)7)] byte lane)
    {
        // Two 4-wide loads (one LDP of D registers), so that both halves feed SMLAL directly.
        Vector64<short> lo = Vector64.Load(w), hi = Vector64.Load(w + 4);
        c00 = Mac(c00, lo, x0, lane); c01 = Mac(c01, hi, x0, lane);
        c10 = Mac(c10, lo, x1, lane); c11 = Mac(c11, hi, x1, lane);
        c20 = Mac(c20, lo, x2, lane); c21 = Mac(c21, hi, x2, lane);
        c30 = Mac(c30, lo, x3, lane); c31 = Mac(c31, hi, x3, lane);
        c40 = Mac(c40, lo, x4, lane); c41 = Mac(c41, hi, x4, lane);
        c50 = Mac(c50, lo, x5, lane); c51 = Mac(c51, hi, x5, lane);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile6(in GemmArgs c, short* w, int n0, bool fp32)
    {
        int rows = c.Rows, kp = c.KPadded;
        // Rows past the end read row 0 again (valid memory); their results are never stored.
        short* a = c.A;
        short* a0 = a;
        short* a1 = rows > 1 ? a + 1 * kp : a;
        short* a2 = rows > 2 ? a + 2 * kp : a;
        short* a3 = rows > 3 ? a + 3 * kp : a;
        short* a4 = rows > 4 ? a + 4 * kp : a;
        short* a5 = rows > 5 ? a + 5 * kp : a;
        Vector128<int> b0 = Vector128.Load(c.Bias + n0), b1 = Vector128.Load(c.Bias + n0 + 4);
        Vector128<int> c00 = b0, c01 = b1;
        Vector128<int> c10 = b0, c11 = b1;
        Vector128<int> c20 = b0, c21 = b1;
        Vector128<int> c30 = b0, c31 = b1;
        Vector128<int> c40 = b0, c41 = b1;
        Vector128<int> c50 = b0, c51 = b1;
        for (int k = 0; k < kp; k += 8, w += 8 * NR)
        {
            Vector128<short> x0 = Vector128.Load(a0 + k);
            Vector128<short> x1 = Vector128.Load(a1 + k);
            Vector128<short> x2 = Vector128.Load(a2 + k);
            Vector128<short> x3 = Vector128.Load(a3 + k);
            Vector128<short> x4 = Vector128.Load(a4 + k);
            Vector128<short> x5 = Vector128.Load(a5 + k);
            Step(ref c00, ref c01, ref c10, ref c11, ref c20, ref c21, ref c30, ref c31, ref c40, ref c41, ref c50, ref c51, x0, x1, x2, x3, x4, x5, w + 0, 0);
            Step(ref c00, ref c01, ref c10, ref c11, ref c20, ref c21, ref c30, ref c31, ref c40, ref c41, ref c50, ref c51, x0, x1, x2, x3, x4, x5, w + 8, 1);
            Step(ref c00, ref c01, ref c10, ref c11, ref c20, ref c21, ref c30, ref c31, ref c40, ref c41, ref c50, ref c51, x0, x1, x2, x3, x4, x5, w + 16, 2);
            Step(ref c00, ref c01, ref c10, ref c11, ref c20, ref c21, ref c30, ref c31, ref c40, ref c41, ref c50, ref c51, x0, x1, x2, x3, x4, x5, w + 24, 3);
            Step(ref c00, ref c01, ref c10, ref c11, ref c20, ref c21, ref c30, ref c31, ref c40, ref c41, ref c50, ref c51, x0, x1, x2, x3, x4, x5, w + 32, 4);
            Step(ref c00, ref c01, ref c10, ref c11, ref c20, ref c21, ref c30, ref c31, ref c40, ref c41, ref c50, ref c51, x0, x1, x2, x3, x4, x5, w + 40, 5);
            Step(ref c00, ref c01, ref c10, ref c11, ref c20, ref c21, ref c30, ref c31, ref c40, ref c41, ref c50, ref c51, x0, x1, x2, x3, x4, x5, w + 48, 6);
            Step(ref c00, ref c01, ref c10, ref c11, ref c20, ref c21, ref c30, ref c31, ref c40, ref c41, ref c50, ref c51, x0, x1, x2, x3, x4, x5, w + 56, 7);
        }
        RequantizeArm64.StoreTile(in c, n0, fp32, c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51);
    }

    /// <summary>One row x 8 channels; even and odd K accumulate into two pairs (independent chains), summed at the end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Row1(in GemmArgs c, int r, short* w, int n0, bool fp32)
    {
        int kp = c.KPadded;
        short* a = c.A + r * kp;
        Vector128<int> c0 = Vector128.Load(c.Bias + n0), c1 = Vector128.Load(c.Bias + n0 + 4);
        Vector128<int> d0 = Vector128<int>.Zero, d1 = Vector128<int>.Zero;
        for (int k = 0; k < kp; k += 8, w += 8 * NR)
        {
            Vector128<short> x = Vector128.Load(a + k);
            c0 = Mac(c0, Vector64.Load(w), x, 0); c1 = Mac(c1, Vector64.Load(w + 4), x, 0);
            d0 = Mac(d0, Vector64.Load(w + 8), x, 1); d1 = Mac(d1, Vector64.Load(w + 12), x, 1);
            c0 = Mac(c0, Vector64.Load(w + 16), x, 2); c1 = Mac(c1, Vector64.Load(w + 20), x, 2);
            d0 = Mac(d0, Vector64.Load(w + 24), x, 3); d1 = Mac(d1, Vector64.Load(w + 28), x, 3);
            c0 = Mac(c0, Vector64.Load(w + 32), x, 4); c1 = Mac(c1, Vector64.Load(w + 36), x, 4);
            d0 = Mac(d0, Vector64.Load(w + 40), x, 5); d1 = Mac(d1, Vector64.Load(w + 44), x, 5);
            c0 = Mac(c0, Vector64.Load(w + 48), x, 6); c1 = Mac(c1, Vector64.Load(w + 52), x, 6);
            d0 = Mac(d0, Vector64.Load(w + 56), x, 7); d1 = Mac(d1, Vector64.Load(w + 60), x, 7);
        }
        RequantizeArm64.StoreRow(in c, r, n0, fp32, c0 + d0, c1 + d1);
    }
}
