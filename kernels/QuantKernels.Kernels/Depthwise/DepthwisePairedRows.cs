using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace QuantKernels.Kernels.Depthwise;

/// <summary>
/// Writes one paired row (<see cref="DepthwisePairedLayout"/>) from two input rows: per 16 channels of a column, two
/// <c>vpmovsxbw</c>/<c>vpmovzxbw</c> loads and one <c>vpunpcklwd</c> + <c>vpunpckhwd</c>. x86-64 only (the paths that run the paired kernels). Each input row lands in exactly one paired
/// row, so this is the whole per-invoke widening cost.
/// </summary>
internal static unsafe class DepthwisePairedRows
{
    /// <summary>Builds a paired row of raw int16 activations (the kernels' bias holds -zpIn * sum(w), so a tap adds
    /// w * (x - zpIn) in effect). Writes the image columns of every block; padded rows are written as the zero point, and
    /// padded columns (set to the zero point when the buffer is allocated, <see cref="Fill"/>) and channels past the last
    /// are never written.</summary>
    /// <param name="rowA">The even input row (W pixels of C channels), or null for a padded row.</param>
    /// <param name="rowB">The odd input row, or null.</param>
    /// <param name="dst">The paired row: [block][padded column][2 * block int16].</param>
    /// <param name="width">Input width W.</param>
    /// <param name="channels">Input (= output) channels C.</param>
    /// <param name="block">Channels per block B (16 or 32).</param>
    /// <param name="paddedWidth">Padded columns per block.</param>
    /// <param name="padLeft">Padded columns left of the image.</param>
    /// <param name="zeroPoint">Input zero point: the value of padded rows.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Build<T>(T* rowA, T* rowB, short* dst, int width, int channels, int block, int paddedWidth, int padLeft, int zeroPoint)
        where T : unmanaged, IBinaryInteger<T>
    {
        int colShorts = 2 * block;
        long blockShorts = (long)paddedWidth * colShorts;
        Vector256<short> zp = Vector256.Create((short)zeroPoint);
        int full = channels / 16;
        for (int s = 0; s < full; s++)
        {
            // 16-channel group s: block s * 16 / B, low pairs at (s % (B/16)) * 16, high pairs B further.
            int b = s * 16 / block, sub = s * 16 % block;
            short* d = dst + b * blockShorts + (long)padLeft * colShorts + sub;
            int c = s * 16;
            if (rowA != null && rowB != null)
            {
                T* pa = rowA + c, pb = rowB + c;
                for (int x = 0; x < width; x++, d += colShorts, pa += channels, pb += channels)
                {
                    Vector256<short> va = Widen(pa), vb = Widen(pb);
                    Avx.Store(d, Avx2.UnpackLow(va, vb));
                    Avx.Store(d + block, Avx2.UnpackHigh(va, vb));
                }
            }
            else
            {
                // One row (or none) inside the image: its partner is the zero point.
                T* row = rowA != null ? rowA : rowB;
                T* p = row + c;
                for (int x = 0; x < width; x++, d += colShorts, p += channels)
                {
                    Vector256<short> v = row == null ? zp : Widen(p);
                    (Vector256<short> lo, Vector256<short> hi) = rowA != null
                        ? (Avx2.UnpackLow(v, zp), Avx2.UnpackHigh(v, zp))
                        : (Avx2.UnpackLow(zp, v), Avx2.UnpackHigh(zp, v));
                    Avx.Store(d, lo);
                    Avx.Store(d + block, hi);
                }
            }
        }
        // The last channels (fewer than 16): one by one at their pair offsets.
        for (int c = full * 16; c < channels; c++)
        {
            int b = c / block;
            short* d = dst + b * blockShorts + (long)padLeft * colShorts + DepthwisePairedLayout.PairOffset(c % block, block);
            for (int x = 0; x < width; x++, d += colShorts)
            {
                long at = (long)x * channels + c;
                d[0] = rowA == null ? (short)zeroPoint : (short)int.CreateTruncating(rowA[at]);
                d[1] = rowB == null ? (short)zeroPoint : (short)int.CreateTruncating(rowB[at]);
            }
        }
    }

    /// <summary>Sets a whole ring of paired rows to the zero point once, at allocation: the padded columns keep it.</summary>
    public static void Fill(Span<short> rows, int zeroPoint) => rows.Fill((short)zeroPoint);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> Widen<T>(T* p) where T : unmanaged
        => typeof(T) == typeof(sbyte) ? Avx2.ConvertToVector256Int16((sbyte*)p) : Avx2.ConvertToVector256Int16((byte*)p).AsInt16();
}
