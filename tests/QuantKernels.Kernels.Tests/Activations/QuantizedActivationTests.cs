using QuantKernels.Kernels.Activations;
using QuantKernels.Kernels.Quantization;
using Xunit;

namespace QuantKernels.Kernels.Tests.Activations;

public class QuantizedActivationTests
{
    private static sbyte[] Q(float[] v, float s, int z) => v.Select(x => (sbyte)Math.Clamp((int)MathF.Round(x / s, MidpointRounding.AwayFromZero) + z, -128, 127)).ToArray();
    private static readonly sbyte[] AllI8 = Enumerable.Range(-128, 256).Select(v => (sbyte)v).ToArray();
    private static readonly byte[] AllU8 = Enumerable.Range(0, 256).Select(v => (byte)v).ToArray();

    [Theory]
    [InlineData(RequantConvention.Reference)]
    [InlineData(RequantConvention.Xnnpack)]
    public void LogisticInt8MatchesFloatDefinitionForEveryInput(RequantConvention c)
    {
        float s = 0.0625f; int z = 3;
        var table = new byte[256];
        QuantizedActivations.PrepareLogistic<sbyte>(c, s, z, table);
        var y = new sbyte[256];
        QuantizedLut.Apply<sbyte>(table, AllI8, y);
        for (int i = 0; i < 256; i++)
        {
            double real = 1.0 / (1.0 + Math.Exp(-(s * (AllI8[i] - z))));
            double q = real * 256 - 128;
            Assert.InRange(y[i], Math.Max(-128, (int)Math.Floor(q)), Math.Min(127, (int)Math.Ceiling(q)));
        }
        Assert.Equal(0, y[128 + z]);          // sigmoid(0) = 0.5 -> 128 - 128
    }

    [Fact]
    public void LogisticMicroStyleVector()
    {
        // activations_test.cc QuantizedActivationsOpTest.Sigmoid (int8, input range [-10, 10]): expected ~
        // {0.5, 0.002473, 0.880797, 0.982014, 0.952574, 0.119203, 0.999955, 0.731059}, within one output step.
        float s = 20f / 255f; int z = 0;
        float[] x = { 0, -6, 2, 4, 3, -2, 10, 1 };
        float[] g = { 0.5f, 0.002473f, 0.880797f, 0.982014f, 0.952574f, 0.119203f, 0.999955f, 0.731059f };
        foreach (var c in new[] { RequantConvention.Reference, RequantConvention.Xnnpack })
        {
            var table = new byte[256];
            QuantizedActivations.PrepareLogistic<sbyte>(c, s, z, table);
            var y = new sbyte[8];
            QuantizedLut.Apply<sbyte>(table, Q(x, s, z), y);
            var xq = Q(x, s, z);
            for (int i = 0; i < 8; i++)
            {
                // Within TFLite's test tolerance of the golden, and within one step of sigmoid(dequantized input).
                Assert.InRange((y[i] + 128) / 256f, g[i] - 3f / 256f, g[i] + 3f / 256f);
                double exact = 256.0 / (1.0 + Math.Exp(-s * (xq[i] - z))) - 128;
                Assert.InRange(y[i], Math.Max(-128, (int)Math.Floor(exact)), Math.Min(127, (int)Math.Ceiling(exact)));
            }
        }
    }

    [Fact]
    public void TanhUInt8OutputQuantization()
    {
        var (s, z) = QuantizedActivations.TanhOutput<byte>();
        Assert.Equal((1f / 128f, 128), (s, z));
        var table = new byte[256];
        QuantizedActivations.PrepareTanh<byte>(RequantConvention.Reference, 0.05f, 128, table);
        var y = new byte[256];
        QuantizedLut.Apply<byte>(table, AllU8, y);
        Assert.Equal(128, y[128]);
        Assert.Equal(0, y[0]);                // tanh(-6.4) * 128 = -127.99 -> -128 -> 0
        Assert.Equal(255, y[255]);            // clamps at 255 (= +127/128)
        for (int i = 0; i < 256; i++)
            Assert.Equal(Math.Clamp((int)Math.Round(Math.Tanh(0.05 * (i - 128)) * 128, MidpointRounding.AwayFromZero) + 128, 0, 255), y[i]);
    }

    [Fact]
    public void ReluInt8FollowsQuantizedReluX()
    {
        // Same scales: RELU is max(q, z_out); RELU6 also caps at z + round(6 / s).
        var table = new byte[256];
        var y = new sbyte[256];
        QuantizedActivations.PrepareRelu<sbyte>(FusedActivation.Relu, 0.05f, -10, 0.05f, -10, table);
        QuantizedLut.Apply<sbyte>(table, AllI8, y);
        for (int i = 0; i < 256; i++) Assert.Equal(Math.Max(AllI8[i], (sbyte)-10), y[i]);
        QuantizedActivations.PrepareRelu<sbyte>(FusedActivation.Relu6, 0.05f, -10, 0.05f, -10, table);
        QuantizedLut.Apply<sbyte>(table, AllI8, y);
        for (int i = 0; i < 256; i++) Assert.Equal(Math.Clamp(AllI8[i], (sbyte)-10, (sbyte)110), y[i]);
        // Different scales: requantized by s_in/s_out = 0.5.
        QuantizedActivations.PrepareRelu<sbyte>(FusedActivation.ReluN1To1, 0.01f, 0, 0.02f, 0, table);
        QuantizedLut.Apply<sbyte>(table, new sbyte[] { -128, -3, 3, 5, 127 }, y.AsSpan(0, 5));
        Assert.Equal(new sbyte[] { -50, -1, 2, 3, 50 }, y[..5]); // SRDHM rounds -1.5 toward zero, +1.5 and +2.5 up
    }

    [Fact]
    public void LeakyReluInt8HandComputed()
    {
        // activations_test.cc LeakyReluInt8 (alpha 0.5, in/out range [-8, 8*127/128]): {0,1,3,1,-1,-2} -> {0,1,3,1,-0.5,-1}.
        float s = 8f / 128f; int z = 0;
        foreach (var c in new[] { RequantConvention.Reference, RequantConvention.Xnnpack })
        {
            var table = new byte[256];
            QuantizedActivations.PrepareLeakyRelu<sbyte>(c, 0.5f, s, z, s, z, table);
            var y = new sbyte[6];
            QuantizedLut.Apply<sbyte>(table, Q(new[] { 0f, 1f, 3f, 1f, -1f, -2f }, s, z), y);
            Assert.Equal(Q(new[] { 0f, 1f, 3f, 1f, -0.5f, -1f }, s, z), y);
        }
    }

    [Fact]
    public void LeakyReluXnnpackMatchesVlreluDefinitionAndRoundsTiesUp()
    {
        // XNNPACK's vlrelu tester definition, re-derived with 64-bit floor division, over every uint8 input.
        float si = 0.037f, so = 0.021f, alpha = 0.2f; int zi = 131, zo = 97;
        var table = new byte[256];
        QuantizedActivations.PrepareLeakyRelu<byte>(RequantConvention.Xnnpack, alpha, si, zi, so, zo, table);
        float pos = si / so, neg = pos * alpha;
        long mp = (long)Math.Round(-256.0 * pos, MidpointRounding.ToEven), mn = (long)Math.Round(-256.0 * (double)neg, MidpointRounding.ToEven);
        for (int q = 0; q < 256; q++)
        {
            long v = (zi - q) * 128L;
            long o = (long)Math.Floor((v * (v <= 0 ? mp : mn) + 16384) / 32768.0) + zo;
            Assert.Equal((int)Math.Clamp(o, 0, 255), table[q]);
        }
        // Ties: ratio 1, alpha 0.5, inputs -1 and -3 -> -0.5 and -1.5 round up in both conventions
        // (XNNPACK adds 2^14 before >> 15; gemmlowp's SRDHM rounds negative ties toward zero).
        foreach (var c in new[] { RequantConvention.Xnnpack, RequantConvention.Reference })
        {
            QuantizedActivations.PrepareLeakyRelu<sbyte>(c, 0.5f, 1f, 0, 1f, 0, table);
            Assert.Equal(0, (sbyte)table[255]);
            Assert.Equal(-1, (sbyte)table[253]);
        }
    }

    [Fact]
    public void HardSwishWithinOneOfFloat()
    {
        float si = 0.05f, so = 0.03f; int zi = -5, zo = -100;
        foreach (var c in new[] { RequantConvention.Reference, RequantConvention.Xnnpack })
        {
            var table = new byte[256];
            QuantizedActivations.PrepareHardSwish<sbyte>(c, si, zi, so, zo, table);
            var y = new sbyte[256];
            QuantizedLut.Apply<sbyte>(table, AllI8, y);
            for (int i = 0; i < 256; i++)
            {
                double x = si * (AllI8[i] - zi);
                double q = x * Math.Min(6, Math.Max(0, x + 3)) / 6 / so + zo;
                Assert.InRange(y[i], Math.Clamp((int)Math.Floor(q), -128, 127), Math.Clamp((int)Math.Ceiling(q), -128, 127));
            }
        }
    }

    [Fact]
    public void PreluInt8()
    {
        // activations_test.cc PReluInt8-style: input/output scale 1/16 (range [-8,8)), alpha {0, 0.5, -0.5}.
        float s = 1f / 16f;
        var p = QuantizedPrelu.Prepare<sbyte>(s, 0, 1f / 128f, 0, s, 0);
        float[] x = { 0, 0, 0, 0.5f, 0.5f, 0.5f, -1, -1, -1, -0.25f, -0.25f, -0.25f };
        var alpha = new sbyte[] { 0, 64, -64 };
        var y = new sbyte[12];
        QuantizedPrelu.Invoke<sbyte>(p, new[] { 1, 2, 2, 3 }, Q(x, s, 0), new[] { 1, 1, 3 }, alpha, new[] { 1, 2, 2, 3 }, y);
        Assert.Equal(Q(new float[] { 0, 0, 0, 0.5f, 0.5f, 0.5f, 0, -0.5f, 0.5f, 0, -0.125f, 0.125f }, s, 0), y);
    }

    [Fact]
    public void BadArguments()
    {
        Assert.Throws<ArgumentException>(() => QuantizedActivations.PrepareLogistic<sbyte>(RequantConvention.Reference, 0.1f, 0, new byte[10]));
        Assert.Throws<ArgumentOutOfRangeException>(() => QuantizedActivations.PrepareTanh<byte>(RequantConvention.Reference, 0.1f, -3, new byte[256]));
        Assert.Throws<ArgumentException>(() => QuantizedActivations.PrepareRelu<sbyte>(FusedActivation.Tanh, 0.1f, 0, 0.1f, 0, new byte[256]));
        Assert.Throws<ArgumentException>(() => QuantizedLut.Apply<sbyte>(new byte[256], new sbyte[3], new sbyte[4]));
    }
}
