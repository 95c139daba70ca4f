using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;

namespace QuantKernels.Kernels.Convolution;

/// <summary>
/// ARM64 dot-product microkernels (<see cref="IsaPath.AdvSimdDp"/>) over <see cref="PackedInt8GemmArm64"/>'s byte
/// packing: a 6x8 tile (6 activation rows x 8 output channels) in 12 int32 accumulators. Per group of 4 K, two 16-byte
/// weight loads (channels 0-3 and 4-7, 4 K each) and, per row, two <c>SDOT</c> (int8) or <c>UDOT</c> (uint8) by
/// element, whose 4-byte activation operand is selected from a 16-byte load of the row (4 groups). Products of two
/// 8-bit values and their four-sums are exact in int32, and int32 wrap-around addition is associative, so with the
/// zero-point corrections (see <see cref="PackedInt8GemmArm64"/>) the accumulators equal the reference's bit for bit.
/// Rows of 1-2 run through a one-row kernel (a 6-row tile would do 3-6x the work).
/// </summary>
internal static unsafe class Int8GemmDotProdArm64
{
    private const int MR = PackedInt8Gemm.MR, NR = PackedInt8GemmArm64.NR;

    /// <summary>All blocks for the <c>c.Rows</c> byte activation rows at <c>c.A</c> (stride <c>c.KPadded</c> bytes, zero
    /// past K). <paramref name="weightZeroPoint"/>: when non-zero, each row's accumulators start at bias - zpW * sum(x).</summary>
    public static void Run(in GemmArgs c, byte* w, int blocks, int blockBytes, int weightZeroPoint, bool fp32)
    {
        int* corr = stackalloc int[MR];
        for (int r = 0; r < MR; r++)
            corr[r] = weightZeroPoint != 0 && r < c.Rows
                ? unchecked(weightZeroPoint * (c.Unsigned ? RowSum<byte>((byte*)c.A + r * c.KPadded, c.KPadded)
                                                          : RowSum<sbyte>((byte*)c.A + r * c.KPadded, c.KPadded)))
                : 0;
        if (c.Unsigned) Blocks<byte>(in c, w, blocks, blockBytes, corr, fp32);
        else Blocks<sbyte>(in c, w, blocks, blockBytes, corr, fp32);
    }

    private static void Blocks<T>(in GemmArgs c, byte* w, int blocks, int blockBytes, int* corr, bool fp32) where T : unmanaged
    {
        for (int b = 0; b < blocks; b++, w += blockBytes)
        {
            if (c.Rows > 2) Tile6<T>(in c, w, b * NR, corr, fp32);
            else for (int r = 0; r < c.Rows; r++) Row1<T>(in c, r, w, b * NR, corr[r], fp32);
        }
    }

    /// <summary>acc + the 4-byte dot products of each 32-bit lane of <paramref name="w"/> with quadruplet
    /// <paramref name="lane"/> of <paramref name="x"/> (signed for T = sbyte, unsigned for T = byte).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Dot<T>(Vector128<int> acc, Vector128<byte> w, Vector128<byte> x, [System.Diagnostics.CodeAnalysis.ConstantExpected(Max = (byte)3)] byte lane)
        where T : unmanaged
        => typeof(T) == typeof(byte)
            ? Dp.DotProductBySelectedQuadruplet(acc.AsUInt32(), w, x, lane).AsInt32()
            : Dp.DotProductBySelectedQuadruplet(acc, w.AsSByte(), x.AsSByte(), lane);

    /// <summary>Sum of a row's bytes (signed or unsigned) over [0, length), length a multiple of 4.</summary>
    private static int RowSum<T>(byte* a, int length) where T : unmanaged
    {
        Vector128<byte> ones = Vector128.Create((byte)1);
        Vector128<int> s = Vector128<int>.Zero;
        int k = 0;
        for (; k + 16 <= length; k += 16)
            s = typeof(T) == typeof(byte)
                ? Dp.DotProduct(s.AsUInt32(), Vector128.Load(a + k), ones).AsInt32()
                : Dp.DotProduct(s, Vector128.Load(a + k).AsSByte(), ones.AsSByte());
        int sum = Vector128.Sum(s);
        for (; k < length; k++) sum += typeof(T) == typeof(byte) ? a[k] : (sbyte)a[k];
        return sum;
    }

    /// <summary>One group of 4 K for the 6x8 tile: the 32 weight bytes at <paramref name="w"/> against quadruplet
    /// <paramref name="lane"/> of each row's activations (12 dot-product instructions).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Group<T>(ref Vector128<int> c00, ref Vector128<int> c01,
        ref Vector128<int> c10, ref Vector128<int> c11,
        ref Vector128<int> c20, ref Vector128<int> c21,
        ref Vector128<int> c30, ref Vector128<int> c31,
        ref Vector128<int> c40, ref Vector128<int> c41,
        ref Vector128<int> c50, ref Vector128<int> c51,
        Vector128<byte> x0, Vector128<byte> x1, Vector128<byte> x2, Vector128<byte> x3, Vector128<byte> x4, Vector128<byte> x5,
        byte* w, [System.Diagnostics.CodeAnalysis.ConstantExpected(Max = (byte)3)] byte lane) where T : unmanaged
    {
        Vector128<byte> w0 = Vector128.Load(w), w1 = Vector128.Load(w + 16);
        c00 = Dot<T>(c00, w0, x0, lane); c01 = Dot<T>(c01, w1, x0, lane);
        c10 = Dot<T>(c10, w0, x1, lane); c11 = Dot<T>(c11, w1, x1, lane);
        c20 = Dot<T>(c20, w0, x2, lane); c21 = Dot<T>(c21, w1, x2, lane);
        c30 = Dot<T>(c30, w0, x3, lane); c31 = Dot<T>(c31, w1, x3, lane);
        c40 = Dot<T>(c40, w0, x4, lane); c41 = Dot<T>(c41, w1, x4, lane);
        c50 = Dot<T>(c50, w0, x5, lane); c51 = Dot<T>(c51, w1, x5, lane);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile6<T>(in GemmArgs c, byte* w, int n0, int* corr, bool fp32) where T : unmanaged
    {
        int rows = c.Rows, kp = c.KPadded;
        // Rows past the end read row 0 again (valid memory); their results are never stored.
        byte* a = (byte*)c.A;
        byte* a0 = a;
        byte* a1 = rows > 1 ? a + 1 * kp : a;
        byte* a2 = rows > 2 ? a + 2 * kp : a;
        byte* a3 = rows > 3 ? a + 3 * kp : a;
        byte* a4 = rows > 4 ? a + 4 * kp : a;
        byte* a5 = rows > 5 ? a + 5 * kp : a;
        Vector128<int> b0 = Vector128.Load(c.Bias + n0), b1 = Vector128.Load(c.Bias + n0 + 4);
        Vector128<int> c00 = b0 - Vector128.Create(corr[0]), c01 = b1 - Vector128.Create(corr[0]);
        Vector128<int> c10 = b0 - Vector128.Create(corr[1]), c11 = b1 - Vector128.Create(corr[1]);
        Vector128<int> c20 = b0 - Vector128.Create(corr[2]), c21 = b1 - Vector128.Create(corr[2]);
        Vector128<int> c30 = b0 - Vector128.Create(corr[3]), c31 = b1 - Vector128.Create(corr[3]);
        Vector128<int> c40 = b0 - Vector128.Create(corr[4]), c41 = b1 - Vector128.Create(corr[4]);
        Vector128<int> c50 = b0 - Vector128.Create(corr[5]), c51 = b1 - Vector128.Create(corr[5]);
        int k = 0;
        for (; k + 16 <= kp; k += 16, w += 4 * 4 * NR)
        {
            Vector128<byte> x0 = Vector128.Load(a0 + k);
            Vector128<byte> x1 = Vector128.Load(a1 + k);
            Vector128<byte> x2 = Vector128.Load(a2 + k);
            Vector128<byte> x3 = Vector128.Load(a3 + k);
            Vector128<byte> x4 = Vector128.Load(a4 + k);
            Vector128<byte> x5 = Vector128.Load(a5 + k);
            Group<T>(ref c00, ref c01, ref c10, ref c11, ref c20, ref c21, ref c30, ref c31, ref c40, ref c41, ref c50, ref c51, x0, x1, x2, x3, x4, x5, w + 0, 0);
            Group<T>(ref c00, ref c01, ref c10, ref c11, ref c20, ref c21, ref c30, ref c31, ref c40, ref c41, ref c50, ref c51, x0, x1, x2, x3, x4, x5, w + 32, 1);
            Group<T>(ref c00, ref c01, ref c10, ref c11, ref c20, ref c21, ref c30, ref c31, ref c40, ref c41, ref c50, ref c51, x0, x1, x2, x3, x4, x5, w + 64, 2);
            Group<T>(ref c00, ref c01, ref c10, ref c11, ref c20, ref c21, ref c30, ref c31, ref c40, ref c41, ref c50, ref c51, x0, x1, x2, x3, x4, x5, w + 96, 3);
        }
        for (; k < kp; k += 4, w += 4 * NR)
        {
            Vector128<byte> x0 = Vector128.CreateScalar(*(uint*)(a0 + k)).AsByte();
            Vector128<byte> x1 = Vector128.CreateScalar(*(uint*)(a1 + k)).AsByte();
            Vector128<byte> x2 = Vector128.CreateScalar(*(uint*)(a2 + k)).AsByte();
            Vector128<byte> x3 = Vector128.CreateScalar(*(uint*)(a3 + k)).AsByte();
            Vector128<byte> x4 = Vector128.CreateScalar(*(uint*)(a4 + k)).AsByte();
            Vector128<byte> x5 = Vector128.CreateScalar(*(uint*)(a5 + k)).AsByte();
            Group<T>(ref c00, ref c01, ref c10, ref c11, ref c20, ref c21, ref c30, ref c31, ref c40, ref c41, ref c50, ref c51, x0, x1, x2, x3, x4, x5, w, 0);
        }
        RequantizeArm64.StoreTile(in c, n0, fp32, c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51);
    }

    /// <summary>One row x 8 channels; the 4 groups of a 16-byte chunk alternate between two accumulator pairs
    /// (independent dependency chains), summed at the end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Row1<T>(in GemmArgs c, int r, byte* w, int n0, int corr, bool fp32) where T : unmanaged
    {
        int kp = c.KPadded;
        byte* a = (byte*)c.A + r * kp;
        Vector128<int> c0 = Vector128.Load(c.Bias + n0) - Vector128.Create(corr);
        Vector128<int> c1 = Vector128.Load(c.Bias + n0 + 4) - Vector128.Create(corr);
        Vector128<int> d0 = Vector128<int>.Zero, d1 = Vector128<int>.Zero;
        int k = 0;
        for (; k + 16 <= kp; k += 16, w += 4 * 4 * NR)
        {
            Vector128<byte> x = Vector128.Load(a + k);
            c0 = Dot<T>(c0, Vector128.Load(w), x, 0); c1 = Dot<T>(c1, Vector128.Load(w + 16), x, 0);
            d0 = Dot<T>(d0, Vector128.Load(w + 32), x, 1); d1 = Dot<T>(d1, Vector128.Load(w + 48), x, 1);
            c0 = Dot<T>(c0, Vector128.Load(w + 64), x, 2); c1 = Dot<T>(c1, Vector128.Load(w + 80), x, 2);
            d0 = Dot<T>(d0, Vector128.Load(w + 96), x, 3); d1 = Dot<T>(d1, Vector128.Load(w + 112), x, 3);
        }
        for (; k < kp; k += 4, w += 4 * NR)
        {
            Vector128<byte> x = Vector128.CreateScalar(*(uint*)(a + k)).AsByte();
            c0 = Dot<T>(c0, Vector128.Load(w), x, 0); c1 = Dot<T>(c1, Vector128.Load(w + 16), x, 0);
        }
        RequantizeArm64.StoreRow(in c, r, n0, fp32, c0 + d0, c1 + d1);
    }
}
