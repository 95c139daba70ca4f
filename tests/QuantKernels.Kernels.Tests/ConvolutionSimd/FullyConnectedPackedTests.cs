using QuantKernels.Kernels.Convolution;
using QuantKernels.Kernels.FullyConnected;
using QuantKernels.Kernels.Tests.Convolution;

namespace QuantKernels.Kernels.Tests.ConvolutionSimd;

/// <summary><see cref="FullyConnectedInt8Packed"/> on every ISA path against <see cref="FullyConnectedReference"/>, bit for bit.</summary>
public class FullyConnectedPackedTests
{
    public static readonly TheoryData<int, int, int> Shapes = new()
    {
        { 1, 1, 1 },
        { 1, 3, 7 },
        { 2, 17, 33 },
        { 7, 33, 17 },   // 7 rows: one full 6-row tile plus one
        { 13, 64, 16 },  // whole blocks, K even
        { 1, 1024, 40 }, // FC-like depth, batch 1
        { 6, 31, 48 },   // K odd, exactly one tile
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Int8MatchesReferenceOnEveryPath(int batches, int k, int n) => Check(false, batches, k, n);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Uint8MatchesReferenceOnEveryPath(int batches, int k, int n) => Check(true, batches, k, n);

    private static void Check(bool unsigned, int batches, int k, int n)
    {
        var rng = new Random(PackedCases.Seed(unsigned ? 1 : 0, batches, k, n));
        int runs = 0, saturated = 0;
        foreach (var (s, p) in PackedCases.Params(unsigned, n, k, rng))
        {
            int[] input = RandomQuant.Activations(rng, batches * k, unsigned);
            int[] weights = PackedCases.Weights(rng, n * k, unsigned);
            int[] bias = rng.Next(4) == 0 ? [] : RandomQuant.Bias(rng, n);
            foreach (var path in PackedCases.Paths)
            {
                if (unsigned)
                {
                    byte[] x = TfliteTestQuant.U8(input), wt = TfliteTestQuant.U8(weights);
                    var expected = new byte[batches * n];
                    var actual = new byte[batches * n];
                    FullyConnectedReference.Run(batches, k, n, x, wt, bias, p, expected);
                    var fc = FullyConnectedInt8Packed.Create(k, n, wt, bias, p, path);
                    Assert.Equal(path, fc.Path);
                    fc.Run(batches, x, actual);
                    Assert.True(expected.AsSpan().SequenceEqual(actual), $"{path} {p.Convention} {s}: {PackedCases.Mismatch(expected, actual)}");
                    saturated += actual.Count(v => v == s.Min || v == s.Max);
                }
                else
                {
                    sbyte[] x = TfliteTestQuant.S8(input), wt = TfliteTestQuant.S8(weights);
                    var expected = new sbyte[batches * n];
                    var actual = new sbyte[batches * n];
                    FullyConnectedReference.Run(batches, k, n, x, wt, bias, p, expected);
                    var fc = FullyConnectedInt8Packed.Create(k, n, wt, bias, p, path);
                    Assert.Equal(path, fc.Path);
                    fc.Run(batches, x, actual);
                    Assert.True(expected.AsSpan().SequenceEqual(actual), $"{path} {p.Convention} {s}: {PackedCases.Mismatch(expected, actual)}");
                    saturated += actual.Count(v => v == s.Min || v == s.Max);
                }
                runs++;
            }
        }
        Assert.True(runs >= 10 * PackedCases.Paths.Count(), $"only {runs} runs");
        Assert.True(saturated > 0, "no output hit the clamp");
    }

    [Fact]
    public void RejectsBadArguments()
    {
        var p = QuantizedConvParams.Prepare(Quantization.RequantConvention.Reference, 0.1f, 0, [0.1f], 0, 0.1f, 0, -128, 127, 3);
        Assert.Throws<ArgumentException>(() => FullyConnectedInt8Packed.Create(4, 3, new sbyte[11], [], p, IsaPath.Scalar));
        Assert.Throws<ArgumentException>(() => FullyConnectedInt8Packed.Create(4, 3, new sbyte[12], new int[2], p, IsaPath.Scalar));
        Assert.Throws<ArgumentException>(() => FullyConnectedInt8Packed.Create(0, 3, new sbyte[0], [], p, IsaPath.Scalar));
        var fc = FullyConnectedInt8Packed.Create(4, 3, new sbyte[12], [], p, Dispatch.Select(null));
        Assert.Throws<ArgumentException>(() => fc.Run(2, new sbyte[7], new sbyte[6]));
        Assert.Throws<ArgumentException>(() => fc.Run(2, new sbyte[8], new sbyte[5]));
        Assert.Throws<ArgumentException>(() => fc.Run(0, new sbyte[0], new sbyte[0]));
        Assert.Throws<ArgumentException>(() => fc.Run(2, new byte[8], new byte[6]));
    }
}

/// <summary>
/// Exact halfway cases, where the two conventions round differently (xnnpack: half to even; reference: SRDHM's nudge
/// then RoundingDivideByPOT half away from zero): power-of-two effective scales make (float)acc * scale land on .5
/// for many accumulators. Every path must match the reference kernel on every one of them.
/// </summary>
public class PackedTiesTests
{
    [Fact]
    public void HalfwayAccumulatorsRoundLikeTheReference()
    {
        // acc = bias[n] + x * 1 over K = 1; per-channel weight scales make the effective scale 1/2, 1/4, 1/8, 3/2.
        float[] wScales = [0.5f, 0.25f, 0.125f, 1.5f, 0.5f, 0.25f, 0.125f, 1.5f, 0.5f, 0.25f, 0.125f, 1.5f, 0.5f, 0.25f, 0.125f, 1.5f, 0.5f];
        int n = wScales.Length;
        int[] bias = Enumerable.Range(0, n).Select(i => i * 7 - 60).ToArray();
        sbyte[] weights = Enumerable.Repeat((sbyte)1, n).ToArray();
        sbyte[] input = Enumerable.Range(-128, 256).Select(v => (sbyte)v).ToArray(); // 256 rows of K = 1
        int ties = 0;
        foreach (var convention in PackedCases.Conventions)
        {
            var p = QuantizedConvParams.Prepare(convention, 1f, 0, wScales, 0, 1f, 0, -128, 127, n);
            var expected = new sbyte[256 * n];
            FullyConnectedReference.Run(256, 1, n, input, weights, bias, p, expected);
            if (convention == Quantization.RequantConvention.Xnnpack)
                for (int r = 0; r < 256; r++)
                for (int c = 0; c < n; c++)
                {
                    float scaled = (input[r] + bias[c]) * (wScales[c]);
                    if (MathF.Abs(scaled - MathF.Truncate(scaled)) == 0.5f && MathF.Abs(scaled) < 127) ties++;
                }
            foreach (var path in PackedCases.Paths)
            {
                var actual = new sbyte[256 * n];
                FullyConnectedInt8Packed.Create(1, n, weights, bias, p, path).Run(256, input, actual);
                Assert.True(expected.AsSpan().SequenceEqual(actual), $"{path} {convention}: {PackedCases.Mismatch(expected, actual)}");
                var g = Conv2DGeometry.Create(1, 16, 16, 1, n, 1, 1, 1, 1, 1, 1, 1, PaddingType.Valid);
                var conv = new sbyte[256 * n];
                Conv2DInt8Packed.Create(g, weights, bias, p, path).Run(input, conv);
                Assert.True(expected.AsSpan().SequenceEqual(conv), $"conv {path} {convention}: {PackedCases.Mismatch(expected, conv)}");
            }
        }
        Assert.True(ties > 500, $"only {ties} halfway cases");
    }
}
