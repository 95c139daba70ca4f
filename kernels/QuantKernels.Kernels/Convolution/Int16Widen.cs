using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace QuantKernels.Kernels.Convolution;

/// <summary>Widens int8/uint8 activations to int16 (x - zero point) for the packed GEMM's activation rows.</summary>
internal static unsafe class Int16Widen
{
    /// <summary>dst[i] = src[i] - zeroPoint for i &lt; count (T is sbyte or byte, so the result fits int16).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run<T>(T* src, short* dst, int count, int zeroPoint, bool vectorize) where T : unmanaged, IBinaryInteger<T>
    {
        int i = 0;
        if (vectorize)
        {
            Vector128<short> z = Vector128.Create((short)zeroPoint);
            for (; i + 16 <= count; i += 16)
            {
                Vector128<short> lo, hi;
                if (typeof(T) == typeof(sbyte))
                    (lo, hi) = Vector128.Widen(Vector128.Load((sbyte*)src + i));
                else
                {
                    (Vector128<ushort> ulo, Vector128<ushort> uhi) = Vector128.Widen(Vector128.Load((byte*)src + i));
                    (lo, hi) = (ulo.AsInt16(), uhi.AsInt16());
                }
                (lo - z).Store(dst + i);
                (hi - z).Store(dst + i + 8);
            }
            if (i + 8 <= count)
            {
                // Short runs (e.g. 3x3 taps of a 3-channel image): one 8-byte load widened in a 128-bit register.
                Vector128<long> raw = Vector128.CreateScalar(*(long*)(src + i));
                Vector128<short> v = typeof(T) == typeof(sbyte)
                    ? Vector128.WidenLower(raw.AsSByte())
                    : Vector128.WidenLower(raw.AsByte()).AsInt16();
                (v - z).Store(dst + i);
                i += 8;
            }
        }
        for (; i < count; i++) dst[i] = (short)(int.CreateTruncating(src[i]) - zeroPoint);
    }
}
