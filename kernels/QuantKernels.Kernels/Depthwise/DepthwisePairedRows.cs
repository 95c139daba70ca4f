using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace QuantKernels.Kernels.Depthwise;

/// <summary>
/// Writes one paired row (<see cref="DepthwisePairedLayout"/>) from two input rows: per 16 channels of a column, two
/// <c>vpmovsxbw</c>/<c>vpmovzxbw</c> loads, two subtractions of the input zero point and one <c>vpunpcklwd</c> +
/// <c>vpunpckhwd</c>. x86-64 only (the paths that run the paired kernels). Each input row lands in exactly one paired
/// row, so this is the whole per-invoke widening cost.
/// </summary>
internal static unsafe class DepthwisePairedRows
{
    /// <summary>Builds a paired row. Writes the image columns of every block; padded columns and channels past the last
    /// are never written and stay 0.</summary>
    /// <param name="rowA">The even input row (W pixels of C channels), or null for a padded row (zeros).</param>
    /// <param name="rowB">The odd input row, or null.</param>
    /// <param name="dst">The paired row: [block][padded column][2 * block int16].</param>
    /// <param name="width">Input width W.</param>
    /// <param name="channels">Input (= output) channels C.</param>
    /// <param name="block">Channels per block B (16 or 32).</param>
    /// <param name="paddedWidth">Padded columns per block.</param>
    /// <param name="padLeft">Padded columns left of the image.</param>
    /// <param name="zeroPoint">Input zero point.</param>
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
            int b = s * 16 / block, sub = (s * 16 % block);
            short* d = dst + b * blockShorts + (long)padLeft * colShorts + sub;
            int c = s * 16;
            if (rowA != null && rowB != null)
            {
                for (int x = 0; x < width; x++, d += colShorts)
                {
                    long at = (long)x * channels + c;
                    Vector256<short> va = Avx2.Subtract(Widen(rowA + at), zp), vb = Avx2.Subtract(Widen(rowB + at), zp);
                    Avx.Store(d, Avx2.UnpackLow(va, vb));
                    Avx.Store(d + block, Avx2.UnpackHigh(va, vb));
                }
            }
            else
            {
                // One row (or none) inside the image: its partner's halves are 0.
                T* row = rowA != null ? rowA : rowB;
                for (int x = 0; x < width; x++, d += colShorts)
                {
                    Vector256<short> v = row == null ? Vector256<short>.Zero : Avx2.Subtract(Widen(row + (long)x * channels + c), zp);
                    Vector256<short> z = Vector256<short>.Zero;
                    (Vector256<short> lo, Vector256<short> hi) = rowA != null
                        ? (Avx2.UnpackLow(v, z), Avx2.UnpackHigh(v, z))
                        : (Avx2.UnpackLow(z, v), Avx2.UnpackHigh(z, v));
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
                d[0] = rowA == null ? (short)0 : (short)(int.CreateTruncating(rowA[at]) - zeroPoint);
                d[1] = rowB == null ? (short)0 : (short)(int.CreateTruncating(rowB[at]) - zeroPoint);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> Widen<T>(T* p) where T : unmanaged
        => typeof(T) == typeof(sbyte) ? Avx2.ConvertToVector256Int16((sbyte*)p) : Avx2.ConvertToVector256Int16((byte*)p).AsInt16();
}
