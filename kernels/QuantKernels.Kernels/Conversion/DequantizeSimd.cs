using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace QuantKernels.Kernels.Conversion;

/// <summary>
/// DEQUANTIZE of int8/uint8 vectorized, equal to <see cref="Dequantize.Run{T}"/> bit for bit: each lane computes the
/// scalar kernel's <c>(float)((double)scale * (q - zp))</c> in double lanes — q and zp converted to double exactly,
/// their difference exact (below 2^33), one double multiply, one rounding to float — so any zero point gives the scalar
/// result. Other element types and the tail run the scalar kernel.
/// </summary>
public static class DequantizeSimd
{
    /// <summary>int8 (sbyte) or uint8 (byte) -&gt; float32 on <paramref name="path"/>; arguments as <see cref="Dequantize.Run{T}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T>(IsaPath path, ReadOnlySpan<T> input, Span<float> output, float scale, int zeroPoint)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>
    {
        if (input.Length != output.Length) throw new ArgumentException($"input has {input.Length} elements, output {output.Length}");
        bool signed = typeof(T) == typeof(sbyte);
        path = VectorPath.Of(path);
        if (path == IsaPath.Scalar || (!signed && typeof(T) != typeof(byte)))
        {
            Dequantize.Run(input, output, scale, zeroPoint);
            return;
        }
        ref byte src = ref MemoryMarshal.GetReference(MemoryMarshal.AsBytes(input));
        ref float dst = ref MemoryMarshal.GetReference(output);
        int n = input.Length, i = 0;
        if (path == IsaPath.Avx2)
        {
            var s = Vector256.Create((double)scale);
            var z = Vector256.Create((double)zeroPoint);
            for (; i + 8 <= n; i += 8)
            {
                var b = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref src, i))).AsByte();
                var q = signed ? Avx2.ConvertToVector256Int32(b.AsSByte()) : Avx2.ConvertToVector256Int32(b);
                var lo = Avx.ConvertToVector128Single((Avx.ConvertToVector256Double(q.GetLower()) - z) * s);
                var hi = Avx.ConvertToVector128Single((Avx.ConvertToVector256Double(q.GetUpper()) - z) * s);
                Vector256.Create(lo, hi).StoreUnsafe(ref dst, (nuint)i);
            }
        }
        else
        {
            var s = Vector128.Create((double)scale);
            var z = Vector128.Create((double)zeroPoint);
            for (; i + 4 <= n; i += 4)
            {
                var b = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref src, i))).AsByte();
                var q = signed ? Vector128.WidenLower(Vector128.WidenLower(b.AsSByte())) : Vector128.WidenLower(Vector128.WidenLower(b)).AsInt32();
                var (ql, qh) = Vector128.Widen(q);
                var lo = (Vector128.ConvertToDouble(ql) - z) * s;
                var hi = (Vector128.ConvertToDouble(qh) - z) * s;
                Vector128.Narrow(lo, hi).StoreUnsafe(ref dst, (nuint)i);
            }
        }
        if (i < n) Dequantize.Run(input[i..], output[i..], scale, zeroPoint);
    }
}
