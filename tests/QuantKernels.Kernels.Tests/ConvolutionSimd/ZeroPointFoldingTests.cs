using QuantKernels.Kernels.Convolution;
using QuantKernels.Kernels.FullyConnected;
using QuantKernels.Kernels.Quantization;
using QuantKernels.Kernels.Tests.Convolution;

namespace QuantKernels.Kernels.Tests.ConvolutionSimd;

/// <summary>
/// The zero-point terms the packed paths fold into the bias or a per-row correction (the AVX-VNNI path turns int8
/// activations into u8 and uint8 weights into s8, see PackedInt8GemmVnni): every path against the reference with
/// input and weight zero points at both ends of their range and in between (including int8 weights with a non-zero
/// zero point, which the sweeps' TFLite-like setups never have), activations and weights mostly at their extremes,
/// K not a multiple of 4, padded taps, and outputs that saturate.
/// </summary>
public class ZeroPointFoldingTests
{
    public static readonly TheoryData<bool, int, int> ZeroPoints = new()
    {
        { false, -128, 0 }, { false, 127, 0 }, { false, -128, 127 }, { false, 127, -128 }, { false, 3, -5 },
        { true, 0, 0 }, { true, 255, 255 }, { true, 0, 255 }, { true, 255, 0 }, { true, 128, 128 }, { true, 77, 131 },
    };

    [Theory]
    [MemberData(nameof(ZeroPoints))]
    public void ConvMatchesReferenceOnEveryPath(bool unsigned, int inZp, int weightZp)
    {
        var rng = new Random(PackedCases.Seed(unsigned ? 1 : 0, inZp, weightZp));
        // 3x3 SAME (padded taps, K = 9*7 = 63), 1x1 pointwise (K = 37), 3x3 stride 2 on 3 channels (K = 27).
        Conv2DGeometry[] shapes =
        [
            Conv2DGeometry.Create(1, 5, 7, 7, 19, 3, 3, 7, 1, 1, 1, 1, PaddingType.Same),
            Conv2DGeometry.Create(1, 4, 5, 37, 21, 1, 1, 37, 1, 1, 1, 1, PaddingType.Valid),
            Conv2DGeometry.Create(2, 7, 6, 3, 17, 3, 3, 3, 2, 2, 1, 1, PaddingType.Same),
        ];
        foreach (var g in shapes)
        foreach (var convention in PackedCases.Conventions)
        {
            var (p, input, filter, bias) = Setup(rng, unsigned, inZp, weightZp, convention, g.OutputChannels, g.InputLength, g.FilterLength);
            foreach (var path in PackedCases.Paths)
            {
                if (unsigned)
                {
                    byte[] x = TfliteTestQuant.U8(input), f = TfliteTestQuant.U8(filter);
                    var expected = new byte[g.OutputLength];
                    Conv2DReference.Run(g, x, f, bias, p, expected);
                    var actual = new byte[g.OutputLength];
                    Conv2DInt8Packed.Create(g, f, bias, p, path).Run(x, actual);
                    Assert.True(expected.AsSpan().SequenceEqual(actual), $"{path} {convention} {g.FilterHeight}x{g.FilterWidth}: {PackedCases.Mismatch(expected, actual)}");
                }
                else
                {
                    sbyte[] x = TfliteTestQuant.S8(input), f = TfliteTestQuant.S8(filter);
                    var expected = new sbyte[g.OutputLength];
                    Conv2DReference.Run(g, x, f, bias, p, expected);
                    var actual = new sbyte[g.OutputLength];
                    Conv2DInt8Packed.Create(g, f, bias, p, path).Run(x, actual);
                    Assert.True(expected.AsSpan().SequenceEqual(actual), $"{path} {convention} {g.FilterHeight}x{g.FilterWidth}: {PackedCases.Mismatch(expected, actual)}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(ZeroPoints))]
    public void FullyConnectedMatchesReferenceOnEveryPath(bool unsigned, int inZp, int weightZp)
    {
        var rng = new Random(PackedCases.Seed(2, unsigned ? 1 : 0, inZp, weightZp));
        foreach (var (batches, k, n) in new[] { (1, 1023, 37), (7, 41, 16), (3, 2, 5) })
        foreach (var convention in PackedCases.Conventions)
        {
            var (p, input, weights, bias) = Setup(rng, unsigned, inZp, weightZp, convention, n, batches * k, n * k);
            foreach (var path in PackedCases.Paths)
            {
                if (unsigned)
                {
                    byte[] x = TfliteTestQuant.U8(input), w = TfliteTestQuant.U8(weights);
                    var expected = new byte[batches * n];
                    FullyConnectedReference.Run(batches, k, n, x, w, bias, p, expected);
                    var actual = new byte[batches * n];
                    FullyConnectedInt8Packed.Create(k, n, w, bias, p, path).Run(batches, x, actual);
                    Assert.True(expected.AsSpan().SequenceEqual(actual), $"{path} {convention} {batches}x{k}->{n}: {PackedCases.Mismatch(expected, actual)}");
                }
                else
                {
                    sbyte[] x = TfliteTestQuant.S8(input), w = TfliteTestQuant.S8(weights);
                    var expected = new sbyte[batches * n];
                    FullyConnectedReference.Run(batches, k, n, x, w, bias, p, expected);
                    var actual = new sbyte[batches * n];
                    FullyConnectedInt8Packed.Create(k, n, w, bias, p, path).Run(batches, x, actual);
                    Assert.True(expected.AsSpan().SequenceEqual(actual), $"{path} {convention} {batches}x{k}->{n}: {PackedCases.Mismatch(expected, actual)}");
                }
            }
        }
    }

    /// <summary>Values mostly at the type's extremes (the largest products), per-channel weight scales, a small
    /// output scale so both clamps are hit, and a bias.</summary>
    private static (QuantizedConvParams, int[] Input, int[] Weights, int[] Bias) Setup(Random rng, bool unsigned, int inZp, int weightZp,
        RequantConvention convention, int channels, int inputLength, int weightLength)
    {
        int lo = unsigned ? 0 : -128, hi = unsigned ? 255 : 127;
        int Extreme() => rng.Next(3) switch { 0 => lo, 1 => hi, _ => rng.Next(lo, hi + 1) };
        int[] input = Enumerable.Range(0, inputLength).Select(_ => Extreme()).ToArray();
        int[] weights = Enumerable.Range(0, weightLength).Select(_ => Extreme()).ToArray();
        int[] bias = Enumerable.Range(0, channels).Select(_ => rng.Next(-100000, 100000)).ToArray();
        float[] scales = Enumerable.Range(0, channels).Select(_ => 0.001f + 0.01f * (float)rng.NextDouble()).ToArray();
        int outZp = rng.Next(lo, hi + 1);
        var p = QuantizedConvParams.Prepare(convention, 0.05f, inZp, scales, weightZp, 2.0f, outZp, lo, hi, channels);
        return (p, input, weights, bias);
    }
}
