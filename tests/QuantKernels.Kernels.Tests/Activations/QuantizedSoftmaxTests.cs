using QuantKernels.Kernels.Activations;
using QuantKernels.Kernels.Quantization;
using Xunit;

namespace QuantKernels.Kernels.Tests.Activations;

public class QuantizedSoftmaxTests
{
    private static sbyte[] Q(float[] v, float s, int z) => v.Select(x => (sbyte)Math.Clamp((int)MathF.Round(x / s, MidpointRounding.AwayFromZero) + z, -128, 127)).ToArray();

    private static T[] Run<T>(RequantConvention c, float inScale, T[] x, int depth, float beta = 1f) where T : unmanaged
    {
        var (os, oz) = QuantizedActivations.ProbabilityOutput<T>();
        var table = new float[Softmax.TableSize];
        var p = Softmax.Prepare<T>(c, inScale, beta, os, oz, table);
        var y = new T[x.Length];
        Softmax.Quantized<T>(p, table, x, y, depth);
        return y;
    }

    // tflite-micro tensorflow/lite/micro/kernels/softmax_test.cc Softmax2DQuantizedInt8 (tolerance 1 there) and the
    // 3-D vector; both conventions stay within one step of the goldens.
    [Theory]
    [InlineData(RequantConvention.Reference)]
    [InlineData(RequantConvention.Xnnpack)]
    public void MicroGoldensWithinOne(RequantConvention c)
    {
        float[] x = { 1, 2, 3, 4, 5, -1, -2, -3, -4, -5 };
        float[] g = { 0.011656231f, 0.031684921f, 0.086128544f, 0.234121657f, 0.636408647f, 0.636408647f, 0.234121657f, 0.086128544f, 0.031684921f, 0.011656231f };
        var y = Run<sbyte>(c, 0.1f, Q(x, 0.1f, 0), 5);
        var gq = Q(g, 1f / 256f, -128);
        for (int i = 0; i < y.Length; i++) Assert.InRange(y[i] - gq[i], -1, 1);

        float[] x3 = { 3, 6, -5, 4, -9, -10, -10, -8, 2, 2, 8, -5, -8, 5, -6, -8, 6, 1, -10, -8 };
        float[] g3 = { 0.042009463f, 0.843782625f, 0.000014093f, 0.114193561f, 0.000000258f, 0.000003072f, 0.000003072f, 0.000022699f, 0.499985578f, 0.499985578f,
                       0.952571219f, 0.000002153f, 0.000000107f, 0.047425728f, 0.000000792f, 0.000000826f, 0.993305397f, 0.006692839f, 0.000000112f, 0.000000826f };
        var y3 = Run<sbyte>(c, 0.1f, Q(x3, 0.1f, 0), 5);
        var g3q = Q(g3, 1f / 256f, -128);
        for (int i = 0; i < y3.Length; i++) Assert.InRange(y3[i] - g3q[i], -1, 1);
    }

    // tensorflow/lite/kernels/activations_test.cc QuantizedActivationsOpTest.Softmax1DInt8 / Softmax2DInt8: beta 0.1,
    // input range [-10, 10] (scale 20/255; softmax ignores the zero point), tolerance kQuantizedTolerance = 2/256.
    [Theory]
    [InlineData(RequantConvention.Reference)]
    [InlineData(RequantConvention.Xnnpack)]
    public void TfliteActivationsTestVectors(RequantConvention c)
    {
        float s = 20f / 255f;
        var x = Q(new float[] { 0, -6, 2, 4, 3, -2, 10, 1 }, s, 0);
        float[] g1 = { 0.09766f, 0.05469f, 0.12109f, 0.14453f, 0.13281f, 0.07813f, 0.26563f, 0.10938f };
        var y1 = Run<sbyte>(c, s, x, 8, 0.1f);
        for (int i = 0; i < 8; i++) Assert.InRange((y1[i] + 128) / 256f, g1[i] - 2f / 256f, g1[i] + 2f / 256f);
        float[] g2 = { .23463f, .12877f, .28658f, .35003f, .22528f, .13664f, .45365f, .18443f };
        var y2 = Run<sbyte>(c, s, x, 4, 0.1f);
        for (int i = 0; i < 8; i++) Assert.InRange((y2[i] + 128) / 256f, g2[i] - 2f / 256f, g2[i] + 2f / 256f);
        float[] g3 = { 0.645656f, 0.354344f, 0.450166f, 0.549834f, 0.622459f, 0.377541f, 0.710949f, 0.28905f };
        var y3 = Run<byte>(c, s, x.Select(v => (byte)(v + 128)).ToArray(), 2, 0.1f);
        for (int i = 0; i < 8; i++) Assert.InRange(y3[i] / 256f, g3[i] - 2f / 256f, g3[i] + 2f / 256f);
    }

    [Fact]
    public void ReferenceHalvesExactly()
    {
        // Two equal logits: sum = 2 * 2^19 in Q12, reciprocal exactly 1/2 -> 128/256 -> int8 0, uint8 128.
        Assert.Equal(new sbyte[] { 0, 0 }, Run<sbyte>(RequantConvention.Reference, 0.1f, new sbyte[] { 7, 7 }, 2));
        Assert.Equal(new byte[] { 128, 128 }, Run<byte>(RequantConvention.Reference, 0.1f, new byte[] { 7, 7 }, 2));
        Assert.Equal(new sbyte[] { 0, 0 }, Run<sbyte>(RequantConvention.Xnnpack, 0.1f, new sbyte[] { 7, 7 }, 2));
        Assert.Equal(new byte[] { 128, 128 }, Run<byte>(RequantConvention.Xnnpack, 0.1f, new byte[] { 7, 7 }, 2));
    }

    [Fact]
    public void ReferenceParamsArePreprocessSoftmaxScaling()
    {
        // beta 1, s_in 0.1: real = 0.1 * 2^26 -> QuantizeMultiplier; diff_min = -floor(31 * 2^26 / 2^shift).
        var p = Softmax.Prepare<sbyte>(RequantConvention.Reference, 0.1f, 1f, 1f / 256f, -128, default);
        var (m, s) = FixedPoint.QuantizeMultiplier(1.0 * 0.1f * (1 << 26));
        Assert.Equal((m, s), (p.InputMultiplier, p.InputLeftShift));
        Assert.Equal(-(int)Math.Floor(31.0 * (1 << 26) / (1L << s)), p.DiffMin);
    }

    [Fact]
    public void XnnpackMatchesTableDefinitionAndIsCloseToFloat64()
    {
        // The Xnnpack convention = TFLite's optimized LUT softmax; check it against an independent
        // evaluation of that definition (float table, float32 sequential sum) and against float64 softmax.
        var rng = new Random(11);
        int depth = 37, rows = 30;
        float s = 0.07f, beta = 1.3f;
        var x = new sbyte[rows * depth];
        rng.NextBytes((Span<byte>)System.Runtime.InteropServices.MemoryMarshal.AsBytes(x.AsSpan()));
        var y = Run<sbyte>(RequantConvention.Xnnpack, s, x, depth, beta);
        int exact = 0;
        for (int r = 0; r < rows; r++)
        {
            var row = x.AsSpan(r * depth, depth);
            int mx = -128;
            foreach (var v in row) mx = Math.Max(mx, v);
            float sum = 0f;
            foreach (var v in row) sum += MathF.Exp(-s * beta * (mx - v));
            double dsum = 0;
            foreach (var v in row) dsum += Math.Exp((double)s * beta * (v - mx));
            for (int i = 0; i < depth; i++)
            {
                float prob = MathF.Exp(-s * beta * (mx - row[i])) * (1f / (sum * (1f / 256f)));
                int expected = Math.Clamp((int)MathF.Round(prob, MidpointRounding.AwayFromZero) - 128, -128, 127);
                Assert.Equal(expected, y[r * depth + i]);
                double real = Math.Exp((double)s * beta * (row[i] - mx)) / dsum * 256 - 128;
                int q64 = Math.Clamp((int)Math.Round(real, MidpointRounding.AwayFromZero), -128, 127);
                Assert.InRange(y[r * depth + i] - q64, -1, 1);
                if (y[r * depth + i] == q64) exact++;
            }
        }
        Assert.True(exact >= rows * depth * 99 / 100, $"only {exact} of {rows * depth} equal float64 softmax");
    }

    [Fact]
    public void ReferenceCloseToFloat64()
    {
        var rng = new Random(3);
        int depth = 20, rows = 40;
        float s = 0.05f;
        var x = new byte[rows * depth];
        rng.NextBytes(x);
        var y = Run<byte>(RequantConvention.Reference, s, x, depth);
        for (int r = 0; r < rows; r++)
        {
            var row = x.AsSpan(r * depth, depth);
            int mx = 0;
            foreach (var v in row) mx = Math.Max(mx, v);
            double dsum = 0;
            foreach (var v in row) dsum += Math.Exp(s * (v - mx));
            for (int i = 0; i < depth; i++)
            {
                double real = Math.Exp(s * (row[i] - mx)) / dsum * 256;
                Assert.InRange(y[r * depth + i], Math.Max(0, (int)Math.Floor(real) - 1), Math.Min(255, (int)Math.Ceiling(real) + 1));
            }
        }
    }

    [Fact]
    public void BadArguments()
    {
        Assert.Throws<ArgumentException>(() => Softmax.Prepare<sbyte>(RequantConvention.Xnnpack, 0.1f, 1f, 1f / 256f, -128, new float[5]));
        var t = new float[256];
        var p = Softmax.Prepare<sbyte>(RequantConvention.Xnnpack, 0.1f, 1f, 1f / 256f, -128, t);
        Assert.Throws<ArgumentException>(() => Softmax.Quantized<sbyte>(p, t, new sbyte[7], new sbyte[7], 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Softmax.Quantized<sbyte>(p, t, new sbyte[5], new sbyte[5], 0));
    }
}
