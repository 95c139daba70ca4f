using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Elementwise;

/// <summary>A float element op with 256- and 128-bit forms that give every lane exactly the scalar result.</summary>
internal interface IFloatVectorOp : IBinaryElementOp<float, float, float>
{
    Vector256<float> Invoke(Vector256<float> a, Vector256<float> b);
    Vector128<float> Invoke(Vector128<float> a, Vector128<float> b);
}

/// <summary>
/// Float32 binary ops (ADD, SUB, MUL, DIV, FLOOR_DIV, MAXIMUM, MINIMUM, PRELU) with broadcasting, vectorized on the
/// dispatched path and equal to <see cref="BinaryArithmetic.Float"/> and <see cref="Activations.FloatActivations.Prelu"/>
/// bit for bit: the same IEEE operation per lane, and clamps and selects written as the scalar comparisons (so NaN,
/// infinities and signed zeros come out as there). Contiguous and broadcast-scalar runs are vectorized; strided runs
/// inside higher-rank broadcasts run element by element.
/// </summary>
public static class FloatBinarySimd
{
    /// <summary><see cref="BinaryArithmetic.Float"/> on <paramref name="path"/>; arguments as there.</summary>
    public static void Run(IsaPath path, BinaryOperation op,
        ReadOnlySpan<int> aShape, ReadOnlySpan<float> a, ReadOnlySpan<int> bShape, ReadOnlySpan<float> b,
        ReadOnlySpan<int> outShape, Span<float> output, FusedActivation activation = FusedActivation.None)
    {
        if (VectorPath.Of(path) == IsaPath.Scalar)
        {
            BinaryArithmetic.Float(op, aShape, a, bShape, b, outShape, output, activation);
            return;
        }
        if (activation != FusedActivation.None && op is not (BinaryOperation.Add or BinaryOperation.Sub or BinaryOperation.Mul or BinaryOperation.Div))
            throw new ArgumentException($"{op} has no fused activation", nameof(activation));
        (float lo, float hi) = ActivationRange.Float(activation);
        path = VectorPath.Of(path);
        switch (op)
        {
            case BinaryOperation.Add: Apply(path, new Add(lo, hi), aShape, a, bShape, b, outShape, output); break;
            case BinaryOperation.Sub: Apply(path, new Sub(lo, hi), aShape, a, bShape, b, outShape, output); break;
            case BinaryOperation.Mul: Apply(path, new Mul(lo, hi), aShape, a, bShape, b, outShape, output); break;
            case BinaryOperation.Div: Apply(path, new Div(lo, hi), aShape, a, bShape, b, outShape, output); break;
            case BinaryOperation.FloorDiv: Apply(path, new FloorDiv(), aShape, a, bShape, b, outShape, output); break;
            case BinaryOperation.Maximum: Apply(path, new Max(), aShape, a, bShape, b, outShape, output); break;
            case BinaryOperation.Minimum: Apply(path, new Min(), aShape, a, bShape, b, outShape, output); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "unknown binary operation");
        }
    }

    /// <summary>PRELU (<c>x &gt;= 0 ? x : x * alpha</c>, alpha broadcast) on <paramref name="path"/>; arguments as
    /// <see cref="Activations.FloatActivations.Prelu"/>.</summary>
    public static void Prelu(IsaPath path, ReadOnlySpan<int> inputShape, ReadOnlySpan<float> input, ReadOnlySpan<int> alphaShape,
        ReadOnlySpan<float> alpha, ReadOnlySpan<int> outputShape, Span<float> output)
    {
        path = VectorPath.Of(path);
        if (path == IsaPath.Scalar) Activations.FloatActivations.Prelu(inputShape, input, alphaShape, alpha, outputShape, output);
        else Apply(path, new PreluOp(), inputShape, input, alphaShape, alpha, outputShape, output);
    }

    private static void Apply<TOp>(IsaPath path, TOp op, ReadOnlySpan<int> aShape, ReadOnlySpan<float> a, ReadOnlySpan<int> bShape,
        ReadOnlySpan<float> b, ReadOnlySpan<int> outShape, Span<float> output) where TOp : struct, IFloatVectorOp
    {
        if (path == IsaPath.Avx2) Broadcast.ApplyRows(new Rows256<TOp>(op), aShape, a, bShape, b, outShape, output);
        else Broadcast.ApplyRows(new Rows128<TOp>(op), aShape, a, bShape, b, outShape, output);
    }

    private readonly struct Rows256<TOp>(TOp op) : IBinaryRowOp<float, float, float> where TOp : struct, IFloatVectorOp
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(ReadOnlySpan<float> a, int strideA, ReadOnlySpan<float> b, int strideB, Span<float> output)
        {
            ref float pa = ref MemoryMarshal.GetReference(a);
            ref float pb = ref MemoryMarshal.GetReference(b);
            ref float po = ref MemoryMarshal.GetReference(output);
            int n = output.Length, i = 0;
            const int W = 8;
            if (strideA == 1 && strideB == 1)
                for (; i + W <= n; i += W)
                    op.Invoke(Vector256.LoadUnsafe(ref pa, (nuint)i), Vector256.LoadUnsafe(ref pb, (nuint)i)).StoreUnsafe(ref po, (nuint)i);
            else if (strideA == 1 && strideB == 0)
            {
                var s = Vector256.Create(pb);
                for (; i + W <= n; i += W) op.Invoke(Vector256.LoadUnsafe(ref pa, (nuint)i), s).StoreUnsafe(ref po, (nuint)i);
            }
            else if (strideA == 0 && strideB == 1)
            {
                var s = Vector256.Create(pa);
                for (; i + W <= n; i += W) op.Invoke(s, Vector256.LoadUnsafe(ref pb, (nuint)i)).StoreUnsafe(ref po, (nuint)i);
            }
            for (; i < n; i++) Unsafe.Add(ref po, i) = op.Invoke(Unsafe.Add(ref pa, i * strideA), Unsafe.Add(ref pb, i * strideB));
        }
    }

    private readonly struct Rows128<TOp>(TOp op) : IBinaryRowOp<float, float, float> where TOp : struct, IFloatVectorOp
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(ReadOnlySpan<float> a, int strideA, ReadOnlySpan<float> b, int strideB, Span<float> output)
        {
            ref float pa = ref MemoryMarshal.GetReference(a);
            ref float pb = ref MemoryMarshal.GetReference(b);
            ref float po = ref MemoryMarshal.GetReference(output);
            int n = output.Length, i = 0;
            const int W = 4;
            if (strideA == 1 && strideB == 1)
                for (; i + W <= n; i += W)
                    op.Invoke(Vector128.LoadUnsafe(ref pa, (nuint)i), Vector128.LoadUnsafe(ref pb, (nuint)i)).StoreUnsafe(ref po, (nuint)i);
            else if (strideA == 1 && strideB == 0)
            {
                var s = Vector128.Create(pb);
                for (; i + W <= n; i += W) op.Invoke(Vector128.LoadUnsafe(ref pa, (nuint)i), s).StoreUnsafe(ref po, (nuint)i);
            }
            else if (strideA == 0 && strideB == 1)
            {
                var s = Vector128.Create(pa);
                for (; i + W <= n; i += W) op.Invoke(s, Vector128.LoadUnsafe(ref pb, (nuint)i)).StoreUnsafe(ref po, (nuint)i);
            }
            for (; i < n; i++) Unsafe.Add(ref po, i) = op.Invoke(Unsafe.Add(ref pa, i * strideA), Unsafe.Add(ref pb, i * strideB));
        }
    }

    // The clamp as Clamp.MinMax writes it: y = x < lo ? lo : x; hi < y ? hi : y (NaN passes through).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Clamp(Vector256<float> x, Vector256<float> lo, Vector256<float> hi)
    {
        var y = Vector256.ConditionalSelect(Vector256.LessThan(x, lo), lo, x);
        return Vector256.ConditionalSelect(Vector256.LessThan(hi, y), hi, y);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Clamp(Vector128<float> x, Vector128<float> lo, Vector128<float> hi)
    {
        var y = Vector128.ConditionalSelect(Vector128.LessThan(x, lo), lo, x);
        return Vector128.ConditionalSelect(Vector128.LessThan(hi, y), hi, y);
    }

    private readonly struct Add(float lo, float hi) : IFloatVectorOp
    {
        public float Invoke(float a, float b) => new AddOp<float>(lo, hi).Invoke(a, b);
        public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => Clamp(a + b, Vector256.Create(lo), Vector256.Create(hi));
        public Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => Clamp(a + b, Vector128.Create(lo), Vector128.Create(hi));
    }

    private readonly struct Sub(float lo, float hi) : IFloatVectorOp
    {
        public float Invoke(float a, float b) => new SubOp<float>(lo, hi).Invoke(a, b);
        public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => Clamp(a - b, Vector256.Create(lo), Vector256.Create(hi));
        public Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => Clamp(a - b, Vector128.Create(lo), Vector128.Create(hi));
    }

    private readonly struct Mul(float lo, float hi) : IFloatVectorOp
    {
        public float Invoke(float a, float b) => new MulOp<float>(lo, hi).Invoke(a, b);
        public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => Clamp(a * b, Vector256.Create(lo), Vector256.Create(hi));
        public Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => Clamp(a * b, Vector128.Create(lo), Vector128.Create(hi));
    }

    private readonly struct Div(float lo, float hi) : IFloatVectorOp
    {
        public float Invoke(float a, float b) => new DivOp<float>(lo, hi).Invoke(a, b);
        public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => Clamp(a / b, Vector256.Create(lo), Vector256.Create(hi));
        public Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => Clamp(a / b, Vector128.Create(lo), Vector128.Create(hi));
    }

    private readonly struct FloorDiv : IFloatVectorOp
    {
        public float Invoke(float a, float b) => new FloorDivOp<float>().Invoke(a, b);
        public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => Vector256.Floor(a / b);
        public Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => Vector128.Floor(a / b);
    }

    private readonly struct Max : IFloatVectorOp
    {
        public float Invoke(float a, float b) => new MaxOp<float>().Invoke(a, b);
        public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => Vector256.ConditionalSelect(Vector256.GreaterThan(a, b), a, b);
        public Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => Vector128.ConditionalSelect(Vector128.GreaterThan(a, b), a, b);
    }

    private readonly struct Min : IFloatVectorOp
    {
        public float Invoke(float a, float b) => new MinOp<float>().Invoke(a, b);
        public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => Vector256.ConditionalSelect(Vector256.LessThan(a, b), a, b);
        public Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => Vector128.ConditionalSelect(Vector128.LessThan(a, b), a, b);
    }

    private readonly struct PreluOp : IFloatVectorOp
    {
        public float Invoke(float x, float alpha) => x >= 0f ? x : x * alpha;
        public Vector256<float> Invoke(Vector256<float> x, Vector256<float> alpha)
            => Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero), x, x * alpha);
        public Vector128<float> Invoke(Vector128<float> x, Vector128<float> alpha)
            => Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(x, Vector128<float>.Zero), x, x * alpha);
    }
}
