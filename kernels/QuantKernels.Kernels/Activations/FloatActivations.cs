using QuantKernels.Kernels.Elementwise;

namespace QuantKernels.Kernels.Activations;

/// <summary>
/// Float32 activations with TFLite's reference formulas. Input and output spans must have equal length
/// (in-place is allowed: pass the same memory).
/// </summary>
public static class FloatActivations
{
    private static void Check(int inLength, int outLength)
    {
        if (inLength != outLength) throw new ArgumentException($"input has {inLength} elements but output has {outLength}");
    }

    /// <summary>RELU: max(x, 0).</summary>
    public static void Relu(ReadOnlySpan<float> input, Span<float> output)
    {
        Check(input.Length, output.Length);
        for (int i = 0; i < input.Length; i++) output[i] = Math.Max(input[i], 0f);
    }

    /// <summary>RELU6: min(max(x, 0), 6).</summary>
    public static void Relu6(ReadOnlySpan<float> input, Span<float> output) => ClampTo(input, output, 0f, 6f);

    /// <summary>RELU_N1_TO_1: min(max(x, -1), 1).</summary>
    public static void ReluN1To1(ReadOnlySpan<float> input, Span<float> output) => ClampTo(input, output, -1f, 1f);

    private static void ClampTo(ReadOnlySpan<float> input, Span<float> output, float lo, float hi)
    {
        Check(input.Length, output.Length);
        for (int i = 0; i < input.Length; i++) output[i] = Math.Min(Math.Max(input[i], lo), hi);
    }

    /// <summary>LEAKY_RELU: x &gt; 0 ? x : alpha * x.</summary>
    public static void LeakyRelu(ReadOnlySpan<float> input, Span<float> output, float alpha)
    {
        Check(input.Length, output.Length);
        for (int i = 0; i < input.Length; i++) { float v = input[i]; output[i] = v > 0 ? v : v * alpha; }
    }

    /// <summary>HARD_SWISH: x * min(6, max(0, x + 3)) / 6 (reference_ops::HardSwish order of operations).</summary>
    public static void HardSwish(ReadOnlySpan<float> input, Span<float> output)
    {
        Check(input.Length, output.Length);
        for (int i = 0; i < input.Length; i++) { float v = input[i]; output[i] = v * Math.Min(6f, Math.Max(0f, v + 3f)) / 6f; }
    }

    /// <summary>LOGISTIC: 1 / (1 + exp(-x)).</summary>
    public static void Logistic(ReadOnlySpan<float> input, Span<float> output)
    {
        Check(input.Length, output.Length);
        for (int i = 0; i < input.Length; i++) output[i] = Sigmoid(input[i]);
    }

    /// <summary>The logistic function of one value.</summary>
    public static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    /// <summary>TANH.</summary>
    public static void Tanh(ReadOnlySpan<float> input, Span<float> output)
    {
        Check(input.Length, output.Length);
        for (int i = 0; i < input.Length; i++) output[i] = MathF.Tanh(input[i]);
    }

    /// <summary>SQRT (negative inputs give NaN, as std::sqrt does).</summary>
    public static void Sqrt(ReadOnlySpan<float> input, Span<float> output)
    {
        Check(input.Length, output.Length);
        for (int i = 0; i < input.Length; i++) output[i] = MathF.Sqrt(input[i]);
    }

    /// <summary>ABS.</summary>
    public static void Abs(ReadOnlySpan<float> input, Span<float> output)
    {
        Check(input.Length, output.Length);
        for (int i = 0; i < input.Length; i++) output[i] = MathF.Abs(input[i]);
    }

    /// <summary>NEG.</summary>
    public static void Neg(ReadOnlySpan<float> input, Span<float> output)
    {
        Check(input.Length, output.Length);
        for (int i = 0; i < input.Length; i++) output[i] = -input[i];
    }

    /// <summary>
    /// PRELU: x &gt;= 0 ? x : x * alpha, with alpha broadcast against the input (TFLite BroadcastPrelu4DSlow;
    /// the output shape is the broadcast of the two shapes, normally the input's).
    /// </summary>
    /// <param name="inputShape">Shape of the input.</param>
    /// <param name="input">Input values.</param>
    /// <param name="alphaShape">Shape of alpha (e.g. [1,1,C] or [C]).</param>
    /// <param name="alpha">Alpha values.</param>
    /// <param name="outputShape">Output shape (the broadcast shape).</param>
    /// <param name="output">Output values.</param>
    public static void Prelu(ReadOnlySpan<int> inputShape, ReadOnlySpan<float> input, ReadOnlySpan<int> alphaShape, ReadOnlySpan<float> alpha,
        ReadOnlySpan<int> outputShape, Span<float> output)
        => Broadcast.Apply(new PreluOp(), inputShape, input, alphaShape, alpha, outputShape, output);

    private readonly struct PreluOp : IBinaryElementOp<float, float, float>
    {
        public float Invoke(float x, float a) => x >= 0f ? x : x * a;
    }
}
