using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace QuantKernels.Kernels.Depthwise;

/// <summary>Adds two int16 pair products to each int32 lane: exact (|products| &lt; 2^17, int32 wrap-around addition).</summary>
internal interface IPairMultiplyAdd256
{
    /// <summary>acc + (x[2i] * w[2i] + x[2i+1] * w[2i+1]) per int32 lane i.</summary>
    static abstract Vector256<int> Add(Vector256<int> acc, Vector256<short> x, Vector256<short> w);
}

/// <summary>AVX2: <c>vpmaddwd</c> then <c>vpaddd</c>.</summary>
internal readonly struct MaddAvx2 : IPairMultiplyAdd256
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Add(Vector256<int> acc, Vector256<short> x, Vector256<short> w) => Avx2.Add(acc, Avx2.MultiplyAddAdjacent(x, w));
}

/// <summary>AVX-VNNI: <c>vpdpwssd</c> (the non-saturating form), one instruction for both.</summary>
internal readonly struct MaddAvxVnni : IPairMultiplyAdd256
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Add(Vector256<int> acc, Vector256<short> x, Vector256<short> w) => AvxVnni.MultiplyWideningAndAdd(acc, x, w);
}

/// <summary>
/// 3x3 depthwise kernels over paired rows (<see cref="DepthwisePairedLayout"/>, 16-channel blocks), any stride, dilation 1:
/// per output pixel and block, three columns x two paired rows x two halves = 12 multiply-adds of int16 pairs (9 taps and
/// 3 zero weights), no shuffles, weights for the block in registers across the whole row. <see cref="TwoRows"/> computes
/// output rows oy (even first input row) and oy + 1 (stride 1: the same two paired rows) from one set of loads.
/// Blocks run last to first, so a partial last block's whole 16-byte store only spills into bytes written later (block 0
/// of the next pixel, or later pixels when there is one block); a row's last pixel stores only its valid bytes.
/// </summary>
internal static unsafe class Depthwise3x3Avx2
{
    /// <summary>int16 of one block's weights: 2 sets x 3 columns x 2 paired rows x 2 halves x 16.</summary>
    public const int BlockWeights = 384;

    /// <summary>One output row with weight set <paramref name="set"/> (0 even, 1 odd).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void OneRow<TM, TQ, TO>(in DepthwisePairedArgs a, int set, byte* output)
        where TM : struct, IPairMultiplyAdd256 where TQ : struct, IDepthwiseRequant256<TQ> where TO : struct, IDepthwiseOutput256
    {
        int outC = a.OutC, width = a.OutputWidth, pix = a.PixelShorts;
        var k = new DepthwiseOutput256(a.OutputZeroPoint, a.OutputMin, a.OutputMax);
        for (int cb = a.Blocks - 1; cb >= 0; cb--)
        {
            short* w = a.Weights + cb * BlockWeights + set * 192;
            Vector256<short> w0al = Avx.LoadVector256(w), w0ah = Avx.LoadVector256(w + 16);
            Vector256<short> w0bl = Avx.LoadVector256(w + 32), w0bh = Avx.LoadVector256(w + 48);
            Vector256<short> w1al = Avx.LoadVector256(w + 64), w1ah = Avx.LoadVector256(w + 80);
            Vector256<short> w1bl = Avx.LoadVector256(w + 96), w1bh = Avx.LoadVector256(w + 112);
            Vector256<short> w2al = Avx.LoadVector256(w + 128), w2ah = Avx.LoadVector256(w + 144);
            Vector256<short> w2bl = Avx.LoadVector256(w + 160), w2bh = Avx.LoadVector256(w + 176);
            int c = cb * 16;
            Vector256<int> bl = Avx.LoadVector256(a.Bias + c), bh = Avx.LoadVector256(a.Bias + c + 8);
            TQ q = TQ.Create(in a, c);
            short* ra = a.RowA + cb * a.BlockShorts, rb = a.RowB + cb * a.BlockShorts;
            byte* d = output + c;
            int whole = WholeStores(width, outC, c);
            for (int x = 0; x < width; x++, ra += pix, rb += pix, d += outC)
            {
                // Four chains of three (paired row a / b, low / high half): vpdpwssd's latency would otherwise bound a
                // row of one-pixel-at-a-time work (seen at stride 2).
                Vector256<int> lo = TM.Add(bl, Avx.LoadVector256(ra), w0al);
                Vector256<int> hi = TM.Add(bh, Avx.LoadVector256(ra + 16), w0ah);
                Vector256<int> lo2 = Avx2.MultiplyAddAdjacent(Avx.LoadVector256(rb), w0bl);
                Vector256<int> hi2 = Avx2.MultiplyAddAdjacent(Avx.LoadVector256(rb + 16), w0bh);
                lo = TM.Add(lo, Avx.LoadVector256(ra + 32), w1al);
                hi = TM.Add(hi, Avx.LoadVector256(ra + 48), w1ah);
                lo2 = TM.Add(lo2, Avx.LoadVector256(rb + 32), w1bl);
                hi2 = TM.Add(hi2, Avx.LoadVector256(rb + 48), w1bh);
                lo = TM.Add(lo, Avx.LoadVector256(ra + 64), w2al);
                hi = TM.Add(hi, Avx.LoadVector256(ra + 80), w2ah);
                lo2 = TM.Add(lo2, Avx.LoadVector256(rb + 64), w2bl);
                hi2 = TM.Add(hi2, Avx.LoadVector256(rb + 80), w2bh);
                Vector256<short> s = q.Apply(Avx2.Add(lo, lo2), Avx2.Add(hi, hi2));
                Vector128<byte> r = TO.Pack(s, s, in k).GetLower();
                if (x < whole) Sse2.Store(d, r);
                else StorePartial(r, d, Math.Min(16, outC - c), a.Scratch);
            }
        }
    }

    /// <summary>Output rows oy (even set) and oy + 1 (odd set) from the same paired rows (stride 1, oy's first input row
    /// even): each activation vector feeds both rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TwoRows<TM, TQ, TO>(in DepthwisePairedArgs a, byte* output0, byte* output1)
        where TM : struct, IPairMultiplyAdd256 where TQ : struct, IDepthwiseRequant256<TQ> where TO : struct, IDepthwiseOutput256
    {
        int outC = a.OutC, width = a.OutputWidth, pix = a.PixelShorts;
        var k = new DepthwiseOutput256(a.OutputZeroPoint, a.OutputMin, a.OutputMax);
        for (int cb = a.Blocks - 1; cb >= 0; cb--)
        {
            short* w = a.Weights + cb * BlockWeights;
            Vector256<short> e0al = Avx.LoadVector256(w), e0ah = Avx.LoadVector256(w + 16);
            Vector256<short> e0bl = Avx.LoadVector256(w + 32), e0bh = Avx.LoadVector256(w + 48);
            Vector256<short> e1al = Avx.LoadVector256(w + 64), e1ah = Avx.LoadVector256(w + 80);
            Vector256<short> e1bl = Avx.LoadVector256(w + 96), e1bh = Avx.LoadVector256(w + 112);
            Vector256<short> e2al = Avx.LoadVector256(w + 128), e2ah = Avx.LoadVector256(w + 144);
            Vector256<short> e2bl = Avx.LoadVector256(w + 160), e2bh = Avx.LoadVector256(w + 176);
            Vector256<short> o0al = Avx.LoadVector256(w + 192), o0ah = Avx.LoadVector256(w + 208);
            Vector256<short> o0bl = Avx.LoadVector256(w + 224), o0bh = Avx.LoadVector256(w + 240);
            Vector256<short> o1al = Avx.LoadVector256(w + 256), o1ah = Avx.LoadVector256(w + 272);
            Vector256<short> o1bl = Avx.LoadVector256(w + 288), o1bh = Avx.LoadVector256(w + 304);
            Vector256<short> o2al = Avx.LoadVector256(w + 320), o2ah = Avx.LoadVector256(w + 336);
            Vector256<short> o2bl = Avx.LoadVector256(w + 352), o2bh = Avx.LoadVector256(w + 368);
            int c = cb * 16;
            Vector256<int> bl = Avx.LoadVector256(a.Bias + c), bh = Avx.LoadVector256(a.Bias + c + 8);
            TQ q = TQ.Create(in a, c);
            short* ra = a.RowA + cb * a.BlockShorts, rb = a.RowB + cb * a.BlockShorts;
            byte* d0 = output0 + c, d1 = output1 + c;
            int whole = WholeStores(width, outC, c);
            for (int x = 0; x < width; x++, ra += pix, rb += pix, d0 += outC, d1 += outC)
            {
                Vector256<short> xal = Avx.LoadVector256(ra), xah = Avx.LoadVector256(ra + 16);
                Vector256<short> xbl = Avx.LoadVector256(rb), xbh = Avx.LoadVector256(rb + 16);
                Vector256<int> el = TM.Add(bl, xal, e0al), eh = TM.Add(bh, xah, e0ah);
                Vector256<int> ol = TM.Add(bl, xal, o0al), oh = TM.Add(bh, xah, o0ah);
                el = TM.Add(el, xbl, e0bl); eh = TM.Add(eh, xbh, e0bh);
                ol = TM.Add(ol, xbl, o0bl); oh = TM.Add(oh, xbh, o0bh);
                xal = Avx.LoadVector256(ra + 32); xah = Avx.LoadVector256(ra + 48);
                xbl = Avx.LoadVector256(rb + 32); xbh = Avx.LoadVector256(rb + 48);
                el = TM.Add(el, xal, e1al); eh = TM.Add(eh, xah, e1ah);
                ol = TM.Add(ol, xal, o1al); oh = TM.Add(oh, xah, o1ah);
                el = TM.Add(el, xbl, e1bl); eh = TM.Add(eh, xbh, e1bh);
                ol = TM.Add(ol, xbl, o1bl); oh = TM.Add(oh, xbh, o1bh);
                xal = Avx.LoadVector256(ra + 64); xah = Avx.LoadVector256(ra + 80);
                xbl = Avx.LoadVector256(rb + 64); xbh = Avx.LoadVector256(rb + 80);
                el = TM.Add(el, xal, e2al); eh = TM.Add(eh, xah, e2ah);
                ol = TM.Add(ol, xal, o2al); oh = TM.Add(oh, xah, o2ah);
                el = TM.Add(el, xbl, e2bl); eh = TM.Add(eh, xbh, e2bh);
                ol = TM.Add(ol, xbl, o2bl); oh = TM.Add(oh, xbh, o2bh);
                Vector256<byte> r = TO.Pack(q.Apply(el, eh), q.Apply(ol, oh), in k);
                StoreTwo(r, d0, d1, x < whole, outC - c, a.Scratch);
            }
        }
    }

    /// <summary>Stride 2: output rows oy (paired rows a, a + 1) and oy + 1 (a + 1, a + 2 = <see cref="DepthwisePairedArgs.RowC"/>),
    /// both with the even set: one setup of the block's weights and one load of the shared middle paired row for both.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TwoRowsStride2<TM, TQ, TO>(in DepthwisePairedArgs a, byte* output0, byte* output1)
        where TM : struct, IPairMultiplyAdd256 where TQ : struct, IDepthwiseRequant256<TQ> where TO : struct, IDepthwiseOutput256
    {
        int outC = a.OutC, width = a.OutputWidth, pix = a.PixelShorts;
        var k = new DepthwiseOutput256(a.OutputZeroPoint, a.OutputMin, a.OutputMax);
        for (int cb = a.Blocks - 1; cb >= 0; cb--)
        {
            short* w = a.Weights + cb * BlockWeights;
            Vector256<short> w0al = Avx.LoadVector256(w), w0ah = Avx.LoadVector256(w + 16);
            Vector256<short> w0bl = Avx.LoadVector256(w + 32), w0bh = Avx.LoadVector256(w + 48);
            Vector256<short> w1al = Avx.LoadVector256(w + 64), w1ah = Avx.LoadVector256(w + 80);
            Vector256<short> w1bl = Avx.LoadVector256(w + 96), w1bh = Avx.LoadVector256(w + 112);
            Vector256<short> w2al = Avx.LoadVector256(w + 128), w2ah = Avx.LoadVector256(w + 144);
            Vector256<short> w2bl = Avx.LoadVector256(w + 160), w2bh = Avx.LoadVector256(w + 176);
            int c = cb * 16;
            Vector256<int> bl = Avx.LoadVector256(a.Bias + c), bh = Avx.LoadVector256(a.Bias + c + 8);
            TQ q = TQ.Create(in a, c);
            long at = cb * a.BlockShorts;
            short* ra = a.RowA + at, rb = a.RowB + at, rc = a.RowC + at;
            byte* d0 = output0 + c, d1 = output1 + c;
            int whole = WholeStores(width, outC, c);
            for (int x = 0; x < width; x++, ra += pix, rb += pix, rc += pix, d0 += outC, d1 += outC)
            {
                // Row oy: a * w?a + b * w?b; row oy + 1: b * w?a + c * w?b.
                Vector256<short> xbl = Avx.LoadVector256(rb), xbh = Avx.LoadVector256(rb + 16);
                Vector256<int> ul = TM.Add(bl, Avx.LoadVector256(ra), w0al), uh = TM.Add(bh, Avx.LoadVector256(ra + 16), w0ah);
                Vector256<int> vl = TM.Add(bl, xbl, w0al), vh = TM.Add(bh, xbh, w0ah);
                ul = TM.Add(ul, xbl, w0bl); uh = TM.Add(uh, xbh, w0bh);
                vl = TM.Add(vl, Avx.LoadVector256(rc), w0bl); vh = TM.Add(vh, Avx.LoadVector256(rc + 16), w0bh);
                xbl = Avx.LoadVector256(rb + 32); xbh = Avx.LoadVector256(rb + 48);
                ul = TM.Add(ul, Avx.LoadVector256(ra + 32), w1al); uh = TM.Add(uh, Avx.LoadVector256(ra + 48), w1ah);
                vl = TM.Add(vl, xbl, w1al); vh = TM.Add(vh, xbh, w1ah);
                ul = TM.Add(ul, xbl, w1bl); uh = TM.Add(uh, xbh, w1bh);
                vl = TM.Add(vl, Avx.LoadVector256(rc + 32), w1bl); vh = TM.Add(vh, Avx.LoadVector256(rc + 48), w1bh);
                xbl = Avx.LoadVector256(rb + 64); xbh = Avx.LoadVector256(rb + 80);
                ul = TM.Add(ul, Avx.LoadVector256(ra + 64), w2al); uh = TM.Add(uh, Avx.LoadVector256(ra + 80), w2ah);
                vl = TM.Add(vl, xbl, w2al); vh = TM.Add(vh, xbh, w2ah);
                ul = TM.Add(ul, xbl, w2bl); uh = TM.Add(uh, xbh, w2bh);
                vl = TM.Add(vl, Avx.LoadVector256(rc + 64), w2bl); vh = TM.Add(vh, Avx.LoadVector256(rc + 80), w2bh);
                Vector256<byte> r = TO.Pack(q.Apply(ul, uh), q.Apply(vl, vh), in k);
                StoreTwo(r, d0, d1, x < whole, outC - c, a.Scratch);
            }
        }
    }

    /// <summary>How many leading pixels of a row may store block c's 16 bytes whole: those whose store ends inside the
    /// row (a row's last pixel of a partial last block would spill into the next row, which a two-row pass has already
    /// written).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int WholeStores(int width, int outC, int c)
    {
        if (c + 16 <= outC) return width;
        long room = (long)width * outC - c - 16; // x * outC <= room
        return room < 0 ? 0 : (int)Math.Min(room / outC + 1, width);
    }

    /// <summary>Bytes 0-15 of <paramref name="r"/> to <paramref name="d0"/>, 16-31 to <paramref name="d1"/>: whole 16-byte
    /// stores, or only the first <paramref name="left"/> (channels left in the row from this block) of each.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreTwo(Vector256<byte> r, byte* d0, byte* d1, bool whole, int left, byte* scratch)
    {
        if (whole)
        {
            Sse2.Store(d0, r.GetLower());
            Sse2.Store(d1, r.GetUpper());
        }
        else
        {
            StorePartial(r.GetLower(), d0, Math.Min(16, left), scratch);
            StorePartial(r.GetUpper(), d1, Math.Min(16, left), scratch);
        }
    }

    /// <summary>The first <paramref name="valid"/> bytes, through a 16-byte <paramref name="scratch"/>. Inlined: a call in
    /// the pixel loop would make the JIT spill and reload every weight register around it (SysV: all vector registers
    /// are caller-saved).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StorePartial(Vector128<byte> v, byte* dst, int valid, byte* scratch)
    {
        Sse2.Store(scratch, v);
        for (int j = 0; j < valid; j++) dst[j] = scratch[j];
    }
}
