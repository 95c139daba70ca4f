using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace QuantKernels.Kernels.Convolution;

/// <summary>
/// Portable <see cref="Vector128"/> microkernel over the same packed layout: tiles of 2 rows x 8 channels. Portable
/// Vector128 has no pair multiply-add, so each int16 (w_k, w_k+1) pair is widened to int32 and multiplied by the
/// broadcast (x_k, x_k+1) pair; the two halves of every channel accumulate in neighbouring lanes and are added once
/// at the end (int32 wrap-around addition is associative, so the result equals the reference's accumulator).
/// Requantization: fp32 vectorized (<see cref="Vector128.Round(Vector128{float})"/> rounds half to even); the
/// fixed-point convention per lane with the scalar reference formulas.
/// </summary>
internal static unsafe class Int8Gemm2x8Vector128
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(in GemmArgs c, short* w, int block, bool fp32)
    {
        int n0 = block * PackedInt8Gemm.NR, valid = c.Valid(block);
        for (int r = 0; r < c.Rows; r += 2)
        {
            bool second = r + 1 < c.Rows;
            int* a0 = (int*)(c.A + r * c.KPadded);
            int* a1 = second ? (int*)(c.A + (r + 1) * c.KPadded) : a0;
            for (int h = 0; h < 2; h++)
            {
                int nh = h * 8;
                if (nh >= valid) break;
                Vector128<int> p00 = default, p01 = default, p02 = default, p03 = default;
                Vector128<int> p10 = default, p11 = default, p12 = default, p13 = default;
                short* wp = w + h * 16;
                for (int p = 0; p < c.KPairs; p++, wp += 2 * PackedInt8Gemm.NR)
                {
                    (Vector128<int> wa, Vector128<int> wb) = Vector128.Widen(Vector128.Load(wp));
                    (Vector128<int> wc, Vector128<int> wd) = Vector128.Widen(Vector128.Load(wp + 8));
                    Vector128<int> x = Vector128.WidenLower(Vector128.Create(a0[p]).AsInt16());
                    p00 += wa * x; p01 += wb * x; p02 += wc * x; p03 += wd * x;
                    x = Vector128.WidenLower(Vector128.Create(a1[p]).AsInt16());
                    p10 += wa * x; p11 += wb * x; p12 += wc * x; p13 += wd * x;
                }
                int count = Math.Min(8, valid - nh);
                Finish(in c, PairSum(p00, p01), PairSum(p02, p03), n0 + nh, c.Output + r * c.N + n0 + nh, count, fp32);
                if (second)
                    Finish(in c, PairSum(p10, p11), PairSum(p12, p13), n0 + nh, c.Output + (r + 1) * c.N + n0 + nh, count, fp32);
            }
        }
    }

    /// <summary>(u0+u1, u2+u3, v0+v1, v2+v3).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> PairSum(Vector128<int> u, Vector128<int> v)
    {
        Vector128<int> su = Vector128.Shuffle(u, Vector128.Create(0, 2, 0, 2)) + Vector128.Shuffle(u, Vector128.Create(1, 3, 1, 3));
        Vector128<int> sv = Vector128.Shuffle(v, Vector128.Create(0, 2, 0, 2)) + Vector128.Shuffle(v, Vector128.Create(1, 3, 1, 3));
        return Vector128.Create(su.GetLower(), sv.GetLower());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish(in GemmArgs c, Vector128<int> s0, Vector128<int> s1, int ch, byte* dst, int count, bool fp32)
    {
        s0 += Vector128.Load(c.Bias + ch);
        s1 += Vector128.Load(c.Bias + ch + 4);
        int* q = stackalloc int[8];
        if (fp32)
        {
            Vector128<float> lo = Vector128.Create((float)(c.OutputMin - c.OutputZeroPoint));
            Vector128<float> hi = Vector128.Create((float)(c.OutputMax - c.OutputZeroPoint));
            Vector128<int> zp = Vector128.Create(c.OutputZeroPoint);
            Vector128<float> f0 = Vector128.ConvertToSingle(s0) * Vector128.Load(c.Scales + ch);
            Vector128<float> f1 = Vector128.ConvertToSingle(s1) * Vector128.Load(c.Scales + ch + 4);
            f0 = Vector128.Min(Vector128.Max(f0, lo), hi);
            f1 = Vector128.Min(Vector128.Max(f1, lo), hi);
            (Vector128.ConvertToInt32(Vector128.Round(f0)) + zp).Store(q);
            (Vector128.ConvertToInt32(Vector128.Round(f1)) + zp).Store(q + 4);
        }
        else
        {
            s0.Store(q);
            s1.Store(q + 4);
            for (int j = 0; j < count; j++) q[j] = c.Requantize(q[j], ch + j, fp32: false);
        }
        for (int j = 0; j < count; j++) dst[j] = (byte)q[j];
    }
}
