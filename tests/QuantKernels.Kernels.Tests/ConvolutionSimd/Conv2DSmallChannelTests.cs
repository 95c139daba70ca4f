using QuantKernels.Kernels.Convolution;
using QuantKernels.Kernels.Tests.Convolution;

namespace QuantKernels.Kernels.Tests.ConvolutionSimd;

/// <summary>
/// Convolutions with few input channels (the first layer of an image model: 3x3 stride 2 over RGB, K = 27), whose
/// patches the packed kernels build from padded, pre-converted input rows: <see cref="Conv2DInt8Packed"/> on every ISA
/// path against <see cref="Conv2DReference"/>, bit for bit, over seeded random shapes: input channels 1-4 (and a few
/// wider ones on both sides of the 32-element filter-row limit of that gather), odd image sizes, filters 1x2 to 5x5,
/// strides 1-3, dilations 1-2, SAME and VALID, 1-2 batches, every quantization setup of <see cref="RandomQuant"/> (zero
/// points at both ends, per-channel scales, saturating outputs, narrow clamps) in both conventions, int8 and uint8,
/// whole and split into 2 and 3 parts run concurrently on their own workers.
/// </summary>
public class Conv2DSmallChannelTests
{
    private const int Cases = 12; // x 2 signednesses x 5 setups x 2 conventions x every path x 3 splits: kept small for qemu

    public static TheoryData<int> Seeds => new(Enumerable.Range(0, Cases));

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Int8MatchesReferenceOnEveryPathAndSplit(int seed) => Check(false, seed);

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Uint8MatchesReferenceOnEveryPathAndSplit(int seed) => Check(true, seed);

    /// <summary>The first layer of MobileNet v2 at a reduced size (3x3 s2 SAME, 3 -> 32 channels): the odd padded pixel
    /// after the image, both signednesses.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FirstLayerShapeMatchesReference(bool unsigned)
    {
        var g = Conv2DGeometry.Create(1, 23, 17, 3, 32, 3, 3, 3, 2, 2, 1, 1, PaddingType.Same);
        var rng = new Random(unsigned ? 301 : 300);
        var (runs, saturated, _) = RunCase(g, unsigned, rng, [0, 3]);
        Assert.Equal(4 * PackedCases.Paths.Count(), runs);
        Assert.True(saturated > 0, "no output hit the clamp");
    }

    private static void Check(bool unsigned, int seed)
    {
        var rng = new Random(PackedCases.Seed(unsigned ? 41 : 40, seed));
        Conv2DGeometry g = RandomGeometry(rng, seed);
        var (runs, saturated, distinct) = RunCase(g, unsigned, rng, [0, 1, 2, 3, 4]);
        Assert.True(runs >= 10 * PackedCases.Paths.Count(), $"only {runs} runs");
        Assert.True(saturated > 0 || g.OutputLength < 8, $"no output hit the clamp ({g.OutputLength} outputs)");
        Assert.True(distinct > 2 || g.OutputLength < 8, $"only {distinct} distinct outputs");
    }

    /// <summary>A seeded random geometry: mostly 1-4 input channels; seeds 10 and 11 take 8 or 11 channels with a 3-wide
    /// filter (filter rows of 24 and 33 elements, either side of the padded-row gather's limit).</summary>
    private static Conv2DGeometry RandomGeometry(Random rng, int seed)
    {
        while (true)
        {
            int c = seed >= 10 ? (seed % 2 == 0 ? 8 : 11) : 1 + seed % 4;
            int kh = rng.Next(1, 6), kw = seed >= 10 ? 3 : rng.Next(1, 6);
            if (kh == 1 && kw == 1) kw = 2;
            int sh = rng.Next(1, 4), sw = rng.Next(1, 4), dh = rng.Next(1, 3), dw = rng.Next(1, 3);
            int h = 2 * rng.Next(1, 8) + 1, w = 2 * rng.Next(1, 8) + 1; // odd sizes 3..15
            var pad = rng.Next(2) == 0 ? PaddingType.Same : PaddingType.Valid;
            if (pad == PaddingType.Valid && ((kh - 1) * dh + 1 > h || (kw - 1) * dw + 1 > w)) continue;
            int n = rng.Next(1, 3), o = rng.Next(1, 41);
            return Conv2DGeometry.Create(n, h, w, c, o, kh, kw, c, sh, sw, dh, dw, pad);
        }
    }

    /// <summary>Runs the quantization setups numbered <paramref name="setups"/> (of <see cref="RandomQuant.Setups"/>; both
    /// conventions each) on every path, whole and in 2 and 3 concurrent parts; returns the runs, clamped outputs and
    /// distinct output values seen.</summary>
    private static (int Runs, int Saturated, int Distinct) RunCase(Conv2DGeometry g, bool unsigned, Random rng, int[] setups)
    {
        int k = g.FilterHeight * g.FilterWidth * g.InputChannels;
        int runs = 0, saturated = 0;
        var distinct = new HashSet<int>();
        foreach (var (s, p) in PackedCases.Params(unsigned, g.OutputChannels, k, rng).Where((_, i) => setups.Contains(i / 2)))
        {
            int[] input = RandomQuant.Activations(rng, g.InputLength, unsigned);
            int[] filter = PackedCases.Weights(rng, g.FilterLength, unsigned);
            int[] bias = rng.Next(4) == 0 ? [] : RandomQuant.Bias(rng, g.OutputChannels);
            foreach (var path in PackedCases.Paths)
            {
                string what = $"{path} {p.Convention} {s} N{g.Batches} {g.InputHeight}x{g.InputWidth}x{g.InputChannels} " +
                              $"k{g.FilterHeight}x{g.FilterWidth} s{g.StrideHeight},{g.StrideWidth} d{g.DilationHeight},{g.DilationWidth} " +
                              $"pad {g.PadTop},{g.PadLeft} -> {g.OutputHeight}x{g.OutputWidth}x{g.OutputChannels}";
                int[] actual = unsigned
                    ? RunAndCompare(g, TfliteTestQuant.U8(input), TfliteTestQuant.U8(filter), bias, p, path, what)
                    : RunAndCompare(g, TfliteTestQuant.S8(input), TfliteTestQuant.S8(filter), bias, p, path, what);
                saturated += actual.Count(v => v == s.Min || v == s.Max);
                distinct.UnionWith(actual);
                runs++;
            }
        }
        return (runs, saturated, distinct.Count);
    }

    private static int[] RunAndCompare<T>(Conv2DGeometry g, T[] x, T[] f, int[] bias, QuantizedConvParams p, IsaPath path, string what)
        where T : unmanaged, IEquatable<T>, System.Numerics.IBinaryInteger<T>
    {
        var expected = new T[g.OutputLength];
        var actual = new T[g.OutputLength];
        var conv = typeof(T) == typeof(byte)
            ? Conv2DInt8Packed.Create(g, (byte[])(object)f, bias, p, path)
            : Conv2DInt8Packed.Create(g, (sbyte[])(object)f, bias, p, path);
        Assert.Equal(path, conv.Path);
        if (typeof(T) == typeof(byte))
        {
            Conv2DReference.Run(g, (byte[])(object)x, (byte[])(object)f, bias, p, (byte[])(object)expected);
            conv.Run((byte[])(object)x, (byte[])(object)actual);
        }
        else
        {
            Conv2DReference.Run(g, (sbyte[])(object)x, (sbyte[])(object)f, bias, p, (sbyte[])(object)expected);
            conv.Run((sbyte[])(object)x, (sbyte[])(object)actual);
        }
        Assert.True(expected.AsSpan().SequenceEqual(actual), $"{what} whole: {PackedCases.Mismatch(expected, actual)}");
        // Threads 1..3: the same conv split into parts, each on its own worker's scratch, run concurrently.
        conv.EnsureWorkers(3);
        foreach (int parts in new[] { 2, 3 })
        {
            var split = new T[g.OutputLength];
            Conv2DPackedThreadingTests.Concurrently(parts, part =>
            {
                if (typeof(T) == typeof(byte)) conv.Run((byte[])(object)x, (byte[])(object)split, part, parts, part);
                else conv.Run((sbyte[])(object)x, (sbyte[])(object)split, part, parts, part);
            });
            Assert.True(expected.AsSpan().SequenceEqual(split), $"{what} {parts} parts: {PackedCases.Mismatch(expected, split)}");
        }
        return actual.Select(v => int.CreateTruncating(v)).ToArray();
    }
}
