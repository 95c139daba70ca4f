using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Reduce;

/// <summary>
/// Exact int32 sums of a block of int8/uint8 channels over a rectangular window of one NHWC image, the sums held in
/// registers while the window is walked (global average pooling / MEAN over H,W, and AVERAGE_POOL_2D windows).
/// </summary>
internal static class ChannelBlockSums
{
    /// <summary>Channels [c, c+32) over rows [y0,y1) x columns [x0,x1) of an image <paramref name="width"/> pixels wide.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sum32(ref byte image, int width, int channels, int y0, int y1, int x0, int x1, int c, bool signed, Span<int> sums)
    {
        Vector256<int> s0 = default, s1 = default, s2 = default, s3 = default;
        for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++)
        {
            var (a, b, d, e) = ByteLanes.Widen(Vector256.LoadUnsafe(ref image, (nuint)(((nint)y * width + x) * channels + c)), signed);
            s0 += a; s1 += b; s2 += d; s3 += e;
        }
        s0.CopyTo(sums); s1.CopyTo(sums[8..]); s2.CopyTo(sums[16..]); s3.CopyTo(sums[24..]);
    }

    /// <summary>Channels [c, c+16) with Vector128.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sum16(ref byte image, int width, int channels, int y0, int y1, int x0, int x1, int c, bool signed, Span<int> sums)
    {
        Vector128<int> s0 = default, s1 = default, s2 = default, s3 = default;
        for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++)
        {
            var (a, b, d, e) = ByteLanes.Widen(Vector128.LoadUnsafe(ref image, (nuint)(((nint)y * width + x) * channels + c)), signed);
            s0 += a; s1 += b; s2 += d; s3 += e;
        }
        s0.CopyTo(sums); s1.CopyTo(sums[4..]); s2.CopyTo(sums[8..]); s3.CopyTo(sums[12..]);
    }

    /// <summary>One channel, scalar.</summary>
    public static int Sum1(ref byte image, int width, int channels, int y0, int y1, int x0, int x1, int c, bool signed)
    {
        int sum = 0;
        for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++)
        {
            byte v = Unsafe.Add(ref image, ((nint)y * width + x) * channels + c);
            sum = unchecked(sum + (signed ? (sbyte)v : v));
        }
        return sum;
    }

    /// <summary>Sums every channel of the window into <paramref name="sums"/> (length channels) on <paramref name="path"/>.</summary>
    public static void All(IsaPath path, ref byte image, int width, int channels, int y0, int y1, int x0, int x1, bool signed, Span<int> sums)
    {
        int c = 0;
        path = VectorPath.Of(path);
        if (path == IsaPath.Avx2)
            for (; c + 32 <= channels; c += 32) Sum32(ref image, width, channels, y0, y1, x0, x1, c, signed, sums[c..]);
        else if (path == IsaPath.Vector128)
            for (; c + 16 <= channels; c += 16) Sum16(ref image, width, channels, y0, y1, x0, x1, c, signed, sums[c..]);
        for (; c < channels; c++) sums[c] = Sum1(ref image, width, channels, y0, y1, x0, x1, c, signed);
    }
}
