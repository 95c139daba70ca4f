using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace QuantKernels.Kernels.Convolution;

/// <summary>Activation bytes for <see cref="PackedInt8GemmVnni"/>: copies that turn int8 into u8 (xor 0x80, i.e. + 128),
/// fills for padded taps, and the per-row byte sums of its zero-point correction.</summary>
internal static unsafe class VnniActivations
{
    /// <summary>dst[i] = (byte)src[i] ^ flip for i &lt; count (flip 0x80 turns int8 x into the u8 x + 128).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy<T>(T* src, byte* dst, int count, byte flip) where T : unmanaged, IBinaryInteger<T>
    {
        byte* s = (byte*)src;
        int i = 0;
        Vector256<byte> f = Vector256.Create(flip);
        for (; i + 32 <= count; i += 32) (Vector256.Load(s + i) ^ f).Store(dst + i);
        if (i + 16 <= count)
        {
            (Vector128.Load(s + i) ^ f.GetLower()).Store(dst + i);
            i += 16;
        }
        if (i + 8 <= count)
        {
            *(ulong*)(dst + i) = *(ulong*)(s + i) ^ (flip * 0x0101010101010101UL);
            i += 8;
        }
        for (; i < count; i++) dst[i] = (byte)(s[i] ^ flip);
    }

    /// <summary>dst[i] = value for i &lt; count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Fill(byte* dst, int count, byte value) => new Span<byte>(dst, count).Fill(value);

    /// <summary>The sum of <paramref name="count"/> bytes (<c>vpsadbw</c> against zero, 32 bytes at a time).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Sum(byte* p, int count)
    {
        int i = 0;
        Vector256<ulong> acc = Vector256<ulong>.Zero;
        for (; i + 32 <= count; i += 32)
            acc = Avx2.Add(acc, Avx2.SumAbsoluteDifferences(Vector256.Load(p + i), Vector256<byte>.Zero).AsUInt64());
        Vector128<ulong> acc128 = Sse2.Add(acc.GetLower(), acc.GetUpper());
        if (i + 16 <= count)
        {
            acc128 = Sse2.Add(acc128, Sse2.SumAbsoluteDifferences(Vector128.Load(p + i), Vector128<byte>.Zero).AsUInt64());
            i += 16;
        }
        if (i + 8 <= count)
        {
            acc128 = Sse2.Add(acc128, Sse2.SumAbsoluteDifferences(Vector128.CreateScalar(*(ulong*)(p + i)).AsByte(), Vector128<byte>.Zero).AsUInt64());
            i += 8;
        }
        int sum = (int)(acc128.GetElement(0) + acc128.GetElement(1));
        for (; i < count; i++) sum += p[i];
        return sum;
    }
}
