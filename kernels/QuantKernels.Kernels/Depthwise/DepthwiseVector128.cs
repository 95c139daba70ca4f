using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace QuantKernels.Kernels.Depthwise;

/// <summary>
/// Portable <see cref="Vector128"/> depthwise row kernel (SSE on x86-64, AdvSimd on ARM64): 16 channels in four int32
/// accumulators; each tap's int16 activations are widened to int32 and multiplied by the tap's int32 weights (portable
/// Vector128 has no pair multiply-add). int32 wrap-around arithmetic, so the accumulators equal the reference's.
/// Requantization: fp32 vectorized (<see cref="Vector128.Round(Vector128{float})"/> rounds half to even); the
/// fixed-point convention per lane with the scalar reference formulas.
/// </summary>
internal static unsafe class DepthwiseVector128
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Row(in DepthwiseRowArgs a)
    {
        int taps = a.TapCount, blocks = a.Blocks, cp = a.Cp, outC = a.OutC;
        short** tp = a.Taps;
        Vector128<float> lo = Vector128.Create((float)(a.OutputMin - a.OutputZeroPoint));
        Vector128<float> hi = Vector128.Create((float)(a.OutputMax - a.OutputZeroPoint));
        Vector128<int> zp = Vector128.Create(a.OutputZeroPoint);
        for (int ox = 0; ox < a.OutputWidth; ox++)
        {
            long pix = (long)ox * a.PixelStep;
            byte* dst = a.Output + (long)ox * outC;
            for (int cb = 0; cb < blocks; cb++, dst += 16)
            {
                int c = cb * 16;
                long off = pix + c;
                Vector128<int> a0 = Vector128.Load(a.Bias + c), a1 = Vector128.Load(a.Bias + c + 4);
                Vector128<int> a2 = Vector128.Load(a.Bias + c + 8), a3 = Vector128.Load(a.Bias + c + 12);
                int* w = a.TapWeights + c;
                for (int t = 0; t < taps; t++, w += cp)
                {
                    short* x = tp[t] + off;
                    (Vector128<int> x0, Vector128<int> x1) = Vector128.Widen(Vector128.Load(x));
                    (Vector128<int> x2, Vector128<int> x3) = Vector128.Widen(Vector128.Load(x + 8));
                    a0 += x0 * Vector128.Load(w);
                    a1 += x1 * Vector128.Load(w + 4);
                    a2 += x2 * Vector128.Load(w + 8);
                    a3 += x3 * Vector128.Load(w + 12);
                }
                Vector128<byte> q;
                if (a.Fp32)
                {
                    q = Narrow(Fp32(a0, a.Scales + c, lo, hi, zp), Fp32(a1, a.Scales + c + 4, lo, hi, zp),
                        Fp32(a2, a.Scales + c + 8, lo, hi, zp), Fp32(a3, a.Scales + c + 12, lo, hi, zp));
                }
                else
                {
                    q = Narrow(Fixed(in a, a0, c), Fixed(in a, a1, c + 4), Fixed(in a, a2, c + 8), Fixed(in a, a3, c + 12));
                }
                if (a.FitsWhole(dst)) q.Store(dst);
                else
                {
                    int valid = Math.Min(16, outC - c);
                    for (int j = 0; j < valid; j++) dst[j] = q.GetElement(j);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Fp32(Vector128<int> acc, float* scales, Vector128<float> lo, Vector128<float> hi, Vector128<int> zp)
    {
        Vector128<float> f = Vector128.ConvertToSingle(acc) * Vector128.Load(scales);
        f = Vector128.Min(Vector128.Max(f, lo), hi);
        return Vector128.ConvertToInt32(Vector128.Round(f)) + zp;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Fixed(in DepthwiseRowArgs a, Vector128<int> acc, int c)
        => Vector128.Create(a.Requantize(acc.GetElement(0), c), a.Requantize(acc.GetElement(1), c + 1),
            a.Requantize(acc.GetElement(2), c + 2), a.Requantize(acc.GetElement(3), c + 3));

    /// <summary>16 int32 already inside the output type's range to 16 bytes (truncating narrows keep the low bits,
    /// which are the uint8 or int8 value).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Narrow(Vector128<int> q0, Vector128<int> q1, Vector128<int> q2, Vector128<int> q3)
        => Vector128.Narrow(Vector128.Narrow(q0, q1), Vector128.Narrow(q2, q3)).AsByte();
}
