using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using QuantKernels.Kernels.Convolution;

namespace QuantKernels.Kernels.Depthwise;

/// <summary>
/// ARM64 AdvSimd depthwise row kernel (both ARM64 paths; depthwise has no 4-wide sums for <c>SDOT</c> to make): 16
/// channels in four int32 accumulators; per tap, two 8-wide int16 activation loads, two int16 weight loads
/// ([tap][Cp] layout) and two <c>SMLAL</c> + two <c>SMLAL2</c> (widening multiply-accumulate). Products of two int16
/// values below 256 in magnitude are exact in int32 and int32 wrap-around addition is associative, so the accumulators
/// equal the reference's. Requantization: <see cref="RequantizeArm64"/> (exact in both conventions).
/// </summary>
internal static unsafe class DepthwiseAdvSimd
{
    /// <summary>Whether <paramref name="path"/> runs this kernel (and so packs [tap][Cp] int16 weights).</summary>
    public static bool Handles(IsaPath path) => path is IsaPath.AdvSimd or IsaPath.AdvSimdDp;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Row(in DepthwiseRowArgs a)
    {
        int taps = a.TapCount, blocks = a.Blocks, cp = a.Cp, outC = a.OutC;
        short** tp = a.Taps;
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
                short* w = a.TapWeights16 + c;
                for (int t = 0; t < taps; t++, w += cp)
                {
                    short* x = tp[t] + off;
                    Vector128<short> x0 = Vector128.Load(x), x1 = Vector128.Load(x + 8);
                    Vector128<short> w0 = Vector128.Load(w), w1 = Vector128.Load(w + 8);
                    a0 = AdvSimd.MultiplyWideningLowerAndAdd(a0, x0.GetLower(), w0.GetLower());
                    a1 = AdvSimd.MultiplyWideningUpperAndAdd(a1, x0, w0);
                    a2 = AdvSimd.MultiplyWideningLowerAndAdd(a2, x1.GetLower(), w1.GetLower());
                    a3 = AdvSimd.MultiplyWideningUpperAndAdd(a3, x1, w1);
                }
                var lo = new RequantizeArm64(a.Scales + c, a.Multipliers + c, a.LeftShifts + c, a.RightShifts + c,
                    a.OutputZeroPoint, a.OutputMin, a.OutputMax, a.Fp32);
                var hi = new RequantizeArm64(a.Scales + c + 8, a.Multipliers + c + 8, a.LeftShifts + c + 8, a.RightShifts + c + 8,
                    a.OutputZeroPoint, a.OutputMin, a.OutputMax, a.Fp32);
                Vector128<byte> q = Vector128.Create(lo.Apply(a0, a1), hi.Apply(a2, a3));
                if (a.FitsWhole(dst)) q.Store(dst);
                else
                {
                    // Only the valid channels: no calls here (see RequantizeArm64.Store).
                    int valid = Math.Min(16, outC - c);
                    RequantizeArm64.Store(q.GetLower(), dst, Math.Min(8, valid));
                    if (valid > 8) RequantizeArm64.Store(q.GetUpper(), dst + 8, valid - 8);
                }
            }
        }
    }
}
