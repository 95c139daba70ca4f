using QuantKernels.Kernels.Convolution;
using QuantKernels.Kernels.FullyConnected;
using QuantKernels.Kernels.Tests.Convolution;

namespace QuantKernels.Kernels.Tests.ConvolutionSimd;

/// <summary>
/// int8 weights with a non-zero weight zero point (legal in the API, absent from TFLite's int8 models): on the ARM64
/// dot-product path this is the one case where int8 activation rows need the runtime row-sum correction. Every path
/// against the reference, for every K residue modulo 16 (the 16-byte chunks and 4-byte tail groups), batches 1-7
/// (the one-row kernel and the 6-row tile with missing rows), and a padded 3x3 convolution (padded taps hold zpIn).
/// </summary>
public class WeightZeroPointTests
{
    [Fact]
    public void Int8WeightsWithAZeroPointMatchTheReference()
    {
        var rng = new Random(11);
        int runs = 0;
        foreach (int k in new[] { 1, 2, 3, 4, 5, 8, 12, 15, 16, 17, 21, 30, 47 })
        foreach (int batches in new[] { 1, 2, 3, 7 })
        foreach (var convention in PackedCases.Conventions)
        {
            int n = 1 + rng.Next(20), zpW = rng.Next(2) == 0 ? -128 : rng.Next(-20, 21), zpIn = rng.Next(-128, 128);
            var p = QuantizedConvParams.Prepare(convention, 0.02f, zpIn, [0.01f], zpW, 0.02f * 0.01f * 40f, rng.Next(-10, 10), -128, 127, n);
            sbyte[] x = Enumerable.Range(0, batches * k).Select(_ => (sbyte)rng.Next(-128, 128)).ToArray();
            sbyte[] w = Enumerable.Range(0, n * k).Select(_ => (sbyte)rng.Next(-128, 128)).ToArray();
            int[] bias = RandomQuant.Bias(rng, n);
            var expected = new sbyte[batches * n];
            FullyConnectedReference.Run(batches, k, n, x, w, bias, p, expected);
            foreach (var path in PackedCases.Paths)
            {
                var actual = new sbyte[batches * n];
                FullyConnectedInt8Packed.Create(k, n, w, bias, p, path).Run(batches, x, actual);
                Assert.True(expected.AsSpan().SequenceEqual(actual), $"{path} {convention} K={k} batches={batches} zpW={zpW}: {PackedCases.Mismatch(expected, actual)}");
                runs++;
            }
        }
        Assert.True(runs >= 13 * 4 * 2 * PackedCases.Paths.Count());
    }

    [Fact]
    public void PaddedConvolutionWithAWeightZeroPointMatchesTheReference()
    {
        var rng = new Random(12);
        var g = Conv2DGeometry.Create(1, 5, 6, 5, 11, 3, 3, 5, 1, 1, 1, 1, PaddingType.Same);
        foreach (var convention in PackedCases.Conventions)
        foreach (int zpIn in new[] { -128, 127, 3 })
        {
            var p = QuantizedConvParams.Prepare(convention, 0.02f, zpIn, [0.01f], 7, 0.02f * 0.01f * 60f, 0, -128, 127, g.OutputChannels);
            sbyte[] x = Enumerable.Range(0, g.InputLength).Select(_ => (sbyte)rng.Next(-128, 128)).ToArray();
            sbyte[] f = Enumerable.Range(0, g.FilterLength).Select(_ => (sbyte)rng.Next(-128, 128)).ToArray();
            int[] bias = RandomQuant.Bias(rng, g.OutputChannels);
            var expected = new sbyte[g.OutputLength];
            Conv2DReference.Run(g, x, f, bias, p, expected);
            Assert.Contains(expected, v => v != expected[0]);
            foreach (var path in PackedCases.Paths)
            {
                var actual = new sbyte[g.OutputLength];
                Conv2DInt8Packed.Create(g, f, bias, p, path).Run(x, actual);
                Assert.True(expected.AsSpan().SequenceEqual(actual), $"{path} {convention} zpIn={zpIn}: {PackedCases.Mismatch(expected, actual)}");
            }
        }
    }
}
