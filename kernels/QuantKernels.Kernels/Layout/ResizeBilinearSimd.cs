using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using QuantKernels.Kernels.Elementwise;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Layout;

/// <summary>
/// Vectorized RESIZE_BILINEAR, equal to the scalar kernels of <see cref="ResizeBilinear"/> bit for bit on every path.
/// <list type="bullet">
/// <item>int8/uint8 (XNNPACK's kernel): its integer arithmetic is separable — the horizontal term
/// <c>t = (l &lt;&lt; 11) + (r - l) * ax</c> of a source row does not depend on the output row — so each source row's
/// horizontal terms are computed once into int32 scratch (channels vectorized) and every output row is then one
/// contiguous vertical pass <c>((t &lt;&lt; 11) + (b - t) * ay + 2^21) &gt;&gt; 22</c> over width x channels.</item>
/// <item>float32: channels vectorized per output pixel, the four products summed in the scalar kernel's order
/// (separate multiply and add, no fused multiply-add), so NaN and infinity propagate as they do there.</item>
/// </list>
/// </summary>
public static class ResizeBilinearSimd
{
    /// <summary>int32 scratch <see cref="QuantizedXnnpack{T}"/> needs for <paramref name="outputShape"/>.</summary>
    public static int ScratchLength(Nhwc outputShape) => checked(2 * outputShape.W * outputShape.C + 3 * outputShape.W);

    /// <summary>int8/uint8 resize as <see cref="ResizeBilinear.QuantizedXnnpack{T}"/>, on <paramref name="path"/>.</summary>
    /// <param name="path">ISA path from <see cref="Dispatch.Select"/>.</param>
    /// <param name="input">NHWC input.</param><param name="inputShape">Input shape.</param>
    /// <param name="output">NHWC output.</param><param name="outputShape">Output shape (same N, C).</param>
    /// <param name="alignCorners">TFLite align_corners.</param><param name="halfPixelCenters">TFLite half_pixel_centers.</param>
    /// <param name="scratch">At least <see cref="ScratchLength"/> ints (reused across calls; contents are overwritten).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void QuantizedXnnpack<T>(IsaPath path, ReadOnlySpan<T> input, Nhwc inputShape, Span<T> output, Nhwc outputShape,
        bool alignCorners, bool halfPixelCenters, Span<int> scratch) where T : unmanaged
    {
        bool signed = typeof(T) == typeof(sbyte);
        if (!signed && typeof(T) != typeof(byte)) throw new NotSupportedException($"vectorized resize takes int8 or uint8, not {typeof(T).Name}");
        ResizeBilinear.Check(input.Length, inputShape, output.Length, outputShape, alignCorners, halfPixelCenters);
        if (scratch.Length < ScratchLength(outputShape))
            throw new ArgumentException($"scratch holds {scratch.Length} ints, {outputShape} needs {ScratchLength(outputShape)}", nameof(scratch));
        path = VectorPath.Of(path);
        ResizeBilinear.XnnScales(inputShape, outputShape, alignCorners, halfPixelCenters, out float hScale, out float wScale, out bool legacyOrAlign);
        int ow = outputShape.W, c = outputShape.C, rowLen = ow * c;
        var left = scratch.Slice(2 * rowLen, ow);
        var right = scratch.Slice(2 * rowLen + ow, ow);
        var alpha = scratch.Slice(2 * rowLen + 2 * ow, ow);
        for (int x = 0; x < ow; x++)
            ResizeBilinear.XnnCoord(x, wScale, inputShape.W, legacyOrAlign, out left[x], out right[x], out alpha[x]);
        var src = MemoryMarshal.AsBytes(input);
        var dst = MemoryMarshal.AsBytes(output);
        int inRow = inputShape.W * c;
        for (int b = 0; b < outputShape.N; b++)
        {
            // Two cached rows of horizontal terms, tagged with their source row (-1 = empty).
            int rowA = -1, rowB = -1;
            var bytes = src.Slice(b * inputShape.H * inRow, inputShape.H * inRow);
            for (int y = 0; y < outputShape.H; y++)
            {
                ResizeBilinear.XnnCoord(y, hScale, inputShape.H, legacyOrAlign, out int top, out int bottom, out int ay);
                // Keep a slot that already holds top or bottom; fill the other.
                if (top != rowA && top != rowB)
                {
                    if (rowA == bottom) { Horizontal(path, bytes.Slice(top * inRow, inRow), c, left, right, alpha, scratch.Slice(rowLen, rowLen), signed); rowB = top; }
                    else { Horizontal(path, bytes.Slice(top * inRow, inRow), c, left, right, alpha, scratch[..rowLen], signed); rowA = top; }
                }
                if (bottom != rowA && bottom != rowB)
                {
                    if (rowA == top) { Horizontal(path, bytes.Slice(bottom * inRow, inRow), c, left, right, alpha, scratch.Slice(rowLen, rowLen), signed); rowB = bottom; }
                    else { Horizontal(path, bytes.Slice(bottom * inRow, inRow), c, left, right, alpha, scratch[..rowLen], signed); rowA = bottom; }
                }
                var t = top == rowA ? scratch[..rowLen] : scratch.Slice(rowLen, rowLen);
                var bo = bottom == rowA ? scratch[..rowLen] : scratch.Slice(rowLen, rowLen);
                Vertical(path, t, bo, ay, dst.Slice(((b * outputShape.H) + y) * rowLen, rowLen));
            }
        }
    }

    /// <summary>Float resize as <see cref="ResizeBilinear.Float"/>, channels vectorized on <paramref name="path"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Float(IsaPath path, ReadOnlySpan<float> input, Nhwc inputShape, Span<float> output, Nhwc outputShape,
        bool alignCorners, bool halfPixelCenters)
    {
        path = VectorPath.Of(path);
        int c = outputShape.C;
        int width = path == IsaPath.Avx2 ? Vector256<float>.Count : path == IsaPath.Vector128 ? Vector128<float>.Count : int.MaxValue;
        if (c < width)
        {
            // Too few channels to fill a vector: the scalar kernel is as fast.
            ResizeBilinear.Float(input, inputShape, output, outputShape, alignCorners, halfPixelCenters);
            return;
        }
        ResizeBilinear.Check(input.Length, inputShape, output.Length, outputShape, alignCorners, halfPixelCenters);
        float hScale = ResizeBilinear.Scale(inputShape.H, outputShape.H, alignCorners);
        float wScale = ResizeBilinear.Scale(inputShape.W, outputShape.W, alignCorners);
        ref float src = ref MemoryMarshal.GetReference(input);
        ref float dst = ref MemoryMarshal.GetReference(output);
        for (int b = 0; b < outputShape.N; b++)
            for (int y = 0; y < outputShape.H; y++)
            {
                ResizeBilinear.Interp(y, hScale, halfPixelCenters, inputShape.H, out float iy, out int y0, out int y1);
                float dy = iy - y0, wy0 = 1 - dy;
                for (int x = 0; x < outputShape.W; x++)
                {
                    ResizeBilinear.Interp(x, wScale, halfPixelCenters, inputShape.W, out float ix, out int x0, out int x1);
                    float dx = ix - x0, wx0 = 1 - dx;
                    nuint o = (nuint)outputShape.Offset(b, y, x, 0);
                    nuint tl = (nuint)inputShape.Offset(b, y0, x0, 0), bl = (nuint)inputShape.Offset(b, y1, x0, 0);
                    nuint tr = (nuint)inputShape.Offset(b, y0, x1, 0), br = (nuint)inputShape.Offset(b, y1, x1, 0);
                    if (path == IsaPath.Avx2) FloatPixel<FloatLanes256, Vector256<float>>(ref src, ref dst, o, tl, bl, tr, br, c, wy0, dy, wx0, dx);
                    else FloatPixel<FloatLanes128, Vector128<float>>(ref src, ref dst, o, tl, bl, tr, br, c, wy0, dy, wx0, dx);
                }
            }
    }

    // One output pixel's channels; the last vector overlaps the previous one when c is not a multiple of the width
    // (it rewrites identical values). The products are grouped as the scalar kernel's ((v * wy) * wx).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FloatPixel<TL, TVec>(ref float src, ref float dst, nuint o, nuint tl, nuint bl, nuint tr, nuint br, int c,
        float wy0, float wy1, float wx0, float wx1) where TL : struct, IFloatLanes<TVec> where TVec : struct
    {
        TVec y0 = TL.Splat(wy0), y1 = TL.Splat(wy1), x0 = TL.Splat(wx0), x1 = TL.Splat(wx1);
        int width = TL.Count;
        for (int i = 0; ; i += width)
        {
            if (i > c - width) i = c - width;
            nuint k = (nuint)i;
            var v = TL.Add(TL.Add(TL.Add(
                    TL.Multiply(TL.Multiply(TL.Load(ref src, tl + k), y0), x0),
                    TL.Multiply(TL.Multiply(TL.Load(ref src, bl + k), y1), x0)),
                    TL.Multiply(TL.Multiply(TL.Load(ref src, tr + k), y0), x1)),
                    TL.Multiply(TL.Multiply(TL.Load(ref src, br + k), y1), x1));
            TL.Store(v, ref dst, o + k);
            if (i == c - width) break;
        }
    }

    /// <summary>Horizontal terms of one source row: h[x*c + k] = (row[l*c+k] &lt;&lt; 11) + (row[r*c+k] - row[l*c+k]) * ax.</summary>
    private static void Horizontal(IsaPath path, ReadOnlySpan<byte> row, int c, ReadOnlySpan<int> left, ReadOnlySpan<int> right,
        ReadOnlySpan<int> alpha, Span<int> h, bool signed)
    {
        ref byte r0 = ref MemoryMarshal.GetReference(row);
        ref int h0 = ref MemoryMarshal.GetReference(h);
        int width = path == IsaPath.Avx2 && c >= 8 ? 8 : path != IsaPath.Scalar && c >= 4 ? 4 : 1;
        for (int x = 0; x < left.Length; x++)
        {
            nuint l = (nuint)(left[x] * c), r = (nuint)(right[x] * c), o = (nuint)(x * c);
            int ax = alpha[x];
            if (width == 8)
            {
                var a = Vector256.Create(ax);
                for (int i = 0; ; i += 8)
                {
                    if (i > c - 8) i = c - 8;
                    nuint k = (nuint)i;
                    var vl = Load8(ref Unsafe.Add(ref r0, l + k), signed);
                    var vr = Load8(ref Unsafe.Add(ref r0, r + k), signed);
                    (Vector256.ShiftLeft(vl, 11) + (vr - vl) * a).StoreUnsafe(ref h0, o + k);
                    if (i == c - 8) break;
                }
            }
            else if (width == 4)
            {
                var a = Vector128.Create(ax);
                for (int i = 0; ; i += 4)
                {
                    if (i > c - 4) i = c - 4;
                    nuint k = (nuint)i;
                    var vl = Load4(ref Unsafe.Add(ref r0, l + k), signed);
                    var vr = Load4(ref Unsafe.Add(ref r0, r + k), signed);
                    (Vector128.ShiftLeft(vl, 11) + (vr - vl) * a).StoreUnsafe(ref h0, o + k);
                    if (i == c - 4) break;
                }
            }
            else
                for (int k = 0; k < c; k++)
                {
                    int vl = Value(ref r0, l + (nuint)k, signed), vr = Value(ref r0, r + (nuint)k, signed);
                    Unsafe.Add(ref h0, o + (nuint)k) = (vl << 11) + (vr - vl) * ax;
                }
        }
    }

    /// <summary>One output row from the horizontal terms of its top and bottom source rows.</summary>
    private static void Vertical(IsaPath path, ReadOnlySpan<int> top, ReadOnlySpan<int> bottom, int ay, Span<byte> output)
    {
        ref int t0 = ref MemoryMarshal.GetReference(top);
        ref int b0 = ref MemoryMarshal.GetReference(bottom);
        ref byte o0 = ref MemoryMarshal.GetReference(output);
        int n = output.Length, i = 0;
        if (path == IsaPath.Avx2)
        {
            var a = Vector256.Create(ay);
            for (; i + 32 <= n; i += 32)
            {
                nuint k = (nuint)i;
                ByteLanes.Narrow(Row256(ref t0, ref b0, k, a), Row256(ref t0, ref b0, k + 8, a),
                    Row256(ref t0, ref b0, k + 16, a), Row256(ref t0, ref b0, k + 24, a)).StoreUnsafe(ref o0, k);
            }
        }
        if (path != IsaPath.Scalar)
        {
            var a = Vector128.Create(ay);
            for (; i + 16 <= n; i += 16)
            {
                nuint k = (nuint)i;
                ByteLanes.Narrow(Row128(ref t0, ref b0, k, a), Row128(ref t0, ref b0, k + 4, a),
                    Row128(ref t0, ref b0, k + 8, a), Row128(ref t0, ref b0, k + 12, a)).StoreUnsafe(ref o0, k);
            }
        }
        for (; i < n; i++)
        {
            int t = Unsafe.Add(ref t0, i), b = Unsafe.Add(ref b0, i);
            Unsafe.Add(ref o0, i) = (byte)((((t << 11) + (b - t) * ay) + (1 << 21)) >> 22);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Row256(ref int t0, ref int b0, nuint k, Vector256<int> ay)
    {
        var t = Vector256.LoadUnsafe(ref t0, k);
        var b = Vector256.LoadUnsafe(ref b0, k);
        return Vector256.ShiftRightArithmetic(Vector256.ShiftLeft(t, 11) + (b - t) * ay + Vector256.Create(1 << 21), 22);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Row128(ref int t0, ref int b0, nuint k, Vector128<int> ay)
    {
        var t = Vector128.LoadUnsafe(ref t0, k);
        var b = Vector128.LoadUnsafe(ref b0, k);
        return Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(t, 11) + (b - t) * ay + Vector128.Create(1 << 21), 22);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Value(ref byte p, nuint i, bool signed) => signed ? (sbyte)Unsafe.Add(ref p, i) : Unsafe.Add(ref p, i);

    /// <summary>8 bytes at <paramref name="p"/> as int32x8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Load8(ref byte p, bool signed)
    {
        var v = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref p)).AsByte();
        if (Avx2.IsSupported) return signed ? Avx2.ConvertToVector256Int32(v.AsSByte()) : Avx2.ConvertToVector256Int32(v);
        if (signed)
        {
            var s = Vector128.WidenLower(v.AsSByte());
            return Vector256.Create(Vector128.WidenLower(s), Vector128.WidenUpper(s));
        }
        var u = Vector128.WidenLower(v);
        return Vector256.Create(Vector128.WidenLower(u), Vector128.WidenUpper(u)).AsInt32();
    }

    /// <summary>4 bytes at <paramref name="p"/> as int32x4.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Load4(ref byte p, bool signed)
    {
        var v = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<uint>(ref p)).AsByte();
        return signed ? Vector128.WidenLower(Vector128.WidenLower(v.AsSByte())) : Vector128.WidenLower(Vector128.WidenLower(v)).AsInt32();
    }
}
