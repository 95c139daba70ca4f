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
