using System.Numerics;
using System.Runtime.CompilerServices;

namespace QuantKernels.Kernels.Convolution;

/// <summary>
/// Writes runs of activations into one GEMM activation row in the format its <see cref="PackedInt8Gemm"/> reads
/// (<see cref="PackedInt8Gemm.ByteRows"/>): int16 <c>x - zpIn</c> with padded taps 0, or, on the ARM64 dot-product
/// path, the raw bytes with padded taps equal to <c>zpIn</c> (so that <c>x - zpIn</c> is 0 there too and the zero-point
/// corrections folded into the packed bias stay exact).
/// </summary>
internal static unsafe class PatchRow
{
    /// <summary>Row elements [at, at + count) = src[0..count).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy<T>(T* src, void* row, int at, int count, int zeroPoint, bool vectorize, bool bytes)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (bytes) Buffer.MemoryCopy(src, (byte*)row + at, count, count);
        else Int16Widen.Run(src, (short*)row + at, count, zeroPoint, vectorize);
    }

    /// <summary>Row elements [at, at + count) = a padded tap (contributes nothing to the sums).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Pad(void* row, int at, int count, int zeroPoint, bool bytes)
    {
        if (bytes) new Span<byte>((byte*)row + at, count).Fill((byte)zeroPoint);
        else new Span<short>((short*)row + at, count).Clear();
    }

    /// <summary>Start of row <paramref name="r"/> of rows <paramref name="stride"/> elements apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void* Row(short* rows, int r, int stride, bool bytes)
        => bytes ? (byte*)rows + (long)r * stride : rows + (long)r * stride;
}
