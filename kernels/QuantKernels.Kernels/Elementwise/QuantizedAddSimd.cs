using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Elementwise;

/// <summary>
/// Vectorized quantized ADD/SUB of two same-shape int8/uint8 tensors in the <see cref="RequantConvention.Xnnpack"/>
/// convention: per element <c>clamp(((bias + a*ma + b*mb) &gt;&gt; shift) + zo)</c> in wrapping int32 lanes, exactly
/// <see cref="QuantizedAdd.XnnpackElement"/>. The tail shorter than a vector runs that scalar element.
/// </summary>
public static class QuantizedAddSimd
{
    /// <summary>Whether <see cref="Run{T}"/> takes these parameters (the Xnnpack convention; Reference stays scalar).</summary>
    public static bool Supports(in QuantizedAddParams p) => p.Convention == RequantConvention.Xnnpack;

    /// <summary>out[i] = a[i] (+/-) b[i] for int8 (sbyte) or uint8 (byte) spans of equal length.</summary>
    /// <param name="path">ISA path from <see cref="Dispatch.Select"/>.</param>
    /// <param name="p">Parameters from <see cref="QuantizedAdd.Prepare{T}"/> with T the element type here.</param>
    /// <param name="a">Input a.</param><param name="b">Input b.</param><param name="output">Output.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first invoke (DESIGN.md §4)
    public static void Run<T>(IsaPath path, in QuantizedAddParams p, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> output) where T : unmanaged
    {
        Q8.Check<T>();
        if (!Supports(in p)) throw new ArgumentException("vectorized ADD takes Xnnpack-convention parameters only", nameof(p));
        if (a.Length != output.Length || b.Length != output.Length)
            throw new ArgumentException($"inputs have {a.Length} and {b.Length} elements, output {output.Length}: they must be equal");
        path = VectorPath.Of(path);
        bool signed = typeof(T) == typeof(sbyte);
        ref byte pa = ref MemoryMarshal.GetReference(MemoryMarshal.AsBytes(a));
        ref byte pb = ref MemoryMarshal.GetReference(MemoryMarshal.AsBytes(b));
        ref byte po = ref MemoryMarshal.GetReference(MemoryMarshal.AsBytes(output));
        int n = output.Length, i = 0;
        if (path == IsaPath.Avx2)
        {
            var c = new Lanes256(in p);
            for (; i + 32 <= n; i += 32)
            {
                var (a0, a1, a2, a3) = ByteLanes.Widen(Vector256.LoadUnsafe(ref pa, (nuint)i), signed);
                var (b0, b1, b2, b3) = ByteLanes.Widen(Vector256.LoadUnsafe(ref pb, (nuint)i), signed);
                ByteLanes.Narrow(c.Apply(a0, b0), c.Apply(a1, b1), c.Apply(a2, b2), c.Apply(a3, b3)).StoreUnsafe(ref po, (nuint)i);
            }
        }
        else if (path == IsaPath.Vector128)
        {
            var c = new Lanes128(in p);
            for (; i + 16 <= n; i += 16)
            {
                var (a0, a1, a2, a3) = ByteLanes.Widen(Vector128.LoadUnsafe(ref pa, (nuint)i), signed);
                var (b0, b1, b2, b3) = ByteLanes.Widen(Vector128.LoadUnsafe(ref pb, (nuint)i), signed);
                ByteLanes.Narrow(c.Apply(a0, b0), c.Apply(a1, b1), c.Apply(a2, b2), c.Apply(a3, b3)).StoreUnsafe(ref po, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            int x = signed ? (sbyte)Unsafe.Add(ref pa, i) : Unsafe.Add(ref pa, i);
            int y = signed ? (sbyte)Unsafe.Add(ref pb, i) : Unsafe.Add(ref pb, i);
            Unsafe.Add(ref po, i) = (byte)QuantizedAdd.XnnpackElement(in p, x, y);
        }
    }

    private readonly struct Lanes128(in QuantizedAddParams p)
    {
        private readonly Vector128<int> _bias = Vector128.Create(p.XnnBias), _ma = Vector128.Create(p.XnnMultiplierA), _mb = Vector128.Create(p.XnnMultiplierB);
        private readonly Vector128<int> _zo = Vector128.Create(p.OutputZeroPoint), _min = Vector128.Create(p.OutputMin), _max = Vector128.Create(p.OutputMax);
        private readonly int _shift = p.XnnShift;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<int> Apply(Vector128<int> a, Vector128<int> b)
        {
            var acc = _bias + a * _ma + b * _mb;
            var o = Vector128.ShiftRightArithmetic(acc, _shift) + _zo;
            return Vector128.Min(Vector128.Max(o, _min), _max);
        }
    }

    private readonly struct Lanes256(in QuantizedAddParams p)
    {
        private readonly Vector256<int> _bias = Vector256.Create(p.XnnBias), _ma = Vector256.Create(p.XnnMultiplierA), _mb = Vector256.Create(p.XnnMultiplierB);
        private readonly Vector256<int> _zo = Vector256.Create(p.OutputZeroPoint), _min = Vector256.Create(p.OutputMin), _max = Vector256.Create(p.OutputMax);
        private readonly int _shift = p.XnnShift;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<int> Apply(Vector256<int> a, Vector256<int> b)
        {
            var acc = _bias + a * _ma + b * _mb;
            var o = Vector256.ShiftRightArithmetic(acc, _shift) + _zo;
            return Vector256.Min(Vector256.Max(o, _min), _max);
        }
    }
}
