using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Reduce;

/// <summary>
/// Quantized MEAN/SUM over H and W of an NHWC tensor (global average pooling, the usual MEAN of image classifiers),
/// with the channels vectorized: each block of channels keeps its int32 sums in registers while the kernel walks the
/// pixels, then <see cref="QuantizedReduceParams.Apply"/> requantizes each sum. Integer sums are exact (and wrap like
/// the scalar's unchecked int32 sum), so the result equals <see cref="ReduceMeanSum.Quantized{T}"/> on every path.
/// </summary>
public static class ReduceHeightWidthSimd
{
    /// <summary>Reduces [batches, height, width, channels] int8 or uint8 <paramref name="input"/> over height and width
    /// into [batches, channels] <paramref name="output"/> (keep_dims does not change the data order).</summary>
    /// <param name="path">ISA path (from <see cref="Dispatch.Select"/>).</param>
    /// <param name="input">NHWC input.</param><param name="batches">N.</param><param name="height">H.</param>
    /// <param name="width">W.</param><param name="channels">C.</param><param name="output">N*C outputs.</param>
    /// <param name="p">Parameters prepared for a count of height*width.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first invoke (DESIGN.md §4)
    public static void Run<T>(IsaPath path, ReadOnlySpan<T> input, int batches, int height, int width, int channels, Span<T> output,
        in QuantizedReduceParams p) where T : unmanaged, System.Numerics.IBinaryInteger<T>
    {
        if (typeof(T) != typeof(sbyte) && typeof(T) != typeof(byte)) throw new NotSupportedException($"{typeof(T).Name} is not int8 or uint8");
        if (batches < 1 || height < 1 || width < 1 || channels < 1)
            throw new ArgumentException($"shape [{batches},{height},{width},{channels}] must be positive");
        int pixels = height * width;
        if (input.Length != (long)batches * pixels * channels)
            throw new ArgumentException($"input holds {input.Length} elements, shape [{batches},{height},{width},{channels}] needs {(long)batches * pixels * channels}", nameof(input));
        if (output.Length != batches * channels)
            throw new ArgumentException($"output holds {output.Length} elements, expected {batches * channels}", nameof(output));
        if (p.Count != pixels) throw new ArgumentException($"params were prepared for count {p.Count}, this reduction folds {pixels}", nameof(p));
        bool signed = typeof(T) == typeof(sbyte);
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(input);
        Span<byte> outBytes = MemoryMarshal.AsBytes(output);
        for (int b = 0; b < batches; b++)
        {
            ref byte src = ref Unsafe.Add(ref MemoryMarshal.GetReference(bytes), (nint)b * pixels * channels);
            ref byte dst = ref Unsafe.Add(ref MemoryMarshal.GetReference(outBytes), (nint)b * channels);
            int c = 0;
            if (path == IsaPath.Avx2) c = Blocks256(ref src, ref dst, pixels, channels, signed, in p);
            else if (path == IsaPath.Vector128) c = Blocks128(ref src, ref dst, pixels, channels, signed, in p);
            for (; c < channels; c++)
            {
                int sum = 0;
                for (int i = 0; i < pixels; i++)
                {
                    byte v = Unsafe.Add(ref src, (nint)i * channels + c);
                    sum = unchecked(sum + (signed ? (sbyte)v : v));
                }
                Unsafe.Add(ref dst, c) = (byte)p.Apply(sum);
            }
        }
    }

    /// <summary>Blocks of 32 channels, four int32x8 sums each; returns the channels done.</summary>
    private static int Blocks256(ref byte src, ref byte dst, int pixels, int channels, bool signed, in QuantizedReduceParams p)
    {
        Span<int> sums = stackalloc int[32];
        int c = 0;
        for (; c + 32 <= channels; c += 32)
        {
            Vector256<int> s0 = default, s1 = default, s2 = default, s3 = default;
            for (int i = 0; i < pixels; i++)
            {
                var (a, b, d, e) = ByteLanes.Widen(Vector256.LoadUnsafe(ref src, (nuint)((nint)i * channels + c)), signed);
                s0 += a; s1 += b; s2 += d; s3 += e;
            }
            s0.CopyTo(sums); s1.CopyTo(sums[8..]); s2.CopyTo(sums[16..]); s3.CopyTo(sums[24..]);
            for (int k = 0; k < 32; k++) Unsafe.Add(ref dst, c + k) = (byte)p.Apply(sums[k]);
        }
        return c;
    }

    /// <summary>Blocks of 16 channels, four int32x4 sums each; returns the channels done.</summary>
    private static int Blocks128(ref byte src, ref byte dst, int pixels, int channels, bool signed, in QuantizedReduceParams p)
    {
        Span<int> sums = stackalloc int[16];
        int c = 0;
        for (; c + 16 <= channels; c += 16)
        {
            Vector128<int> s0 = default, s1 = default, s2 = default, s3 = default;
            for (int i = 0; i < pixels; i++)
            {
                var (a, b, d, e) = ByteLanes.Widen(Vector128.LoadUnsafe(ref src, (nuint)((nint)i * channels + c)), signed);
                s0 += a; s1 += b; s2 += d; s3 += e;
            }
            s0.CopyTo(sums); s1.CopyTo(sums[4..]); s2.CopyTo(sums[8..]); s3.CopyTo(sums[12..]);
            for (int k = 0; k < 16; k++) Unsafe.Add(ref dst, c + k) = (byte)p.Apply(sums[k]);
        }
        return c;
    }
}
