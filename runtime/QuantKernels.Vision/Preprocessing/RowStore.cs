using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using QuantKernels.Runtime;

namespace QuantKernels.Vision.Preprocessing;

/// <summary>
/// Normalizes one row of RGB pixel values (0-255 floats) and stores it in the input tensor's type: per channel
/// <c>v = p * a + b</c> (a = 1/std, b = -mean/std); float32 stores v, uint8/int8 store
/// <c>clamp((int)round_half_even(v / scale) + zero_point)</c>. The vector form processes whole RGB periods (24 floats on
/// AVX2, 12 on Vector128) with the per-channel constants laid out in repeating lane patterns, and the same operations
/// per lane (separate multiply and add, round to even, saturating conversion, wrapping add, clamp), so it stores the
/// scalar bytes exactly; the rest of the row runs the scalar loop.
/// </summary>
internal static class RowStore
{
    /// <summary>Stores <paramref name="row"/> at element <paramref name="offset"/> of <paramref name="input"/>, on a
    /// vector of <paramref name="lanes"/> floats (8, 4, or 1 for the scalar reference).</summary>
    public static void Store(int lanes, ReadOnlySpan<float> row, InputNormalization n, Tensor input, int offset)
    {
        Span<float> a = [1f / n.StdR, 1f / n.StdG, 1f / n.StdB];
        Span<float> b = [-n.MeanR / n.StdR, -n.MeanG / n.StdG, -n.MeanB / n.StdB];
        bool quantized = input.Type != TensorType.Float32;
        float inv = quantized ? 1f / input.Scale : 1f;
        int zp = input.ZeroPoint;
        (int lo, int hi) = input.Type == TensorType.UInt8 ? (0, 255) : (-128, 127);
        int i = lanes switch
        {
            8 => Vector256Periods(row, a, b, input, offset, inv, zp, lo, hi),
            4 => Vector128Periods(row, a, b, input, offset, inv, zp, lo, hi),
            _ => 0,
        };
        Scalar(row, i, a, b, input, offset, inv, zp, lo, hi);
    }

    /// <summary>The scalar store of elements <paramref name="from"/>.. (the reference).</summary>
    private static void Scalar(ReadOnlySpan<float> row, int from, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Tensor input, int offset,
        float inv, int zp, int lo, int hi)
    {
        switch (input.Type)
        {
            case TensorType.Float32:
            {
                var dst = input.AsSpan<float>().Slice(offset, row.Length);
                for (int i = from; i < row.Length; i++) dst[i] = row[i] * a[i % 3] + b[i % 3];
                break;
            }
            case TensorType.UInt8:
            {
                var dst = input.AsSpan<byte>().Slice(offset, row.Length);
                for (int i = from; i < row.Length; i++)
                    dst[i] = (byte)Math.Clamp((int)MathF.Round((row[i] * a[i % 3] + b[i % 3]) * inv) + zp, lo, hi);
                break;
            }
            default:
            {
                var dst = input.AsSpan<sbyte>().Slice(offset, row.Length);
                for (int i = from; i < row.Length; i++)
                    dst[i] = (sbyte)Math.Clamp((int)MathF.Round((row[i] * a[i % 3] + b[i % 3]) * inv) + zp, lo, hi);
                break;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Vector256Periods(ReadOnlySpan<float> row, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Tensor input, int offset,
        float inv, int zp, int lo, int hi)
    {
        const int W = 8, P = 3 * W;
        Span<float> pa = stackalloc float[P], pb = stackalloc float[P];
        for (int j = 0; j < P; j++) { pa[j] = a[j % 3]; pb[j] = b[j % 3]; }
        var a0 = Vector256.Create((ReadOnlySpan<float>)pa); var a1 = Vector256.Create((ReadOnlySpan<float>)pa[W..]); var a2 = Vector256.Create((ReadOnlySpan<float>)pa[(2 * W)..]);
        var b0 = Vector256.Create((ReadOnlySpan<float>)pb); var b1 = Vector256.Create((ReadOnlySpan<float>)pb[W..]); var b2 = Vector256.Create((ReadOnlySpan<float>)pb[(2 * W)..]);
        var vinv = Vector256.Create(inv);
        var vzp = Vector256.Create(zp);
        var vlo = Vector256.Create(lo);
        var vhi = Vector256.Create(hi);
        ref float r = ref MemoryMarshal.GetReference(row);
        int n = row.Length - row.Length % P;
        if (input.Type == TensorType.Float32)
        {
            ref float d = ref input.AsSpan<float>()[offset];
            for (int i = 0; i < n; i += P)
            {
                nuint k = (nuint)i;
                (Vector256.LoadUnsafe(ref r, k) * a0 + b0).StoreUnsafe(ref d, k);
                (Vector256.LoadUnsafe(ref r, k + W) * a1 + b1).StoreUnsafe(ref d, k + W);
                (Vector256.LoadUnsafe(ref r, k + 2 * W) * a2 + b2).StoreUnsafe(ref d, k + 2 * W);
            }
            return n;
        }
        ref byte q = ref MemoryMarshal.AsBytes(input.AsSpan<byte>())[offset];
        for (int i = 0; i < n; i += P)
        {
            nuint k = (nuint)i;
            Narrow(Quantize(Vector256.LoadUnsafe(ref r, k), a0, b0, vinv, vzp, vlo, vhi), ref q, k);
            Narrow(Quantize(Vector256.LoadUnsafe(ref r, k + W), a1, b1, vinv, vzp, vlo, vhi), ref q, k + W);
            Narrow(Quantize(Vector256.LoadUnsafe(ref r, k + 2 * W), a2, b2, vinv, vzp, vlo, vhi), ref q, k + 2 * W);
        }
        return n;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Vector128Periods(ReadOnlySpan<float> row, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Tensor input, int offset,
        float inv, int zp, int lo, int hi)
    {
        const int W = 4, P = 3 * W;
        Span<float> pa = stackalloc float[P], pb = stackalloc float[P];
        for (int j = 0; j < P; j++) { pa[j] = a[j % 3]; pb[j] = b[j % 3]; }
        var a0 = Vector128.Create((ReadOnlySpan<float>)pa); var a1 = Vector128.Create((ReadOnlySpan<float>)pa[W..]); var a2 = Vector128.Create((ReadOnlySpan<float>)pa[(2 * W)..]);
        var b0 = Vector128.Create((ReadOnlySpan<float>)pb); var b1 = Vector128.Create((ReadOnlySpan<float>)pb[W..]); var b2 = Vector128.Create((ReadOnlySpan<float>)pb[(2 * W)..]);
        var vinv = Vector128.Create(inv);
        var vzp = Vector128.Create(zp);
        var vlo = Vector128.Create(lo);
        var vhi = Vector128.Create(hi);
        ref float r = ref MemoryMarshal.GetReference(row);
        int n = row.Length - row.Length % P;
        if (input.Type == TensorType.Float32)
        {
            ref float d = ref input.AsSpan<float>()[offset];
            for (int i = 0; i < n; i += P)
            {
                nuint k = (nuint)i;
                (Vector128.LoadUnsafe(ref r, k) * a0 + b0).StoreUnsafe(ref d, k);
                (Vector128.LoadUnsafe(ref r, k + W) * a1 + b1).StoreUnsafe(ref d, k + W);
                (Vector128.LoadUnsafe(ref r, k + 2 * W) * a2 + b2).StoreUnsafe(ref d, k + 2 * W);
            }
            return n;
        }
        ref byte q = ref MemoryMarshal.AsBytes(input.AsSpan<byte>())[offset];
        for (int i = 0; i < n; i += P)
        {
            nuint k = (nuint)i;
            Narrow(Quantize(Vector128.LoadUnsafe(ref r, k), a0, b0, vinv, vzp, vlo, vhi), ref q, k);
            Narrow(Quantize(Vector128.LoadUnsafe(ref r, k + W), a1, b1, vinv, vzp, vlo, vhi), ref q, k + W);
            Narrow(Quantize(Vector128.LoadUnsafe(ref r, k + 2 * W), a2, b2, vinv, vzp, vlo, vhi), ref q, k + 2 * W);
        }
        return n;
    }

    // (int)MathF.Round(x) + zp, clamped: round half to even, saturating float->int (as C#'s cast since .NET 9), wrapping add.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Quantize(Vector256<float> p, Vector256<float> a, Vector256<float> b, Vector256<float> inv,
        Vector256<int> zp, Vector256<int> lo, Vector256<int> hi)
        => Vector256.Min(Vector256.Max(Vector256.ConvertToInt32(Vector256.Round((p * a + b) * inv)) + zp, lo), hi);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Quantize(Vector128<float> p, Vector128<float> a, Vector128<float> b, Vector128<float> inv,
        Vector128<int> zp, Vector128<int> lo, Vector128<int> hi)
        => Vector128.Min(Vector128.Max(Vector128.ConvertToInt32(Vector128.Round((p * a + b) * inv)) + zp, lo), hi);

    /// <summary>8 int32 lanes already in the byte range -> 8 bytes at <paramref name="q"/> + <paramref name="k"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Narrow(Vector256<int> v, ref byte q, nuint k)
    {
        var s = Vector128.Narrow(v.GetLower(), v.GetUpper());
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref q, k), Vector128.Narrow(s, s).AsUInt64().ToScalar());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Narrow(Vector128<int> v, ref byte q, nuint k)
    {
        var s = Vector128.Narrow(v, v);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref q, k), Vector128.Narrow(s, s).AsUInt32().ToScalar());
    }
}
