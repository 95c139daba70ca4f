using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace QuantKernels.Kernels.Convolution;

/// <summary>
/// AVX-VNNI microkernel over <see cref="PackedInt8GemmVnni"/>'s layout: a 6x16 tile (6 activation rows x 16 output
/// channels) in 12 ymm accumulators, 2 weight registers and one broadcast group of 4 activation bytes; one
/// <c>vpdpbusd</c> does 8 channels x 4 products (twice the MACs of <c>vpmaddwd</c> on int16 pairs). The non-saturating
/// form only: u8 x s8 products and their 4-sums fit int32, and the accumulation wraps like the reference's int32.
/// Requantization is the AVX2 kernel's (fp32 or the exact fixed-point reference), after the per-row correction.
/// </summary>
internal static unsafe class Int8Gemm6x16AvxVnni
{
    /// <summary>All rows of block <paramref name="block"/>: the 6-row tile when 6 rows exist, else one row at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(in GemmArgs c, in VnniArgs v, sbyte* w, int block, bool fp32)
    {
        if (c.Rows == PackedInt8GemmVnni.MR) Tile6(in c, in v, w, block, fp32);
        else for (int r = 0; r < c.Rows; r++) Row1(in c, in v, r, w, block, fp32);
    }

    /// <summary>One row x 16 channels, K unrolled by four groups into four accumulator sets: eight independent
    /// <c>vpdpbusd</c> chains cover its latency (a batch-1 FULLY_CONNECTED runs only this kernel).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Row1(in GemmArgs c, in VnniArgs v, int r, sbyte* w, int block, bool fp32)
    {
        int groups = v.KGroups, n0 = block * PackedInt8GemmVnni.NR;
        int* a = (int*)(v.A + r * v.KPadded);
        Vector256<int> c0 = Avx.LoadVector256(c.Bias + n0), c1 = Avx.LoadVector256(c.Bias + n0 + 8);
        Vector256<int> d0 = Vector256<int>.Zero, d1 = Vector256<int>.Zero;
        Vector256<int> e0 = Vector256<int>.Zero, e1 = Vector256<int>.Zero, f0 = Vector256<int>.Zero, f1 = Vector256<int>.Zero;
        int g = 0;
        for (; g + 4 <= groups; g += 4)
        {
            Vector256<byte> x = Vector256.Create(a[g]).AsByte();
            Vector256<byte> y = Vector256.Create(a[g + 1]).AsByte();
            Vector256<byte> z = Vector256.Create(a[g + 2]).AsByte();
            Vector256<byte> t = Vector256.Create(a[g + 3]).AsByte();
            c0 = AvxVnni.MultiplyWideningAndAdd(c0, x, Avx.LoadVector256(w));
            c1 = AvxVnni.MultiplyWideningAndAdd(c1, x, Avx.LoadVector256(w + 32));
            d0 = AvxVnni.MultiplyWideningAndAdd(d0, y, Avx.LoadVector256(w + 64));
            d1 = AvxVnni.MultiplyWideningAndAdd(d1, y, Avx.LoadVector256(w + 96));
            e0 = AvxVnni.MultiplyWideningAndAdd(e0, z, Avx.LoadVector256(w + 128));
            e1 = AvxVnni.MultiplyWideningAndAdd(e1, z, Avx.LoadVector256(w + 160));
            f0 = AvxVnni.MultiplyWideningAndAdd(f0, t, Avx.LoadVector256(w + 192));
            f1 = AvxVnni.MultiplyWideningAndAdd(f1, t, Avx.LoadVector256(w + 224));
            w += 256;
        }
        if (g + 2 <= groups)
        {
            Vector256<byte> x = Vector256.Create(a[g]).AsByte();
            Vector256<byte> y = Vector256.Create(a[g + 1]).AsByte();
            c0 = AvxVnni.MultiplyWideningAndAdd(c0, x, Avx.LoadVector256(w));
            c1 = AvxVnni.MultiplyWideningAndAdd(c1, x, Avx.LoadVector256(w + 32));
            d0 = AvxVnni.MultiplyWideningAndAdd(d0, y, Avx.LoadVector256(w + 64));
            d1 = AvxVnni.MultiplyWideningAndAdd(d1, y, Avx.LoadVector256(w + 96));
            w += 128;
            g += 2;
        }
        if (g < groups)
        {
            Vector256<byte> x = Vector256.Create(a[g]).AsByte();
            c0 = AvxVnni.MultiplyWideningAndAdd(c0, x, Avx.LoadVector256(w));
            c1 = AvxVnni.MultiplyWideningAndAdd(c1, x, Avx.LoadVector256(w + 32));
        }
        Vector256<int> corr = Vector256.Create(v.Correction(r));
        c0 = Avx2.Add(Avx2.Add(Avx2.Add(c0, d0), Avx2.Add(e0, f0)), corr);
        c1 = Avx2.Add(Avx2.Add(Avx2.Add(c1, d1), Avx2.Add(e1, f1)), corr);
        Int8Gemm6x16Avx2.Finish(in c, r, c0, c1, n0, block, fp32);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile6(in GemmArgs c, in VnniArgs v, sbyte* w, int block, bool fp32)
    {
        int groups = v.KGroups, n0 = block * PackedInt8GemmVnni.NR, kp = v.KPadded;
        int* a0 = (int*)v.A;
        int* a1 = (int*)(v.A + kp);
        int* a2 = (int*)(v.A + 2 * kp);
        int* a3 = (int*)(v.A + 3 * kp);
        int* a4 = (int*)(v.A + 4 * kp);
        int* a5 = (int*)(v.A + 5 * kp);

        Vector256<int> b0 = Avx.LoadVector256(c.Bias + n0), b1 = Avx.LoadVector256(c.Bias + n0 + 8);
        Vector256<int> c00 = b0, c01 = b1, c10 = b0, c11 = b1, c20 = b0, c21 = b1;
        Vector256<int> c30 = b0, c31 = b1, c40 = b0, c41 = b1, c50 = b0, c51 = b1;
        for (int g = 0; g < groups; g++)
        {
            Vector256<sbyte> w0 = Avx.LoadVector256(w);
            Vector256<sbyte> w1 = Avx.LoadVector256(w + 32);
            w += 64;
            Vector256<byte> x = Vector256.Create(a0[g]).AsByte();
            c00 = AvxVnni.MultiplyWideningAndAdd(c00, x, w0);
            c01 = AvxVnni.MultiplyWideningAndAdd(c01, x, w1);
            x = Vector256.Create(a1[g]).AsByte();
            c10 = AvxVnni.MultiplyWideningAndAdd(c10, x, w0);
            c11 = AvxVnni.MultiplyWideningAndAdd(c11, x, w1);
            x = Vector256.Create(a2[g]).AsByte();
            c20 = AvxVnni.MultiplyWideningAndAdd(c20, x, w0);
            c21 = AvxVnni.MultiplyWideningAndAdd(c21, x, w1);
            x = Vector256.Create(a3[g]).AsByte();
            c30 = AvxVnni.MultiplyWideningAndAdd(c30, x, w0);
            c31 = AvxVnni.MultiplyWideningAndAdd(c31, x, w1);
            x = Vector256.Create(a4[g]).AsByte();
            c40 = AvxVnni.MultiplyWideningAndAdd(c40, x, w0);
            c41 = AvxVnni.MultiplyWideningAndAdd(c41, x, w1);
            x = Vector256.Create(a5[g]).AsByte();
            c50 = AvxVnni.MultiplyWideningAndAdd(c50, x, w0);
            c51 = AvxVnni.MultiplyWideningAndAdd(c51, x, w1);
        }
        if (v.RowCoefficient != 0)
        {
            Vector256<int> k = Vector256.Create(v.Correction(0)); c00 = Avx2.Add(c00, k); c01 = Avx2.Add(c01, k);
            k = Vector256.Create(v.Correction(1)); c10 = Avx2.Add(c10, k); c11 = Avx2.Add(c11, k);
            k = Vector256.Create(v.Correction(2)); c20 = Avx2.Add(c20, k); c21 = Avx2.Add(c21, k);
            k = Vector256.Create(v.Correction(3)); c30 = Avx2.Add(c30, k); c31 = Avx2.Add(c31, k);
            k = Vector256.Create(v.Correction(4)); c40 = Avx2.Add(c40, k); c41 = Avx2.Add(c41, k);
            k = Vector256.Create(v.Correction(5)); c50 = Avx2.Add(c50, k); c51 = Avx2.Add(c51, k);
        }

        Int8Gemm6x16Avx2.Finish6(in c, block, fp32, c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51);
    }
}
