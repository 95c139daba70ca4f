using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using QuantKernels.Kernels.Elementwise;

namespace QuantKernels.Kernels.Activations;

/// <summary>
/// The clamp-like float activations (RELU, RELU6, RELU_N1_TO_1, LEAKY_RELU, HARD_SWISH) vectorized on the dispatched
/// path, equal to <see cref="FloatActivations"/> bit for bit: the same IEEE operations per lane, maximum/minimum with
/// <see cref="Math.Max(float, float)"/>'s NaN and signed-zero rules, selects written as the scalar comparisons.
/// In-place use (the same memory for input and output) is allowed, as for the scalar kernels.
/// </summary>
public static class FloatActivationsSimd
{
    /// <summary>RELU on <paramref name="path"/>.</summary>
    public static void Relu(IsaPath path, ReadOnlySpan<float> input, Span<float> output)
        => Apply(path, new Clamp(0f, float.PositiveInfinity, relu: true), input, output);

    /// <summary>RELU6 on <paramref name="path"/>.</summary>
    public static void Relu6(IsaPath path, ReadOnlySpan<float> input, Span<float> output) => Apply(path, new Clamp(0f, 6f, relu: false), input, output);

    /// <summary>RELU_N1_TO_1 on <paramref name="path"/>.</summary>
    public static void ReluN1To1(IsaPath path, ReadOnlySpan<float> input, Span<float> output) => Apply(path, new Clamp(-1f, 1f, relu: false), input, output);

    /// <summary>LEAKY_RELU on <paramref name="path"/>.</summary>
    public static void LeakyRelu(IsaPath path, ReadOnlySpan<float> input, Span<float> output, float alpha) => Apply(path, new Leaky(alpha), input, output);

    /// <summary>HARD_SWISH on <paramref name="path"/>.</summary>
    public static void HardSwish(IsaPath path, ReadOnlySpan<float> input, Span<float> output) => Apply(path, new HardSwishOp(), input, output);

    private interface IUnaryOp
    {
        float Invoke(float x);
        TVec Invoke<TL, TVec>(TVec x) where TL : struct, IFloatLanes<TVec> where TVec : struct;
    }

    private static void Apply<TOp>(IsaPath path, TOp op, ReadOnlySpan<float> input, Span<float> output) where TOp : struct, IUnaryOp
    {
        if (input.Length != output.Length) throw new ArgumentException($"input has {input.Length} elements but output has {output.Length}");
        path = VectorPath.Of(path);
        int i = path switch
        {
            IsaPath.Avx2 => Run<FloatLanes256, Vector256<float>, TOp>(op, input, output),
            IsaPath.Vector128 => Run<FloatLanes128, Vector128<float>, TOp>(op, input, output),
            _ => 0,
        };
        for (; i < input.Length; i++) output[i] = op.Invoke(input[i]);
    }

    /// <summary>Whole vectors; returns the first element not done.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Run<TL, TVec, TOp>(TOp op, ReadOnlySpan<float> input, Span<float> output)
        where TL : struct, IFloatLanes<TVec> where TVec : struct where TOp : struct, IUnaryOp
    {
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float y = ref MemoryMarshal.GetReference(output);
        int n = input.Length, i = 0, w = TL.Count;
        for (; i + w <= n; i += w) TL.Store(op.Invoke<TL, TVec>(TL.Load(ref x, (nuint)i)), ref y, (nuint)i);
        return i;
    }

    // RELU is Math.Max(x, 0); the clamps are Math.Min(Math.Max(x, lo), hi) (FloatActivations).
    private readonly struct Clamp(float lo, float hi, bool relu) : IUnaryOp
    {
        public float Invoke(float x) => relu ? Math.Max(x, 0f) : Math.Min(Math.Max(x, lo), hi);
        public TVec Invoke<TL, TVec>(TVec x) where TL : struct, IFloatLanes<TVec> where TVec : struct
            => relu ? TL.Max(x, TL.Zero) : TL.Min(TL.Max(x, TL.Splat(lo)), TL.Splat(hi));
    }

    private readonly struct Leaky(float alpha) : IUnaryOp
    {
        public float Invoke(float x) => x > 0 ? x : x * alpha;
        public TVec Invoke<TL, TVec>(TVec x) where TL : struct, IFloatLanes<TVec> where TVec : struct
            => TL.Select(TL.GreaterThan(x, TL.Zero), x, TL.Multiply(x, TL.Splat(alpha)));
    }

    private readonly struct HardSwishOp : IUnaryOp
    {
        public float Invoke(float x) => x * Math.Min(6f, Math.Max(0f, x + 3f)) / 6f;
        public TVec Invoke<TL, TVec>(TVec x) where TL : struct, IFloatLanes<TVec> where TVec : struct
        {
            var six = TL.Splat(6f);
            return TL.Divide(TL.Multiply(x, TL.Min(six, TL.Max(TL.Zero, TL.Add(x, TL.Splat(3f))))), six);
        }
    }
}
