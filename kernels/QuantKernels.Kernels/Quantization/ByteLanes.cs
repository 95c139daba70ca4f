using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace QuantKernels.Kernels.Quantization;

/// <summary>Widening of 16 or 32 int8/uint8 lanes to four int32 vectors, element order kept (shared by the
/// vectorized elementwise, reduce and requantize kernels).</summary>
internal static class ByteLanes
{
    /// <summary>16 bytes, read as int8 when <paramref name="signed"/> else uint8, as four int32x4 (elements 0-3, 4-7, ...).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector128<int>, Vector128<int>, Vector128<int>, Vector128<int>) Widen(Vector128<byte> v, bool signed)
    {
        Vector128<short> lo, hi;
        if (signed) (lo, hi) = Vector128.Widen(v.AsSByte());
        else
        {
            var (l, h) = Vector128.Widen(v);
            (lo, hi) = (l.AsInt16(), h.AsInt16());
        }
        var (a, b) = Vector128.Widen(lo);
        var (c, d) = Vector128.Widen(hi);
        return (a, b, c, d);
    }

    /// <summary>32 bytes as four int32x8 (elements 0-7, 8-15, ...).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256<int>, Vector256<int>, Vector256<int>, Vector256<int>) Widen(Vector256<byte> v, bool signed)
    {
        Vector256<short> lo, hi;
        if (signed) (lo, hi) = Vector256.Widen(v.AsSByte());
        else
        {
            var (l, h) = Vector256.Widen(v);
            (lo, hi) = (l.AsInt16(), h.AsInt16());
        }
        var (a, b) = Vector256.Widen(lo);
        var (c, d) = Vector256.Widen(hi);
        return (a, b, c, d);
    }

    /// <summary>Four int32x4 already within the byte range -&gt; 16 bytes (truncating narrow).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Narrow(Vector128<int> a, Vector128<int> b, Vector128<int> c, Vector128<int> d)
        => Vector128.Narrow(Vector128.Narrow(a, b), Vector128.Narrow(c, d)).AsByte();

    /// <summary>Four int32x8 already within the byte range -&gt; 32 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Narrow(Vector256<int> a, Vector256<int> b, Vector256<int> c, Vector256<int> d)
        => Vector256.Narrow(Vector256.Narrow(a, b), Vector256.Narrow(c, d)).AsByte();
}
