using QuantKernels.Kernels.Convolution;
using QuantKernels.Kernels.FullyConnected;
using QuantKernels.Kernels.Quantization;
using QuantKernels.Kernels.Tests.Convolution;
using Xunit;

namespace QuantKernels.Kernels.Tests.FullyConnected;

/// <summary>
/// Seeded random FULLY_CONNECTED cases against <see cref="ConvOracle"/> in both conventions: int8 per-row and
/// per-tensor weights, uint8 weights with a zero point, extreme zero points, saturation, odd sizes.
/// </summary>
public class FullyConnectedRandomTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(1, 17, 5)]
    [InlineData(3, 64, 7)]
    [InlineData(4, 33, 10)]
    [InlineData(2, 255, 3)]
    public void Int8MatchesOracle(int batches, int k, int units) => Check(false, batches, k, units);

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(1, 17, 5)]
    [InlineData(3, 64, 7)]
    [InlineData(4, 33, 10)]
    [InlineData(2, 255, 3)]
    public void Uint8MatchesOracle(int batches, int k, int units) => Check(true, batches, k, units);

    private static void Check(bool unsigned, int batches, int k, int units)
    {
        var rng = new Random(HashCode.Combine(unsigned, batches, k, units));
        int saturated = 0, total = 0;
        foreach (var s in RandomQuant.Setups(unsigned, units, k, rng))
        {
            int[] input = RandomQuant.Activations(rng, batches * k, unsigned);
            int[] weights = RandomQuant.Weights(rng, units * k, unsigned);
            int[]? bias = rng.Next(4) == 0 ? null : RandomQuant.Bias(rng, units);
            long[] acc = ConvOracle.FcAcc(input, batches, k, weights, units, bias, s.InZp, s.WeightZp);
            foreach (var convention in new[] { RequantConvention.Xnnpack, RequantConvention.Reference })
            {
                var p = QuantizedConvParams.Prepare(convention, s.InScale, s.InZp, s.WeightScales, s.WeightZp, s.OutScale, s.OutZp, s.Min, s.Max, units);
                int[] expected = acc.Select((a, i) => convention == RequantConvention.Xnnpack
                    ? ConvOracle.Xnnpack(a, s.InScale, s.WeightScale(i % units), s.OutScale, s.OutZp, s.Min, s.Max)
                    : ConvOracle.Reference(a, s.InScale, s.WeightScale(i % units), s.OutScale, s.OutZp, s.Min, s.Max)).ToArray();
                int[] actual;
                if (unsigned)
                {
                    var output = new byte[batches * units];
                    FullyConnectedReference.Run(batches, k, units, TfliteTestQuant.U8(input), TfliteTestQuant.U8(weights), bias ?? Array.Empty<int>(), p, output);
                    actual = output.Select(v => (int)v).ToArray();
                }
                else
                {
                    var output = new sbyte[batches * units];
                    FullyConnectedReference.Run(batches, k, units, TfliteTestQuant.S8(input), TfliteTestQuant.S8(weights), bias ?? Array.Empty<int>(), p, output);
                    actual = output.Select(v => (int)v).ToArray();
                }
                Assert.True(expected.SequenceEqual(actual), $"{convention}, {s}: first mismatch at {Conv2DRandomTests.FirstMismatch(expected, actual)}");
                saturated += actual.Count(v => v == s.Min || v == s.Max);
                total += actual.Length;
            }
        }
        Assert.InRange(saturated, 1, total);
    }

    [Fact]
    public void BadArgumentsThrow()
    {
        var p = QuantizedConvParams.Prepare(RequantConvention.Xnnpack, 0.5f, 0, new[] { 0.01f }, 0, 0.1f, 0, -128, 127, 3);
        Assert.Throws<ArgumentException>(() => FullyConnectedReference.Run(2, 4, 3, new sbyte[7], new sbyte[12], new int[3], p, new sbyte[6]));
        Assert.Throws<ArgumentException>(() => FullyConnectedReference.Run(2, 4, 3, new sbyte[8], new sbyte[11], new int[3], p, new sbyte[6]));
        Assert.Throws<ArgumentException>(() => FullyConnectedReference.Run(2, 4, 3, new sbyte[8], new sbyte[12], new int[2], p, new sbyte[6]));
        Assert.Throws<ArgumentException>(() => FullyConnectedReference.Run(2, 4, 3, new sbyte[8], new sbyte[12], new int[3], p, new sbyte[5]));
        Assert.Throws<ArgumentException>(() => FullyConnectedReference.Run(0, 4, 3, new sbyte[0], new sbyte[12], new int[3], p, new sbyte[0]));
        Assert.Throws<ArgumentException>(() => FullyConnectedReference.Run(2, 4, 4, new sbyte[8], new sbyte[16], new int[4], p, new sbyte[8]));
        Assert.Throws<ArgumentException>(() => FullyConnectedReference.Run(2, 4, 3, new byte[8], new byte[12], new int[3], p, new byte[6]));
        Assert.Throws<ArgumentException>(() => FullyConnectedReference.Run(2, 4, 3, new float[8], new float[12], new float[3], 1, 0, new float[6]));
        Assert.Throws<ArgumentException>(() => FullyConnectedReference.Run(2, 4, 3, new float[8], new float[13], new float[3], 0, 1, new float[6]));
    }
}
