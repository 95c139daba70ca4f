using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
        path = VectorPath.Of(path);
        bool signed = typeof(T) == typeof(sbyte);
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(input);
        Span<byte> outBytes = MemoryMarshal.AsBytes(output);
        Span<int> sums = stackalloc int[32];
        for (int b = 0; b < batches; b++)
        {
            ref byte src = ref Unsafe.Add(ref MemoryMarshal.GetReference(bytes), (nint)b * pixels * channels);
            ref byte dst = ref Unsafe.Add(ref MemoryMarshal.GetReference(outBytes), (nint)b * channels);
            // The image as one row of H*W pixels; blocks of channels at a time keep the sums in registers.
            int block = path == IsaPath.Avx2 ? 32 : path == IsaPath.Vector128 ? 16 : 1;
            for (int c = 0; c < channels; c += block)
            {
                if (c + block > channels) block = 1;
                if (block == 1) sums[0] = ChannelBlockSums.Sum1(ref src, pixels, channels, 0, 1, 0, pixels, c, signed);
                else if (block == 32) ChannelBlockSums.Sum32(ref src, pixels, channels, 0, 1, 0, pixels, c, signed, sums);
                else ChannelBlockSums.Sum16(ref src, pixels, channels, 0, 1, 0, pixels, c, signed, sums);
                for (int k = 0; k < block; k++) Unsafe.Add(ref dst, c + k) = (byte)p.Apply(sums[k]);
            }
        }
    }
}
