using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace QuantKernels.Kernels.Depthwise;

/// <summary>
/// AVX2 depthwise row kernels: 16 channels per pair of ymm int32 accumulators. Two taps' int16 activations
/// (x_t, x_t+1, 16 channels each) are interleaved by vpunpcklwd / vpunpckhwd into (x_t[c], x_t+1[c]) pairs for
/// channels 0-3, 8-11 and 4-7, 12-15, and one vpmaddwd against the packed (w_t[c], w_t+1[c]) pairs adds both taps'
/// products to 8 channels. Every product and pair sum fits int32 (255 * 255 * 2) and int32 wrap-around addition is
/// associative, so the accumulators equal the reference's bit for bit. Requantization runs in registers; vpackssdw
/// of the two accumulators puts the 16 channels back in order.
/// </summary>
internal static unsafe class DepthwiseAvx2
{
    /// <summary>Any filter: the tap pairs in a loop.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Row(in DepthwiseRowArgs a)
    {
        int pairs = a.TapCount >> 1, blocks = a.Blocks, wBlock = a.PairCount * 32, outC = a.OutC;
        bool odd = (a.TapCount & 1) != 0;
        short** taps = a.Taps;
        var req = new Requant(in a);
        for (int ox = 0; ox < a.OutputWidth; ox++)
        {
            long pix = (long)ox * a.PixelStep;
            byte* dst = a.Output + (long)ox * outC;
            for (int cb = 0; cb < blocks; cb++, dst += 16)
            {
                long off = pix + cb * 16;
                short* w = a.PairWeights + cb * wBlock;
                Vector256<int> lo = Avx.LoadVector256(a.BiasPerm + cb * 16), hi = Avx.LoadVector256(a.BiasPerm + cb * 16 + 8);
                short** t = taps;
                for (int q = 0; q < pairs; q++, t += 2, w += 32)
                {
                    Vector256<short> x0 = Avx.LoadVector256(t[0] + off), x1 = Avx.LoadVector256(t[1] + off);
                    lo = Avx2.Add(lo, Avx2.MultiplyAddAdjacent(Avx2.UnpackLow(x0, x1), Avx.LoadVector256(w)));
                    hi = Avx2.Add(hi, Avx2.MultiplyAddAdjacent(Avx2.UnpackHigh(x0, x1), Avx.LoadVector256(w + 16)));
                }
                if (odd)
                {
                    // The lone last tap pairs with itself; its partner's packed weight is 0.
                    Vector256<short> x0 = Avx.LoadVector256(t[0] + off);
                    lo = Avx2.Add(lo, Avx2.MultiplyAddAdjacent(Avx2.UnpackLow(x0, x0), Avx.LoadVector256(w)));
                    hi = Avx2.Add(hi, Avx2.MultiplyAddAdjacent(Avx2.UnpackHigh(x0, x0), Avx.LoadVector256(w + 16)));
                }
                Store(in a, req.Apply(lo, hi, cb), dst, cb);
            }
        }
    }

    /// <summary>3x3 filters (any stride/dilation): one 16-channel block at a time across the whole output row, so its ten
    /// weight vectors and bias stay in registers and the block's activations (3 rows x a few pixels) stay in L1; the
    /// nine tap pointers live in registers and the five pairs are unrolled.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Row9BlockMajor(in DepthwiseRowArgs a)
    {
        int blocks = a.Blocks, outC = a.OutC, width = a.OutputWidth;
        long step = a.PixelStep;
        var req = new Requant(in a);
        // Blocks last to first: a partial last block's whole 16-byte store spills into the next pixel's first
        // channels (block 0), which a later pass then overwrites (see DepthwiseRowArgs.FitsWhole).
        for (int cb = blocks - 1; cb >= 0; cb--)
        {
            short* w = a.PairWeights + cb * 5 * 32;
            Vector256<short> w0 = Avx.LoadVector256(w), w1 = Avx.LoadVector256(w + 16), w2 = Avx.LoadVector256(w + 32);
            Vector256<short> w3 = Avx.LoadVector256(w + 48), w4 = Avx.LoadVector256(w + 64), w5 = Avx.LoadVector256(w + 80);
            Vector256<short> w6 = Avx.LoadVector256(w + 96), w7 = Avx.LoadVector256(w + 112), w8 = Avx.LoadVector256(w + 128);
            Vector256<short> w9 = Avx.LoadVector256(w + 144);
            Vector256<int> bLo = Avx.LoadVector256(a.BiasPerm + cb * 16), bHi = Avx.LoadVector256(a.BiasPerm + cb * 16 + 8);
            int c = cb * 16;
            short* t0 = a.Taps[0] + c, t1 = a.Taps[1] + c, t2 = a.Taps[2] + c, t3 = a.Taps[3] + c, t4 = a.Taps[4] + c;
            short* t5 = a.Taps[5] + c, t6 = a.Taps[6] + c, t7 = a.Taps[7] + c, t8 = a.Taps[8] + c;
            byte* dst = a.Output + c;
            for (int ox = 0; ox < width; ox++, dst += outC)
            {
                long off = ox * step;
                Vector256<short> x0 = Avx.LoadVector256(t0 + off), x1 = Avx.LoadVector256(t1 + off);
                Vector256<int> lo = Avx2.Add(bLo, Avx2.MultiplyAddAdjacent(Avx2.UnpackLow(x0, x1), w0));
                Vector256<int> hi = Avx2.Add(bHi, Avx2.MultiplyAddAdjacent(Avx2.UnpackHigh(x0, x1), w1));
                x0 = Avx.LoadVector256(t2 + off); x1 = Avx.LoadVector256(t3 + off);
                Vector256<int> lo2 = Avx2.MultiplyAddAdjacent(Avx2.UnpackLow(x0, x1), w2);
                Vector256<int> hi2 = Avx2.MultiplyAddAdjacent(Avx2.UnpackHigh(x0, x1), w3);
                x0 = Avx.LoadVector256(t4 + off); x1 = Avx.LoadVector256(t5 + off);
                lo = Avx2.Add(lo, Avx2.MultiplyAddAdjacent(Avx2.UnpackLow(x0, x1), w4));
                hi = Avx2.Add(hi, Avx2.MultiplyAddAdjacent(Avx2.UnpackHigh(x0, x1), w5));
                x0 = Avx.LoadVector256(t6 + off); x1 = Avx.LoadVector256(t7 + off);
                lo2 = Avx2.Add(lo2, Avx2.MultiplyAddAdjacent(Avx2.UnpackLow(x0, x1), w6));
                hi2 = Avx2.Add(hi2, Avx2.MultiplyAddAdjacent(Avx2.UnpackHigh(x0, x1), w7));
                x0 = Avx.LoadVector256(t8 + off);
                lo = Avx2.Add(lo, Avx2.MultiplyAddAdjacent(Avx2.UnpackLow(x0, x0), w8));
                hi = Avx2.Add(hi, Avx2.MultiplyAddAdjacent(Avx2.UnpackHigh(x0, x0), w9));
                Store(in a, req.Apply(Avx2.Add(lo, lo2), Avx2.Add(hi, hi2), cb), dst, cb);
            }
        }
    }

    /// <summary>3x3 filters with many channels: two output pixels at a time (sharing each block's ten weight loads),
    /// blocks last to first, weights loaded from L1. Block-major order would walk each row buffer at a power-of-two
    /// pixel stride (e.g. 1 KiB for 512 channels) and thrash a few L1 sets. Store order: a partial last block's whole
    /// 16-byte store spills only into later-written bytes (the next pixel's block 0, written at the end of the pass).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Row9PixelMajor(in DepthwiseRowArgs a)
    {
        int blocks = a.Blocks, outC = a.OutC, width = a.OutputWidth;
        long step = a.PixelStep;
        short* t0 = a.Taps[0], t1 = a.Taps[1], t2 = a.Taps[2], t3 = a.Taps[3], t4 = a.Taps[4];
        short* t5 = a.Taps[5], t6 = a.Taps[6], t7 = a.Taps[7], t8 = a.Taps[8];
        var req = new Requant(in a);
        short* wBase = a.PairWeights;
        int* biasPerm = a.BiasPerm;
        int ox = 0;
        for (; ox + 2 <= width; ox += 2)
        {
            long p0 = ox * step;
            byte* d0 = a.Output + (long)ox * outC;
            for (int cb = blocks - 1; cb >= 0; cb--)
            {
                short* w = wBase + cb * 5 * 32;
                Vector256<short> w0 = Avx.LoadVector256(w), w1 = Avx.LoadVector256(w + 16), w2 = Avx.LoadVector256(w + 32);
                Vector256<short> w3 = Avx.LoadVector256(w + 48), w4 = Avx.LoadVector256(w + 64), w5 = Avx.LoadVector256(w + 80);
                Vector256<short> w6 = Avx.LoadVector256(w + 96), w7 = Avx.LoadVector256(w + 112), w8 = Avx.LoadVector256(w + 128);
                Vector256<short> w9 = Avx.LoadVector256(w + 144);
                Vector256<int> bLo = Avx.LoadVector256(biasPerm + cb * 16), bHi = Avx.LoadVector256(biasPerm + cb * 16 + 8);
                long off = p0 + cb * 16;
                Tap9(t0, t1, t2, t3, t4, t5, t6, t7, t8, off, w0, w1, w2, w3, w4, w5, w6, w7, w8, w9, bLo, bHi,
                    out Vector256<int> lo, out Vector256<int> hi);
                Tap9(t0, t1, t2, t3, t4, t5, t6, t7, t8, off + step, w0, w1, w2, w3, w4, w5, w6, w7, w8, w9, bLo, bHi,
                    out Vector256<int> lo1, out Vector256<int> hi1);
                Store(in a, req.Apply(lo, hi, cb), d0 + cb * 16, cb);
                Store(in a, req.Apply(lo1, hi1, cb), d0 + outC + cb * 16, cb);
            }
        }
        if (ox < width)
        {
            long p0 = ox * step;
            byte* d0 = a.Output + (long)ox * outC;
            for (int cb = blocks - 1; cb >= 0; cb--)
            {
                short* w = wBase + cb * 5 * 32;
                Vector256<int> bLo = Avx.LoadVector256(biasPerm + cb * 16), bHi = Avx.LoadVector256(biasPerm + cb * 16 + 8);
                Tap9(t0, t1, t2, t3, t4, t5, t6, t7, t8, p0 + cb * 16, Avx.LoadVector256(w), Avx.LoadVector256(w + 16),
                    Avx.LoadVector256(w + 32), Avx.LoadVector256(w + 48), Avx.LoadVector256(w + 64), Avx.LoadVector256(w + 80),
                    Avx.LoadVector256(w + 96), Avx.LoadVector256(w + 112), Avx.LoadVector256(w + 128), Avx.LoadVector256(w + 144),
                    bLo, bHi, out Vector256<int> lo, out Vector256<int> hi);
                Store(in a, req.Apply(lo, hi, cb), d0 + cb * 16, cb);
            }
        }
    }

    /// <summary>bias + the nine taps of one pixel's 16-channel block at <paramref name="off"/>, as the low (channels
    /// 0-3, 8-11) and high (4-7, 12-15) accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tap9(short* t0, short* t1, short* t2, short* t3, short* t4, short* t5, short* t6, short* t7, short* t8,
        long off, Vector256<short> w0, Vector256<short> w1, Vector256<short> w2, Vector256<short> w3, Vector256<short> w4,
        Vector256<short> w5, Vector256<short> w6, Vector256<short> w7, Vector256<short> w8, Vector256<short> w9,
        Vector256<int> bLo, Vector256<int> bHi, out Vector256<int> lo, out Vector256<int> hi)
    {
        Vector256<short> x0 = Avx.LoadVector256(t0 + off), x1 = Avx.LoadVector256(t1 + off);
        lo = Avx2.Add(bLo, Avx2.MultiplyAddAdjacent(Avx2.UnpackLow(x0, x1), w0));
        hi = Avx2.Add(bHi, Avx2.MultiplyAddAdjacent(Avx2.UnpackHigh(x0, x1), w1));
        x0 = Avx.LoadVector256(t2 + off); x1 = Avx.LoadVector256(t3 + off);
        Vector256<int> lo2 = Avx2.MultiplyAddAdjacent(Avx2.UnpackLow(x0, x1), w2);
        Vector256<int> hi2 = Avx2.MultiplyAddAdjacent(Avx2.UnpackHigh(x0, x1), w3);
        x0 = Avx.LoadVector256(t4 + off); x1 = Avx.LoadVector256(t5 + off);
        lo = Avx2.Add(lo, Avx2.MultiplyAddAdjacent(Avx2.UnpackLow(x0, x1), w4));
        hi = Avx2.Add(hi, Avx2.MultiplyAddAdjacent(Avx2.UnpackHigh(x0, x1), w5));
        x0 = Avx.LoadVector256(t6 + off); x1 = Avx.LoadVector256(t7 + off);
        lo2 = Avx2.Add(lo2, Avx2.MultiplyAddAdjacent(Avx2.UnpackLow(x0, x1), w6));
        hi2 = Avx2.Add(hi2, Avx2.MultiplyAddAdjacent(Avx2.UnpackHigh(x0, x1), w7));
        x0 = Avx.LoadVector256(t8 + off);
        lo = Avx2.Add(Avx2.Add(lo, Avx2.MultiplyAddAdjacent(Avx2.UnpackLow(x0, x0), w8)), lo2);
        hi = Avx2.Add(Avx2.Add(hi, Avx2.MultiplyAddAdjacent(Avx2.UnpackHigh(x0, x0), w9)), hi2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(in DepthwiseRowArgs a, Vector128<byte> v, byte* dst, int cb)
    {
        if (a.FitsWhole(dst)) Sse2.Store(dst, v);
        else StorePartial(v, dst, Math.Min(16, a.OutC - cb * 16));
    }

    /// <summary>The tensor's last block when fewer than 16 bytes remain. Out of line: keeps stackalloc out of the kernels.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StorePartial(Vector128<byte> v, byte* dst, int valid)
    {
        byte* tmp = stackalloc byte[16];
        Sse2.Store(tmp, v);
        for (int j = 0; j < valid; j++) dst[j] = tmp[j];
    }

    /// <summary>Vectorized requantization of one block's two accumulators (AVX2 accumulator channel order), both conventions.</summary>
    private readonly struct Requant
    {
        private readonly float* _scales;
        private readonly int* _mult, _left, _right;
        private readonly Vector256<float> _lo, _hi;
        private readonly Vector256<int> _zp, _min, _max;
        private readonly bool _fp32, _unsigned;

        public Requant(in DepthwiseRowArgs a)
        {
            _scales = a.ScalesPerm; _mult = a.MultipliersPerm; _left = a.LeftShiftsPerm; _right = a.RightShiftsPerm;
            _lo = Vector256.Create((float)(a.OutputMin - a.OutputZeroPoint));
            _hi = Vector256.Create((float)(a.OutputMax - a.OutputZeroPoint));
            _zp = Vector256.Create(a.OutputZeroPoint);
            _min = Vector256.Create(a.OutputMin);
            _max = Vector256.Create(a.OutputMax);
            _fp32 = a.Fp32;
            _unsigned = a.Unsigned;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<byte> Apply(Vector256<int> lo, Vector256<int> hi, int cb)
        {
            int c = cb * 16;
            Vector256<int> q0, q1;
            if (_fp32)
            {
                // xnnpack fp32: clamp((float)acc * scale, min - zp, max - zp), vcvtps2dq (MXCSR default: half to even), + zp.
                Vector256<float> f0 = Avx.Multiply(Avx.ConvertToVector256Single(lo), Avx.LoadVector256(_scales + c));
                Vector256<float> f1 = Avx.Multiply(Avx.ConvertToVector256Single(hi), Avx.LoadVector256(_scales + c + 8));
                f0 = Avx.Min(Avx.Max(f0, _lo), _hi);
                f1 = Avx.Min(Avx.Max(f1, _lo), _hi);
                q0 = Avx2.Add(Avx.ConvertToVector256Int32(f0), _zp);
                q1 = Avx2.Add(Avx.ConvertToVector256Int32(f1), _zp);
            }
            else
            {
                q0 = FixedPoint256.MultiplyByQuantizedMultiplier(lo, Avx.LoadVector256(_mult + c), Avx.LoadVector256(_left + c), Avx.LoadVector256(_right + c));
                q1 = FixedPoint256.MultiplyByQuantizedMultiplier(hi, Avx.LoadVector256(_mult + c + 8), Avx.LoadVector256(_left + c + 8), Avx.LoadVector256(_right + c + 8));
                q0 = Avx2.Min(Avx2.Max(Avx2.Add(q0, _zp), _min), _max);
                q1 = Avx2.Min(Avx2.Max(Avx2.Add(q1, _zp), _min), _max);
            }
            // vpackssdw per 128-bit lane: (lo 0-3 = ch 0-3, hi 0-3 = ch 4-7 | lo 4-7 = ch 8-11, hi 4-7 = ch 12-15).
            Vector256<short> s = Avx2.PackSignedSaturate(q0, q1);
            return _unsigned
                ? Sse2.PackUnsignedSaturate(s.GetLower(), s.GetUpper())
                : Sse2.PackSignedSaturate(s.GetLower(), s.GetUpper()).AsByte();
        }
    }
}
