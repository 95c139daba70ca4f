using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Conversion;

/// <summary>
/// Vectorized 8-bit QUANTIZE between quantized tensors, both as <c>clamp((bias + x*M) &gt;&gt; 8)</c> in int32 lanes:
/// <list type="bullet">
/// <item><see cref="RunXnnpack"/>: XNNPACK's same-type convert, exactly <see cref="Requantize.RunXnnpack{T}"/>.</item>
/// <item><see cref="RunZeroPointShift"/>: TFLite's Requantize when input and output scales are equal (int8 &lt;-&gt; uint8
/// with zero points 128 apart is the usual case): QuantizeMultiplier(1.0) is (2^30, 1), and
/// MultiplyByQuantizedMultiplier(v, 2^30, 1) = v exactly, so the result is clamp(x - zpIn + zpOut) — here M = 256 and
/// bias = (zpOut - zpIn) * 256 + 128, equal to <see cref="Requantize.Run{TIn, TOut}"/> for every byte.</item>
/// </list>
/// </summary>
public static class RequantizeSimd
{
    /// <summary>Whether <paramref name="p"/> is TFLite's requantize of equal scales (a pure zero-point shift).</summary>
    public static bool IsZeroPointShift(in Requantize.Params p) => p.Multiplier == 1 << 30 && p.Shift == 1;

    /// <summary>XNNPACK same-type convert of int8 or uint8 (<typeparamref name="T"/>).</summary>
    public static void RunXnnpack<T>(IsaPath path, ReadOnlySpan<T> input, Span<T> output, in Requantize.XnnpackParams p)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>, System.Numerics.IMinMaxValue<T>
    {
        bool signed = typeof(T) == typeof(sbyte);
        if (!signed && typeof(T) != typeof(byte)) throw new NotSupportedException($"{typeof(T).Name} is not int8 or uint8");
        if (input.Length != output.Length) throw new ArgumentException($"input has {input.Length} elements, output {output.Length}");
        int bias = unchecked((p.OutputZeroPoint << 8) - p.Multiplier * p.InputZeroPoint + 0x80);
        int done = Vectorized(path, MemoryMarshal.AsBytes(input), signed, MemoryMarshal.AsBytes(output), bias, p.Multiplier,
            signed ? -128 : 0, signed ? 127 : 255);
        Requantize.RunXnnpack(input[done..], output[done..], in p);
    }

    /// <summary>Equal-scale requantize between int8/uint8 types (<see cref="IsZeroPointShift"/> must hold).</summary>
    public static void RunZeroPointShift<TIn, TOut>(IsaPath path, ReadOnlySpan<TIn> input, Span<TOut> output, in Requantize.Params p)
        where TIn : unmanaged, System.Numerics.IBinaryInteger<TIn>
        where TOut : unmanaged, System.Numerics.IBinaryInteger<TOut>, System.Numerics.IMinMaxValue<TOut>
    {
        if (!IsZeroPointShift(in p)) throw new ArgumentException($"multiplier {p.Multiplier}, shift {p.Shift} is not an equal-scale requantize", nameof(p));
        bool signedIn = typeof(TIn) == typeof(sbyte), signedOut = typeof(TOut) == typeof(sbyte);
        if (!signedIn && typeof(TIn) != typeof(byte)) throw new NotSupportedException($"{typeof(TIn).Name} is not int8 or uint8");
        if (!signedOut && typeof(TOut) != typeof(byte)) throw new NotSupportedException($"{typeof(TOut).Name} is not int8 or uint8");
        if (input.Length != output.Length) throw new ArgumentException($"input has {input.Length} elements, output {output.Length}");
        int bias = (p.OutputZeroPoint - p.InputZeroPoint) * 256 + 0x80;
        int done = Vectorized(path, MemoryMarshal.AsBytes(input), signedIn, MemoryMarshal.AsBytes(output), bias, 256,
            signedOut ? -128 : 0, signedOut ? 127 : 255);
        Requantize.Run(input[done..], output[done..], in p);
    }

    /// <summary>Whole vectors of clamp((bias + x*m) &gt;&gt; 8); returns the elements done.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first invoke (DESIGN.md §4)
    private static int Vectorized(IsaPath path, ReadOnlySpan<byte> input, bool signed, Span<byte> output, int bias, int m, int qmin, int qmax)
    {
        path = VectorPath.Of(path);
        ref byte src = ref MemoryMarshal.GetReference(input);
        ref byte dst = ref MemoryMarshal.GetReference(output);
        int n = input.Length, i = 0;
        if (path == IsaPath.Avx2)
        {
            Vector256<int> vb = Vector256.Create(bias), vm = Vector256.Create(m), lo = Vector256.Create(qmin), hi = Vector256.Create(qmax);
            for (; i + 32 <= n; i += 32)
            {
                var (a, b, c, d) = ByteLanes.Widen(Vector256.LoadUnsafe(ref src, (nuint)i), signed);
                ByteLanes.Narrow(Apply(a, vb, vm, lo, hi), Apply(b, vb, vm, lo, hi), Apply(c, vb, vm, lo, hi), Apply(d, vb, vm, lo, hi))
                    .StoreUnsafe(ref dst, (nuint)i);
            }
        }
        else if (path == IsaPath.Vector128)
        {
            Vector128<int> vb = Vector128.Create(bias), vm = Vector128.Create(m), lo = Vector128.Create(qmin), hi = Vector128.Create(qmax);
            for (; i + 16 <= n; i += 16)
            {
                var (a, b, c, d) = ByteLanes.Widen(Vector128.LoadUnsafe(ref src, (nuint)i), signed);
                ByteLanes.Narrow(Apply(a, vb, vm, lo, hi), Apply(b, vb, vm, lo, hi), Apply(c, vb, vm, lo, hi), Apply(d, vb, vm, lo, hi))
                    .StoreUnsafe(ref dst, (nuint)i);
            }
        }
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Apply(Vector128<int> x, Vector128<int> bias, Vector128<int> m, Vector128<int> lo, Vector128<int> hi)
        => Vector128.Min(Vector128.Max(Vector128.ShiftRightArithmetic(bias + x * m, 8), lo), hi);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Apply(Vector256<int> x, Vector256<int> bias, Vector256<int> m, Vector256<int> lo, Vector256<int> hi)
        => Vector256.Min(Vector256.Max(Vector256.ShiftRightArithmetic(bias + x * m, 8), lo), hi);
}
