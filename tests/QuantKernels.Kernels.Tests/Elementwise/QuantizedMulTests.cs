using Xunit;
using QuantKernels.Kernels.Elementwise;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Tests.Elementwise;

public class QuantizedMulTests
{
    public static TheoryData<RequantConvention> Conventions => new() { RequantConvention.Reference, RequantConvention.Xnnpack };

    // tflite-micro tensorflow/lite/micro/kernels/mul_test.cc SimpleInt8 / BroadcastInt8 (exact here: the products are representable).
    [Theory]
    [MemberData(nameof(Conventions))]
    public void MicroInt8Goldens(RequantConvention c)
    {
        int[] s = { 1, 2, 2, 1 };
        var p = QuantizedMul.Prepare<sbyte>(c, 0.01f, 0, 0.01f, 0, 0.01f, 0);
        var o = new sbyte[4];
        QuantizedMul.Invoke<sbyte>(p, s, TestQuant.I8(new[] { -0.8f, 0.2f, 0.9f, 0.7f }, 0.01f, 0), s, TestQuant.I8(new[] { 0.6f, 0.4f, 0.9f, 0.8f }, 0.01f, 0), s, o);
        Assert.Equal(new sbyte[] { -48, 8, 81, 56 }, o);
        var pr = QuantizedMul.Prepare<sbyte>(c, 0.01f, 0, 0.01f, 0, 0.01f, 0, FusedActivation.Relu);
        QuantizedMul.Invoke<sbyte>(pr, s, TestQuant.I8(new[] { -0.8f, 0.2f, 0.9f, 0.7f }, 0.01f, 0), s, TestQuant.I8(new[] { 0.6f, 0.4f, 0.9f, 0.8f }, 0.01f, 0), s, o);
        Assert.Equal(new sbyte[] { 0, 8, 81, 56 }, o);

        int[] sb = { 1, 3, 1, 2 };
        var pb = QuantizedMul.Prepare<sbyte>(c, 0.05f, 0, 0.05f, 0, 0.01f, 0);
        var ob = new sbyte[6];
        QuantizedMul.Invoke<sbyte>(pb, sb, TestQuant.I8(new[] { -2.0f, 0.2f, 0.7f, 0.8f, 1.1f, 2.0f }, 0.05f, 0), new[] { 1 }, TestQuant.I8(new[] { 0.1f }, 0.05f, 0), sb, ob);
        Assert.Equal(TestQuant.I8(new[] { -0.2f, 0.02f, 0.07f, 0.08f, 0.11f, 0.2f }, 0.01f, 0), ob);
    }

    [Fact]
    public void ReferenceMultiplierFromFloatProduct()
    {
        // TFLite forms s1*s2/so in float, then QuantizeMultiplier in double.
        float s1 = 0.0123f, s2 = 0.0456f, so = 0.0789f;
        var p = QuantizedMul.Prepare<sbyte>(RequantConvention.Reference, s1, 0, s2, 0, so, 0);
        var expected = FixedPoint.QuantizeMultiplier((double)(s1 * s2 / so));
        Assert.Equal(expected, (p.Multiplier, p.Shift));
    }

    [Fact]
    public void XnnpackMatchesFloatDefinition()
    {
        var rng = new Random(99);
        for (int setup = 0; setup < 40; setup++)
        {
            float sa = 0.005f + (float)rng.NextDouble() * 0.1f, sb = 0.005f + (float)rng.NextDouble() * 0.1f, so = 0.001f + (float)rng.NextDouble() * 0.05f;
            int za = rng.Next(0, 256), zb = rng.Next(0, 256), zo = rng.Next(0, 256);
            var p = QuantizedMul.Prepare<byte>(RequantConvention.Xnnpack, sa, za, sb, zb, so, zo);
            Assert.Equal(RequantConvention.Xnnpack, p.Convention);
            float scale = sa * sb / so;
            for (int k = 0; k < 300; k++)
            {
                int a = rng.Next(0, 256), b = rng.Next(0, 256);
                float f = (float)((a - za) * (b - zb)) * scale;
                double r = Math.Round((double)f, MidpointRounding.ToEven) + zo;
                Assert.Equal((int)Math.Clamp(r, 0, 255), QuantizedMul.Element(p, a, b));
            }
        }
    }

    [Fact]
    public void ConventionsDifferOnlyByRounding()
    {
        var rng = new Random(5);
        var pr = QuantizedMul.Prepare<sbyte>(RequantConvention.Reference, 0.02f, -3, 0.03f, 7, 0.004f, 2);
        var px = QuantizedMul.Prepare<sbyte>(RequantConvention.Xnnpack, 0.02f, -3, 0.03f, 7, 0.004f, 2);
        for (int k = 0; k < 2000; k++)
        {
            int a = rng.Next(-128, 128), b = rng.Next(-128, 128);
            Assert.InRange(QuantizedMul.Element(pr, a, b) - QuantizedMul.Element(px, a, b), -1, 1);
        }
    }

    [Fact]
    public void QuantizedMaxMinCompareRawValues()
    {
        int[] s = { 4 };
        var o = new sbyte[4];
        QuantizedMinMax.Invoke<sbyte>(true, s, new sbyte[] { -128, 5, 127, 0 }, new[] { 1 }, new sbyte[] { 3 }, s, o);
        Assert.Equal(new sbyte[] { 3, 5, 127, 3 }, o);
        var u = new byte[4];
        QuantizedMinMax.Invoke<byte>(false, s, new byte[] { 0, 5, 255, 200 }, new[] { 1 }, new byte[] { 100 }, s, u);
        Assert.Equal(new byte[] { 0, 5, 100, 100 }, u);
    }
}
