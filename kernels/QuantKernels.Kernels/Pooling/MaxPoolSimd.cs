using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using QuantKernels.Kernels.Elementwise;
using QuantKernels.Kernels.Layout;

namespace QuantKernels.Kernels.Pooling;

/// <summary>
/// MAX_POOL_2D with channels vectorized per output pixel, equal to <see cref="MaxPool2D"/> on every path: int8/uint8
/// take the lane-wise maximum of the raw values (exact), float uses <c>Vector.Max</c>, which follows
/// <see cref="Math.Max(float, float)"/> (NaN propagates, +0 above -0), then the same clamp. The last vector of a pixel
/// overlaps the previous one when the channel count is not a multiple of the width (it rewrites equal values); pixels
/// with fewer channels than a vector run the scalar loop.
/// </summary>
public static class MaxPoolSimd
{
    /// <summary>Float max pool on <paramref name="path"/>; arguments as <see cref="MaxPool2D.Float"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Float(IsaPath path, ReadOnlySpan<float> input, Nhwc inputShape, Span<float> output, Nhwc outputShape,
        in Pool2DParams p, float actMin = float.NegativeInfinity, float actMax = float.PositiveInfinity)
    {
        path = VectorPath.Of(path);
        int width = path == IsaPath.Avx2 ? Vector256<float>.Count : Vector128<float>.Count;
        if (path == IsaPath.Scalar || outputShape.C < width)
        {
            MaxPool2D.Float(input, inputShape, output, outputShape, in p, actMin, actMax);
            return;
        }
        p.Validate(inputShape, outputShape, input.Length, output.Length);
        ref float src = ref MemoryMarshal.GetReference(input);
        ref float dst = ref MemoryMarshal.GetReference(output);
        int c = outputShape.C, rowStride = inputShape.W * c;
        for (int b = 0; b < outputShape.N; b++)
            for (int oy = 0; oy < outputShape.H; oy++)
                for (int ox = 0; ox < outputShape.W; ox++)
                {
                    p.Window(oy, ox, inputShape, out int y0, out int y1, out int x0, out int x1);
                    if (y1 <= y0 || x1 <= x0) throw new ArgumentException($"pool window at output ({oy},{ox}) covers no input pixel");
                    nuint o = (nuint)outputShape.Offset(b, oy, ox, 0);
                    nuint first = (nuint)inputShape.Offset(b, y0, x0, 0);
                    if (width == 8) FloatPixel<FloatLanes256, Vector256<float>>(ref src, ref dst, o, first, c, rowStride, y1 - y0, x1 - x0, actMin, actMax);
                    else FloatPixel<FloatLanes128, Vector128<float>>(ref src, ref dst, o, first, c, rowStride, y1 - y0, x1 - x0, actMin, actMax);
                }
    }

    /// <summary>One output pixel's channels at one vector width (the last vector overlaps when c is not a multiple).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FloatPixel<TL, TVec>(ref float src, ref float dst, nuint o, nuint first, int c, int rowStride, int rows, int cols,
        float actMin, float actMax) where TL : struct, IFloatLanes<TVec> where TVec : struct
    {
        int width = TL.Count;
        for (int i = 0; ; i += width)
        {
            if (i > c - width) i = c - width;
            nuint row = first + (nuint)i;
            var m = TL.Splat(float.MinValue); // TFLite starts from std::numeric_limits<float>::lowest()
            for (int y = 0; y < rows; y++, row += (nuint)rowStride)
                for (int x = 0; x < cols; x++) m = TL.Max(m, TL.Load(ref src, row + (nuint)(x * c)));
            TL.Store(TL.Min(TL.Max(m, TL.Splat(actMin)), TL.Splat(actMax)), ref dst, o + (nuint)i);
            if (i == c - width) break;
        }
    }

    /// <summary>int8/uint8 max pool on <paramref name="path"/>; arguments as <see cref="MaxPool2D.Quantized{T}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Quantized<T>(IsaPath path, ReadOnlySpan<T> input, Nhwc inputShape, Span<T> output, Nhwc outputShape,
        in Pool2DParams p, int actMin, int actMax) where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        path = VectorPath.Of(path);
        bool signed = typeof(T) == typeof(sbyte);
        int width = path == IsaPath.Avx2 ? Vector256<byte>.Count : Vector128<byte>.Count;
        if (path == IsaPath.Scalar || outputShape.C < width || (!signed && typeof(T) != typeof(byte)))
        {
            MaxPool2D.Quantized(input, inputShape, output, outputShape, in p, actMin, actMax);
            return;
        }
        p.Validate(inputShape, outputShape, input.Length, output.Length);
        AveragePool2D.CheckRange<T>(actMin, actMax);
        ref byte src = ref MemoryMarshal.GetReference(MemoryMarshal.AsBytes(input));
        ref byte dst = ref MemoryMarshal.GetReference(MemoryMarshal.AsBytes(output));
        int c = outputShape.C, rowStride = inputShape.W * c;
        for (int b = 0; b < outputShape.N; b++)
            for (int oy = 0; oy < outputShape.H; oy++)
                for (int ox = 0; ox < outputShape.W; ox++)
                {
                    p.Window(oy, ox, inputShape, out int y0, out int y1, out int x0, out int x1);
                    if (y1 <= y0 || x1 <= x0) throw new ArgumentException($"pool window at output ({oy},{ox}) covers no input pixel");
                    nuint o = (nuint)outputShape.Offset(b, oy, ox, 0);
                    nuint first = (nuint)inputShape.Offset(b, y0, x0, 0);
                    for (int i = 0; ; i += width)
                    {
                        if (i > c - width) i = c - width;
                        nuint row = first + (nuint)i;
                        if (width == 32)
                        {
                            var m = Vector256.LoadUnsafe(ref src, row);
                            for (int y = y0; y < y1; y++, row += (nuint)rowStride)
                                for (int x = 0; x < x1 - x0; x++) m = Max(m, Vector256.LoadUnsafe(ref src, row + (nuint)(x * c)), signed);
                            Clamp(m, actMin, actMax, signed).StoreUnsafe(ref dst, o + (nuint)i);
                        }
                        else
                        {
                            var m = Vector128.LoadUnsafe(ref src, row);
                            for (int y = y0; y < y1; y++, row += (nuint)rowStride)
                                for (int x = 0; x < x1 - x0; x++) m = Max(m, Vector128.LoadUnsafe(ref src, row + (nuint)(x * c)), signed);
                            Clamp(m, actMin, actMax, signed).StoreUnsafe(ref dst, o + (nuint)i);
                        }
                        if (i == c - width) break;
                    }
                }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> Max(Vector256<byte> a, Vector256<byte> b, bool signed)
        => signed ? Vector256.Max(a.AsSByte(), b.AsSByte()).AsByte() : Vector256.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Max(Vector128<byte> a, Vector128<byte> b, bool signed)
        => signed ? Vector128.Max(a.AsSByte(), b.AsSByte()).AsByte() : Vector128.Max(a, b);

    // The activation bounds lie inside the type's range (checked), so clamping in 8-bit lanes is exact.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> Clamp(Vector256<byte> v, int lo, int hi, bool signed)
        => signed ? Vector256.Min(Vector256.Max(v.AsSByte(), Vector256.Create((sbyte)lo)), Vector256.Create((sbyte)hi)).AsByte()
                  : Vector256.Min(Vector256.Max(v, Vector256.Create((byte)lo)), Vector256.Create((byte)hi));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Clamp(Vector128<byte> v, int lo, int hi, bool signed)
        => signed ? Vector128.Min(Vector128.Max(v.AsSByte(), Vector128.Create((sbyte)lo)), Vector128.Create((sbyte)hi)).AsByte()
                  : Vector128.Min(Vector128.Max(v, Vector128.Create((byte)lo)), Vector128.Create((byte)hi));
}
