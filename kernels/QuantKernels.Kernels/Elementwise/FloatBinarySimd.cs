using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Elementwise;

/// <summary>A float element op with a vector form (any width, <see cref="IFloatLanes{TVec}"/>) giving every lane exactly
/// the scalar result.</summary>
internal interface IFloatVectorOp : IBinaryElementOp<float, float, float>
{
    TVec Invoke<TL, TVec>(TVec a, TVec b) where TL : struct, IFloatLanes<TVec> where TVec : struct;
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
        if (path == IsaPath.Avx2) Broadcast.ApplyRows(new Rows<FloatLanes256, Vector256<float>, TOp>(op), aShape, a, bShape, b, outShape, output);
        else Broadcast.ApplyRows(new Rows<FloatLanes128, Vector128<float>, TOp>(op), aShape, a, bShape, b, outShape, output);
    }

    /// <summary>Runs of one op at one vector width: contiguous or broadcast-scalar runs vectorized, the tail and strided
    /// runs element by element.</summary>
    private readonly struct Rows<TL, TVec, TOp>(TOp op) : IBinaryRowOp<float, float, float>
        where TL : struct, IFloatLanes<TVec> where TVec : struct where TOp : struct, IFloatVectorOp
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(ReadOnlySpan<float> a, int strideA, ReadOnlySpan<float> b, int strideB, Span<float> output)
        {
            ref float pa = ref MemoryMarshal.GetReference(a);
            ref float pb = ref MemoryMarshal.GetReference(b);
            ref float po = ref MemoryMarshal.GetReference(output);
            int n = output.Length, i = 0, w = TL.Count;
            if (strideA == 1 && strideB == 1)
                for (; i + w <= n; i += w)
                    TL.Store(op.Invoke<TL, TVec>(TL.Load(ref pa, (nuint)i), TL.Load(ref pb, (nuint)i)), ref po, (nuint)i);
            else if (strideA == 1 && strideB == 0)
            {
                var s = TL.Splat(pb);
                for (; i + w <= n; i += w) TL.Store(op.Invoke<TL, TVec>(TL.Load(ref pa, (nuint)i), s), ref po, (nuint)i);
            }
            else if (strideA == 0 && strideB == 1)
            {
                var s = TL.Splat(pa);
                for (; i + w <= n; i += w) TL.Store(op.Invoke<TL, TVec>(s, TL.Load(ref pb, (nuint)i)), ref po, (nuint)i);
            }
            for (; i < n; i++) Unsafe.Add(ref po, i) = op.Invoke(Unsafe.Add(ref pa, i * strideA), Unsafe.Add(ref pb, i * strideB));
        }
    }

    // The clamp as Clamp.MinMax writes it: y = x < lo ? lo : x; hi < y ? hi : y (NaN passes through).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Clamp<TL, TVec>(TVec x, float lo, float hi) where TL : struct, IFloatLanes<TVec> where TVec : struct
    {
        TVec l = TL.Splat(lo), h = TL.Splat(hi);
        var y = TL.Select(TL.LessThan(x, l), l, x);
        return TL.Select(TL.LessThan(h, y), h, y);
    }

    private readonly struct Add(float lo, float hi) : IFloatVectorOp
    {
        public float Invoke(float a, float b) => new AddOp<float>(lo, hi).Invoke(a, b);
        public TVec Invoke<TL, TVec>(TVec a, TVec b) where TL : struct, IFloatLanes<TVec> where TVec : struct => Clamp<TL, TVec>(TL.Add(a, b), lo, hi);
    }

    private readonly struct Sub(float lo, float hi) : IFloatVectorOp
    {
        public float Invoke(float a, float b) => new SubOp<float>(lo, hi).Invoke(a, b);
        public TVec Invoke<TL, TVec>(TVec a, TVec b) where TL : struct, IFloatLanes<TVec> where TVec : struct => Clamp<TL, TVec>(TL.Subtract(a, b), lo, hi);
    }

    private readonly struct Mul(float lo, float hi) : IFloatVectorOp
    {
        public float Invoke(float a, float b) => new MulOp<float>(lo, hi).Invoke(a, b);
        public TVec Invoke<TL, TVec>(TVec a, TVec b) where TL : struct, IFloatLanes<TVec> where TVec : struct => Clamp<TL, TVec>(TL.Multiply(a, b), lo, hi);
    }

    private readonly struct Div(float lo, float hi) : IFloatVectorOp
    {
        public float Invoke(float a, float b) => new DivOp<float>(lo, hi).Invoke(a, b);
        public TVec Invoke<TL, TVec>(TVec a, TVec b) where TL : struct, IFloatLanes<TVec> where TVec : struct => Clamp<TL, TVec>(TL.Divide(a, b), lo, hi);
    }

    private readonly struct FloorDiv : IFloatVectorOp
    {
        public float Invoke(float a, float b) => new FloorDivOp<float>().Invoke(a, b);
        public TVec Invoke<TL, TVec>(TVec a, TVec b) where TL : struct, IFloatLanes<TVec> where TVec : struct => TL.Floor(TL.Divide(a, b));
    }

    private readonly struct Max : IFloatVectorOp
    {
        public float Invoke(float a, float b) => new MaxOp<float>().Invoke(a, b);
        public TVec Invoke<TL, TVec>(TVec a, TVec b) where TL : struct, IFloatLanes<TVec> where TVec : struct => TL.Select(TL.GreaterThan(a, b), a, b);
    }

    private readonly struct Min : IFloatVectorOp
    {
        public float Invoke(float a, float b) => new MinOp<float>().Invoke(a, b);
        public TVec Invoke<TL, TVec>(TVec a, TVec b) where TL : struct, IFloatLanes<TVec> where TVec : struct => TL.Select(TL.LessThan(a, b), a, b);
    }

    private readonly struct PreluOp : IFloatVectorOp
    {
        public float Invoke(float x, float alpha) => x >= 0f ? x : x * alpha;
        public TVec Invoke<TL, TVec>(TVec a, TVec b) where TL : struct, IFloatLanes<TVec> where TVec : struct => TL.Select(TL.GreaterThanOrEqual(a, TL.Zero), a, TL.Multiply(a, b));
    }
}
