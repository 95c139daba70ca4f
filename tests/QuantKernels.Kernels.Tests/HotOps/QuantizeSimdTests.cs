using QuantKernels.Kernels.Conversion;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Tests.HotOps;

/// <summary><see cref="QuantizeSimd"/> on every path equals the scalar <see cref="Quantize"/> of the same convention.</summary>
public class QuantizeSimdTests
{
    [Theory]
    [MemberData(nameof(HotOpCases.PathsAndConventions), MemberType = typeof(HotOpCases))]
    public void Int8_and_uint8_equal_the_scalar_reference(IsaPath path, RequantConvention convention)
    {
        var rng = new Random(1234 + (int)path * 10 + (int)convention);
        int cases = 0;
        foreach (int n in HotOpCases.Lengths)
        {
            foreach (float scale in new[] { 1f / 255, 0.5f, 0.0078125f, 3.7e-5f, 17.25f, (float)rng.NextDouble() + 1e-3f })
            {
                float[] x = Inputs(rng, n, scale);
                int zp8 = new[] { -128, 127, 0, rng.Next(-128, 128) }[rng.Next(4)];
                int zpU = new[] { 0, 255, 128, rng.Next(0, 256) }[rng.Next(4)];
                var expected8 = new sbyte[n];
                var actual8 = new sbyte[n];
                Quantize.Float<sbyte>(convention, x, expected8, scale, zp8);
                QuantizeSimd.Run(path, convention, x, actual8, scale, zp8);
                Assert.True(expected8.AsSpan().SequenceEqual(actual8), $"int8 n={n} scale={scale} zp={zp8}: {HotOpCases.Mismatch<sbyte>(expected8, actual8)}");
                var expectedU = new byte[n];
                var actualU = new byte[n];
                Quantize.Float<byte>(convention, x, expectedU, scale, zpU);
                QuantizeSimd.Run(path, convention, x, actualU, scale, zpU);
                Assert.True(expectedU.AsSpan().SequenceEqual(actualU), $"uint8 n={n} scale={scale} zp={zpU}: {HotOpCases.Mismatch<byte>(expectedU, actualU)}");
                cases++;
            }
        }
        Assert.True(cases > 400);
    }

    [Theory]
    [MemberData(nameof(HotOpCases.PathsAndConventions), MemberType = typeof(HotOpCases))]
    public void Ties_round_as_the_convention_says(IsaPath path, RequantConvention convention)
    {
        // 32 ties so every path's vector body (not only the scalar tail) sees them.
        float[] x = Enumerable.Range(0, 32).Select(i => (i - 16) + 0.5f).ToArray();
        var q = new sbyte[32];
        QuantizeSimd.Run(path, convention, x, q, 1f, 0);
        for (int i = 0; i < 32; i++)
        {
            float t = x[i];
            float expected = convention == RequantConvention.Xnnpack
                ? MathF.Round(t, MidpointRounding.ToEven)
                : MathF.Round(t, MidpointRounding.AwayFromZero);
            Assert.Equal((sbyte)expected, q[i]);
        }
    }

    [Fact]
    public void Mismatched_lengths_and_bad_scales_throw()
    {
        Assert.Throws<ArgumentException>(() => QuantizeSimd.Run(IsaPath.Scalar, RequantConvention.Xnnpack, new float[3], new sbyte[2], 1f, 0));
        Assert.Throws<ArgumentException>(() => QuantizeSimd.Run(IsaPath.Vector128, RequantConvention.Reference, new float[3], new byte[3], 0f, 0));
        Assert.Throws<ArgumentException>(() => QuantizeSimd.Run(IsaPath.Vector128, RequantConvention.Reference, new float[3], new byte[3], float.PositiveInfinity, 0));
    }

    /// <summary>Mostly values in and around the representable range, with exact ties, NaN, infinities, huge values,
    /// signed zeros and values one ulp either side of a tie.</summary>
    private static float[] Inputs(Random rng, int n, float scale)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = rng.Next(12) switch
            {
                0 => (rng.Next(-300, 300) + 0.5f) * scale,
                1 => float.NaN,
                2 => rng.Next(2) == 0 ? float.PositiveInfinity : float.NegativeInfinity,
                3 => (rng.Next(2) == 0 ? 1 : -1) * 3e9f,
                4 => rng.Next(2) == 0 ? 0f : -0f,
                5 => MathF.BitIncrement((rng.Next(-200, 200) + 0.5f) * scale),
                6 => MathF.BitDecrement((rng.Next(-200, 200) + 0.5f) * scale),
                7 => (float)(rng.NextDouble() * 2e7 - 1e7),
                _ => (float)((rng.NextDouble() * 600 - 300) * scale),
            };
        }
        return x;
    }
}
