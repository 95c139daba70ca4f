using Xunit;
using QuantKernels.Kernels.Elementwise;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Tests.Elementwise;

public class QuantizedDivTests
{
    [Fact]
    public void TfliteDivTestVector()
    {
        // tensorflow/lite/kernels/div_test.cc QuantizedDivOpTest (uint8, all tensors in [-1, 1]):
        // {-0.8, -0.2, 0.3, 0.7} / {-0.8, 0.4, 0.8, 1.0} ~ {1.0, -0.5, 0.375, 0.7} within the test tolerance.
        float s = 2f / 255f; int z = 128;
        var p = QuantizedDiv.Prepare(RequantConvention.Reference, s, z, s, z, s, z);
        int[] sh = { 1, 2, 2, 1 };
        var o = new byte[4];
        QuantizedDiv.Invoke(p, sh, TestQuant.U8(new[] { -0.8f, -0.2f, 0.3f, 0.7f }, s, z), sh, TestQuant.U8(new[] { -0.8f, 0.4f, 0.8f, 1.0f }, s, z), sh, o);
        float[] g = { 1.0f, -0.5f, 0.375f, 0.7f };
        for (int i = 0; i < 4; i++) Assert.InRange((o[i] - z) * s, g[i] - 2 * s, g[i] + 2 * s);
    }

    [Fact]
    public void CloseToRealQuotient()
    {
        var rng = new Random(17);
        for (int setup = 0; setup < 20; setup++)
        {
            float sa = 0.01f + (float)rng.NextDouble() * 0.05f, sb = 0.01f + (float)rng.NextDouble() * 0.05f, so = 0.05f + (float)rng.NextDouble() * 0.2f;
            int za = rng.Next(0, 256), zb = rng.Next(0, 256), zo = rng.Next(0, 256);
            var p = QuantizedDiv.Prepare(RequantConvention.Reference, sa, za, sb, zb, so, zo);
            for (int k = 0; k < 300; k++)
            {
                int a = rng.Next(0, 256), b = rng.Next(0, 256);
                if (b == zb) continue;
                double real = (a - za) * (double)sa / ((b - zb) * (double)sb) / so + zo;
                Assert.InRange(QuantizedDiv.Element(p, a, b), Math.Clamp((int)Math.Floor(real) - 1, 0, 255), Math.Clamp((int)Math.Ceiling(real) + 1, 0, 255));
            }
        }
    }

    [Fact]
    public void ZeroDivisorThrows()
    {
        var p = QuantizedDiv.Prepare(RequantConvention.Reference, 0.1f, 0, 0.1f, 7, 0.1f, 0);
        Assert.Throws<DivideByZeroException>(() => QuantizedDiv.Element(p, 10, 7));
        Assert.Throws<ArgumentOutOfRangeException>(() => QuantizedDiv.Prepare(RequantConvention.Reference, 0.1f, -1, 0.1f, 7, 0.1f, 0));
    }
}
