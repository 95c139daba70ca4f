using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Conversion;

/// <summary>
/// Vectorized QUANTIZE float32 -&gt; int8/uint8, element for element equal to <see cref="Quantize.Reference{T}"/> and
/// <see cref="Quantize.Xnnpack{T}"/> (NaN, infinities and saturation included). Each vector step mirrors the scalar
/// formula: xnnpack multiplies by the float reciprocal, clamps to [qmin - zp, qmax - zp] (NaN to the low end), rounds
/// half to even and adds zp; reference divides, rounds half away from zero (truncate, then step away when the
/// exact remainder is at least one half), adds zp and clamps (NaN to 0, as the scalar's saturating int conversion).
/// The tail shorter than a vector runs the scalar reference of the same convention.
/// </summary>
public static class QuantizeSimd
{
    /// <summary>float32 -&gt; int8 on <paramref name="path"/> in <paramref name="convention"/>.</summary>
    public static void Run(IsaPath path, RequantConvention convention, ReadOnlySpan<float> input, Span<sbyte> output, float scale, int zeroPoint)
    {
        Check(input.Length, output.Length, scale);
        int done = Vectorized(path, convention, input, MemoryMarshal.AsBytes(output), scale, zeroPoint, -128, 127);
        Quantize.Float(convention, input[done..], output[done..], scale, zeroPoint);
    }

    /// <summary>float32 -&gt; uint8 on <paramref name="path"/> in <paramref name="convention"/>.</summary>
    public static void Run(IsaPath path, RequantConvention convention, ReadOnlySpan<float> input, Span<byte> output, float scale, int zeroPoint)
    {
        Check(input.Length, output.Length, scale);
        int done = Vectorized(path, convention, input, output, scale, zeroPoint, 0, 255);
        Quantize.Float(convention, input[done..], output[done..], scale, zeroPoint);
    }

    /// <summary>Runs whole vectors; returns how many elements it wrote (the rest is the caller's scalar tail).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first invoke (DESIGN.md §4)
    private static int Vectorized(IsaPath path, RequantConvention convention, ReadOnlySpan<float> input, Span<byte> output,
        float scale, int zeroPoint, int qmin, int qmax)
    {
        path = VectorPath.Of(path);
        var c = new Constants(convention, scale, zeroPoint, qmin, qmax);
        ref float src = ref MemoryMarshal.GetReference(input);
        ref byte dst = ref MemoryMarshal.GetReference(output);
        int n = input.Length, i = 0;
        if (path == IsaPath.Avx2)
        {
            for (; i + 32 <= n; i += 32)
            {
                var a = Step256(Vector256.LoadUnsafe(ref src, (nuint)i), in c);
                var b = Step256(Vector256.LoadUnsafe(ref src, (nuint)i + 8), in c);
                var d = Step256(Vector256.LoadUnsafe(ref src, (nuint)i + 16), in c);
                var e = Step256(Vector256.LoadUnsafe(ref src, (nuint)i + 24), in c);
                Vector256.Narrow(Vector256.Narrow(a, b), Vector256.Narrow(d, e)).AsByte().StoreUnsafe(ref dst, (nuint)i);
            }
        }
        else if (path == IsaPath.Vector128)
        {
            for (; i + 16 <= n; i += 16)
            {
                var a = Step128(Vector128.LoadUnsafe(ref src, (nuint)i), in c);
                var b = Step128(Vector128.LoadUnsafe(ref src, (nuint)i + 4), in c);
                var d = Step128(Vector128.LoadUnsafe(ref src, (nuint)i + 8), in c);
                var e = Step128(Vector128.LoadUnsafe(ref src, (nuint)i + 12), in c);
                Vector128.Narrow(Vector128.Narrow(a, b), Vector128.Narrow(d, e)).AsByte().StoreUnsafe(ref dst, (nuint)i);
            }
        }
        return i;
    }

    /// <summary>Per-call constants of both conventions.</summary>
    private readonly struct Constants(RequantConvention convention, float scale, int zeroPoint, int qmin, int qmax)
    {
        public readonly bool Xnnpack = convention == RequantConvention.Xnnpack;
        public readonly float Scale = scale, Inverse = 1.0f / scale;
        public readonly float Low = qmin - zeroPoint, High = qmax - zeroPoint; // xnnpack clamps before adding zp
        public readonly float QMin = qmin, QMax = qmax, ZeroPointF = zeroPoint;
        public readonly int ZeroPoint = zeroPoint;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Step128(Vector128<float> x, in Constants c)
    {
        if (c.Xnnpack)
        {
            var v = x * Vector128.Create(c.Inverse);
            var lo = Vector128.Create(c.Low);
            v = Vector128.ConditionalSelect(Vector128.LessThan(v, lo), lo, v);
            v = Vector128.ConditionalSelect(Vector128.GreaterThan(v, Vector128.Create(c.High)), Vector128.Create(c.High), v);
            v = Vector128.ConditionalSelect(Vector128.Equals(v, v), v, lo); // NaN -> low end
            return Vector128.ConvertToInt32(Vector128.Round(v)) + Vector128.Create(c.ZeroPoint);
        }
        var d = x / Vector128.Create(c.Scale);
        var t = Vector128.Truncate(d);
        var half = Vector128.GreaterThanOrEqual(Vector128.Abs(d - t), Vector128.Create(0.5f));
        var away = (d & Vector128.Create(-0.0f)) | Vector128.Create(1.0f); // +-1 with d's sign
        var r = t + (away & half) + Vector128.Create(c.ZeroPointF);
        r = Vector128.ConditionalSelect(Vector128.LessThan(r, Vector128.Create(c.QMin)), Vector128.Create(c.QMin), r);
        r = Vector128.ConditionalSelect(Vector128.GreaterThan(r, Vector128.Create(c.QMax)), Vector128.Create(c.QMax), r);
        return Vector128.ConvertToInt32(r & Vector128.Equals(r, r)); // NaN -> 0
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Step256(Vector256<float> x, in Constants c)
    {
        if (c.Xnnpack)
        {
            var v = x * Vector256.Create(c.Inverse);
            var lo = Vector256.Create(c.Low);
            v = Vector256.ConditionalSelect(Vector256.LessThan(v, lo), lo, v);
            v = Vector256.ConditionalSelect(Vector256.GreaterThan(v, Vector256.Create(c.High)), Vector256.Create(c.High), v);
            v = Vector256.ConditionalSelect(Vector256.Equals(v, v), v, lo);
            return Vector256.ConvertToInt32(Vector256.Round(v)) + Vector256.Create(c.ZeroPoint);
        }
        var d = x / Vector256.Create(c.Scale);
        var t = Vector256.Truncate(d);
        var half = Vector256.GreaterThanOrEqual(Vector256.Abs(d - t), Vector256.Create(0.5f));
        var away = (d & Vector256.Create(-0.0f)) | Vector256.Create(1.0f);
        var r = t + (away & half) + Vector256.Create(c.ZeroPointF);
        r = Vector256.ConditionalSelect(Vector256.LessThan(r, Vector256.Create(c.QMin)), Vector256.Create(c.QMin), r);
        r = Vector256.ConditionalSelect(Vector256.GreaterThan(r, Vector256.Create(c.QMax)), Vector256.Create(c.QMax), r);
        return Vector256.ConvertToInt32(r & Vector256.Equals(r, r));
    }

    private static void Check(int inLen, int outLen, float scale)
    {
        if (inLen != outLen) throw new ArgumentException($"input has {inLen} elements, output {outLen}");
        if (!(scale > 0) || float.IsInfinity(scale)) throw new ArgumentException($"scale must be positive and finite, got {scale}", nameof(scale));
    }
}
