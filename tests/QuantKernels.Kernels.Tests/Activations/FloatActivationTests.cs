using QuantKernels.Kernels.Activations;
using Xunit;

namespace QuantKernels.Kernels.Tests.Activations;

public class FloatActivationTests
{
    // tensorflow/lite/kernels/activations_test.cc float cases.
    private static readonly float[] In = { 0, -6, 2, 4, 3, -2, 10, 1 };

    private static float[] Run(Action<float[], float[]> f, float[] x)
    {
        var y = new float[x.Length];
        f(x, y);
        return y;
    }

    [Fact]
    public void ReluFamily()
    {
        Assert.Equal(new float[] { 0, 0, 2, 4, 3, 0, 10, 1 }, Run((x, y) => FloatActivations.Relu(x, y), In));
        Assert.Equal(new float[] { 0, 0, 2, 4, 3, 0, 6, 1 }, Run((x, y) => FloatActivations.Relu6(x, y), In));
        // activations_test.cc FloatActivationsOpTest.Relu1: {0.0, -0.6, 0.2, -0.4, 0.3, -2.0, 1.1, -0.1}.
        Assert.Equal(new float[] { 0.0f, -0.6f, 0.2f, -0.4f, 0.3f, -1.0f, 1.0f, -0.1f },
            Run((x, y) => FloatActivations.ReluN1To1(x, y), new[] { 0.0f, -0.6f, 0.2f, -0.4f, 0.3f, -2.0f, 1.1f, -0.1f }));
    }

    [Fact]
    public void LeakyRelu()
        // activations_test.cc LeakyReluFloat: alpha 0.5, {0, 1, 3, 1, -1, -2} -> {0, 1, 3, 1, -0.5, -1}.
        => Assert.Equal(new[] { 0.0f, 1.0f, 3.0f, 1.0f, -0.5f, -1.0f }, Run((x, y) => FloatActivations.LeakyRelu(x, y, 0.5f), new[] { 0.0f, 1.0f, 3.0f, 1.0f, -1.0f, -2.0f }));

    [Fact]
    public void LogisticTanhHardSwish()
    {
        // activations_test.cc Sigmoid: {0, -6, 2, 4, 3, -2, 10, 1} -> {0.5, 0.002473, 0.880797, 0.982014, 0.952574, 0.119203, 0.999955, 0.731059}.
        float[] sig = { 0.5f, 0.002473f, 0.880797f, 0.982014f, 0.952574f, 0.119203f, 0.999955f, 0.731059f };
        var s = Run((x, y) => FloatActivations.Logistic(x, y), In);
        for (int i = 0; i < 8; i++) Assert.Equal(sig[i], s[i], 1e-5f);
        // Tanh: {0, -6, 2, 4, -4, -2, 8, 1} -> {0, -0.9999877, 0.9640275, 0.999329, -0.999329, -0.9640275, 1, 0.7615941}.
        float[] th = { 0, -0.9999877f, 0.9640275f, 0.999329f, -0.999329f, -0.9640275f, 1, 0.7615941f };
        var t = Run((x, y) => FloatActivations.Tanh(x, y), new float[] { 0, -6, 2, 4, -4, -2, 8, 1 });
        for (int i = 0; i < 8; i++) Assert.Equal(th[i], t[i], 1e-5f);
        Assert.Equal(new[] { 0f, -1f / 3f, 0f, 4f, 2f / 3f }, Run((x, y) => FloatActivations.HardSwish(x, y), new[] { 0f, -1f, -3f, 4f, 1f }));
    }

    [Fact]
    public void SqrtAbsNeg()
    {
        Assert.Equal(new[] { 0f, 1f, 1.5f, 3f }, Run((x, y) => FloatActivations.Sqrt(x, y), new[] { 0f, 1f, 2.25f, 9f }));
        Assert.Equal(new[] { 1f, 0f, 2.5f }, Run((x, y) => FloatActivations.Abs(x, y), new[] { -1f, 0f, 2.5f }));
        Assert.Equal(new[] { 1f, -2.5f }, Run((x, y) => FloatActivations.Neg(x, y), new[] { -1f, 2.5f }));
    }

    [Fact]
    public void PreluBroadcastsAlphaOverChannels()
    {
        // activations_test.cc PReluFloat: input [1,2,2,3], alpha [1,1,3] = {0, 1, 2}.
        float[] x = { 0, 0, 0, 1, 1, 1, -1, -1, -1, -2, -2, -2 };
        var y = new float[12];
        FloatActivations.Prelu(new[] { 1, 2, 2, 3 }, x, new[] { 1, 1, 3 }, new[] { 0f, 1f, 2f }, new[] { 1, 2, 2, 3 }, y);
        Assert.Equal(new float[] { 0, 0, 0, 1, 1, 1, 0, -1, -2, 0, -2, -4 }, y);
    }

    [Fact]
    public void LengthMismatchThrows()
        => Assert.Throws<ArgumentException>(() => FloatActivations.Relu(new float[3], new float[4]));

    [Fact]
    public void SoftmaxFloatMicroGoldens()
    {
        // tflite-micro softmax_test.cc 2-D goldens.
        float[] x = { 1, 2, 3, 4, 5, -1, -2, -3, -4, -5 };
        float[] g = { 0.011656231f, 0.031684921f, 0.086128544f, 0.234121657f, 0.636408647f, 0.636408647f, 0.234121657f, 0.086128544f, 0.031684921f, 0.011656231f };
        var y = new float[10];
        Softmax.Float(x, y, 5);
        for (int i = 0; i < 10; i++) Assert.Equal(g[i], y[i], 1e-5f);
        Assert.Throws<ArgumentException>(() => Softmax.Float(new float[7], new float[7], 5));
    }
}
