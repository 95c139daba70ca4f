using QuantKernels.Kernels.Activations;

namespace QuantKernels.Kernels.Tests.HotOps;

/// <summary><see cref="FloatActivationsSimd"/> equals <see cref="FloatActivations"/> bit for bit (specials, in place).</summary>
public class FloatActivationsSimdTests
{
    private delegate void Scalar(ReadOnlySpan<float> x, Span<float> y);
    private delegate void Vector(IsaPath path, ReadOnlySpan<float> x, Span<float> y);

    private static readonly (string Name, Scalar S, Vector V)[] Ops =
    [
        ("RELU", FloatActivations.Relu, FloatActivationsSimd.Relu),
        ("RELU6", FloatActivations.Relu6, FloatActivationsSimd.Relu6),
        ("RELU_N1_TO_1", FloatActivations.ReluN1To1, FloatActivationsSimd.ReluN1To1),
        ("LEAKY_RELU", (x, y) => FloatActivations.LeakyRelu(x, y, 0.1f), (p, x, y) => FloatActivationsSimd.LeakyRelu(p, x, y, 0.1f)),
        ("HARD_SWISH", FloatActivations.HardSwish, FloatActivationsSimd.HardSwish),
    ];

    [Theory]
    [MemberData(nameof(HotOpCases.AllPaths), MemberType = typeof(HotOpCases))]
    public void Every_activation_equals_the_scalar_kernel(IsaPath path)
    {
        var rng = new Random(6161 + (int)path);
        float[] specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 6f, -1f, 1f, -3f, float.MaxValue, -float.Epsilon];
        foreach (int n in HotOpCases.Lengths)
        {
            var x = new float[n];
            for (int i = 0; i < n; i++) x[i] = rng.Next(4) == 0 ? specials[rng.Next(specials.Length)] : (float)(rng.NextDouble() * 20 - 10);
            foreach (var (name, s, v) in Ops)
            {
                var e = new float[n];
                var a = new float[n];
                s(x, e);
                v(path, x, a);
                Assert.True(Bits(e).SequenceEqual(Bits(a)), $"{name} n={n}: {HotOpCases.Mismatch<float>(e, a)}");
                var inPlace = (float[])x.Clone();
                v(path, inPlace, inPlace);
                Assert.True(Bits(e).SequenceEqual(Bits(inPlace)), $"{name} in place n={n}");
            }
        }
    }

    private static int[] Bits(float[] v) => Array.ConvertAll(v, BitConverter.SingleToInt32Bits);
}
