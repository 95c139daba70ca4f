using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using QuantKernels.Kernels.Layout;
using QuantKernels.Kernels.Reduce;

namespace QuantKernels.Kernels.Pooling;

/// <summary>
/// Quantized AVERAGE_POOL_2D with the window sums of blocks of channels vectorized (exact int32, as
/// <see cref="AveragePool2D.Quantized{T}"/>), then TFLite's rounding division and clamp per channel: equal to the scalar
/// kernel byte for byte on every path.
/// </summary>
public static class AveragePoolSimd
{
    /// <summary>Channels the stack scratch holds; wider tensors run the scalar kernel.</summary>
    public const int MaxChannels = 4096;

    /// <summary>int8/uint8 average pool on <paramref name="path"/>; arguments as <see cref="AveragePool2D.Quantized{T}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Quantized<T>(IsaPath path, ReadOnlySpan<T> input, Nhwc inputShape, Span<T> output, Nhwc outputShape,
        in Pool2DParams p, int actMin, int actMax) where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        bool signed = typeof(T) == typeof(sbyte);
        if (path == IsaPath.Scalar || outputShape.C > MaxChannels || (!signed && typeof(T) != typeof(byte)))
        {
            AveragePool2D.Quantized(input, inputShape, output, outputShape, in p, actMin, actMax);
            return;
        }
        p.Validate(inputShape, outputShape, input.Length, output.Length);
        AveragePool2D.CheckRange<T>(actMin, actMax);
        Span<int> sums = stackalloc int[outputShape.C];
        ref byte src = ref MemoryMarshal.GetReference(MemoryMarshal.AsBytes(input));
        Span<byte> dst = MemoryMarshal.AsBytes(output);
        for (int b = 0; b < outputShape.N; b++)
        {
            ref byte image = ref Unsafe.Add(ref src, (nint)b * inputShape.H * inputShape.W * inputShape.C);
            for (int oy = 0; oy < outputShape.H; oy++)
            for (int ox = 0; ox < outputShape.W; ox++)
            {
                p.Window(oy, ox, inputShape, out int y0, out int y1, out int x0, out int x1);
                if (y1 <= y0 || x1 <= x0) throw new ArgumentException($"pool window at output ({oy},{ox}) covers no input pixel");
                int n = (y1 - y0) * (x1 - x0);
                ChannelBlockSums.All(path, ref image, inputShape.W, inputShape.C, y0, y1, x0, x1, signed, sums);
                int o = outputShape.Offset(b, oy, ox, 0);
                for (int c = 0; c < sums.Length; c++)
                {
                    int acc = sums[c];
                    acc = acc > 0 ? (acc + n / 2) / n : (acc - n / 2) / n;
                    dst[o + c] = (byte)Math.Min(Math.Max(acc, actMin), actMax);
                }
            }
        }
    }
}
