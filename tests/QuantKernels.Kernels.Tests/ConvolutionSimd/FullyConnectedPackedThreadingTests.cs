using QuantKernels.Kernels.Convolution;
using QuantKernels.Kernels.FullyConnected;
using QuantKernels.Kernels.Tests.Convolution;

namespace QuantKernels.Kernels.Tests.ConvolutionSimd;

/// <summary>
/// <see cref="FullyConnectedInt8Packed"/> split into parts over blocks of output channels: 1-3 parts (and more parts
/// than blocks) run concurrently on their own workers, and one after another on one worker, are bit-identical to
/// <see cref="FullyConnectedReference"/> on every ISA path, with batch 1 (the FC of an image classifier) and several rows.
/// </summary>
public class FullyConnectedPackedThreadingTests
{
    // batches, k, n
    public static readonly TheoryData<int, int, int> Shapes = new()
    {
        { 1, 1024, 100 }, // FC-like, 7 blocks (last partial)
        { 7, 33, 17 },    // 2 blocks, 7 rows
        { 2, 5, 9 },      // 1 block: every part but one is empty
        { 1, 64, 48 },    // 3 whole blocks
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Int8PartsMatchReference(int batches, int k, int n) => Check(false, batches, k, n);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Uint8PartsMatchReference(int batches, int k, int n) => Check(true, batches, k, n);

    private static void Check(bool unsigned, int batches, int k, int n)
    {
        var rng = new Random(PackedCases.Seed(unsigned ? 21 : 20, batches, k, n));
        int runs = 0;
        foreach (var (s, p) in PackedCases.Params(unsigned, n, k, rng).Take(6))
        {
            int[] input = RandomQuant.Activations(rng, batches * k, unsigned);
            int[] weights = PackedCases.Weights(rng, n * k, unsigned);
            int[] bias = RandomQuant.Bias(rng, n);
            foreach (var path in PackedCases.Paths)
            {
                string what = $"{path} {p.Convention} {s}";
                if (unsigned)
                {
                    byte[] x = TfliteTestQuant.U8(input), wt = TfliteTestQuant.U8(weights);
                    var expected = new byte[batches * n];
                    FullyConnectedReference.Run(batches, k, n, x, wt, bias, p, expected);
                    var fc = FullyConnectedInt8Packed.Create(k, n, wt, bias, p, path);
                    runs += CheckParts(fc, expected, (part, parts, worker, y) => fc.Run(x, y, part, parts, worker), what);
                }
                else
                {
                    sbyte[] x = TfliteTestQuant.S8(input), wt = TfliteTestQuant.S8(weights);
                    var expected = new sbyte[batches * n];
                    FullyConnectedReference.Run(batches, k, n, x, wt, bias, p, expected);
                    var fc = FullyConnectedInt8Packed.Create(k, n, wt, bias, p, path);
                    runs += CheckParts(fc, expected, (part, parts, worker, y) => fc.Run(x, y, part, parts, worker), what);
                }
            }
        }
        Assert.True(runs >= 6 * PackedCases.Paths.Count() * 4, $"only {runs} runs");
    }

    private static int CheckParts<T>(FullyConnectedInt8Packed fc, T[] expected, Action<int, int, int, T[]> run, string what)
        where T : IEquatable<T>
    {
        int splits = 0;
        fc.EnsureWorkers(3);
        Assert.Equal(3, fc.Workers);
        foreach (int parts in new[] { 1, 2, 3, fc.MaxParts + 2 })
        {
            var concurrent = new T[expected.Length];
            int threads = Math.Min(parts, 3);
            // Threads 1..3, each claiming parts t, t + threads, ... on its own worker.
            Conv2DPackedThreadingTests.Concurrently(threads, t =>
            {
                for (int part = t; part < parts; part += threads) run(part, parts, t, concurrent);
            });
            Assert.True(expected.AsSpan().SequenceEqual(concurrent), $"{what} {parts} concurrent parts: {PackedCases.Mismatch(expected, concurrent)}");
            var sequential = new T[expected.Length];
            for (int part = parts - 1; part >= 0; part--) run(part, parts, 0, sequential);
            Assert.True(expected.AsSpan().SequenceEqual(sequential), $"{what} {parts} sequential parts: {PackedCases.Mismatch(expected, sequential)}");
            splits++;
        }
        return splits;
    }

    [Fact]
    public void MaxPartsAndBadArguments()
    {
        var p = QuantizedConvParams.Prepare(Quantization.RequantConvention.Xnnpack, 0.1f, 0, [0.1f], 0, 0.1f, 0, -128, 127, 40);
        var fc = FullyConnectedInt8Packed.Create(8, 40, new sbyte[320], [], p, Dispatch.Select(null));
        bool arm = fc.Path is IsaPath.AdvSimd or IsaPath.AdvSimdDp;
        Assert.Equal(arm ? 1 : 3, fc.MaxParts); // 40 channels = 3 blocks of 16
        var x = new sbyte[16]; // 2 rows
        var y = new sbyte[80];
        fc.Run(x, y); // batches from the input length
        fc.Run(x, y, 4, 5, 0); // an empty part
        Assert.Throws<ArgumentException>(() => fc.Run(x, y, 0, 2, 1)); // one worker only
        Assert.Throws<ArgumentException>(() => fc.Run(x, y, 2, 2, 0));
        Assert.Throws<ArgumentException>(() => fc.Run(x, y, 0, 0, 0));
        Assert.Throws<ArgumentException>(() => fc.Run(new sbyte[15], y, 0, 1, 0)); // not a multiple of K
        Assert.Throws<ArgumentException>(() => fc.Run(x, new sbyte[79], 0, 1, 0));
        Assert.Throws<ArgumentException>(() => fc.Run(new byte[16], new byte[80], 0, 1, 0)); // packed for int8
        Assert.Throws<ArgumentOutOfRangeException>(() => fc.EnsureWorkers(0));
    }
}
