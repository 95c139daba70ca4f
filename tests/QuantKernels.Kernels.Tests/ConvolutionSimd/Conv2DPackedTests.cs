using QuantKernels.Kernels.Convolution;
using QuantKernels.Kernels.Tests.Convolution;

namespace QuantKernels.Kernels.Tests.ConvolutionSimd;

/// <summary>
/// <see cref="Conv2DInt8Packed"/> on every ISA path against <see cref="Conv2DReference"/>, bit for bit: seeded random
/// sweeps over channel counts that are not multiples of 8 or 16, 1x1/3x3/5x5 (and even) filters, strides 1-3,
/// dilation 1-2, SAME/VALID, batches 1-2, pixel counts that are not multiples of the 6-row tile, zero points at both
/// ends, per-tensor and per-channel scales, saturating outputs, uint8 with a weight zero point, both conventions.
/// </summary>
public class Conv2DPackedTests
{
    // n, h, w, c, o, kh, kw, sh, sw, dh, dw, padding
    public static readonly TheoryData<int, int, int, int, int, int, int, int, int, int, int, PaddingType> Shapes = new()
    {
        { 1, 5, 5, 1, 1, 1, 1, 1, 1, 1, 1, PaddingType.Valid },   // smallest pointwise; 25 pixels = 4 tiles + 1
        { 2, 4, 5, 3, 17, 1, 1, 1, 1, 1, 1, PaddingType.Same },   // pointwise fast path, 2 batches, partial block
        { 1, 6, 7, 7, 33, 3, 3, 1, 1, 1, 1, PaddingType.Same },   // 3x3 SAME: padded edges, 3 blocks (16+16+1)
        { 1, 9, 8, 17, 7, 3, 3, 2, 2, 1, 1, PaddingType.Same },   // stride 2, SAME with an odd total
        { 2, 7, 7, 3, 16, 3, 3, 1, 1, 2, 2, PaddingType.Same },   // dilation 2
        { 1, 11, 10, 33, 17, 5, 5, 3, 3, 1, 1, PaddingType.Same }, // 5x5 stride 3
        { 1, 9, 9, 7, 3, 5, 5, 1, 2, 2, 1, PaddingType.Valid },   // 5x5 anisotropic stride/dilation, VALID
        { 1, 8, 9, 16, 32, 3, 3, 1, 1, 1, 1, PaddingType.Valid }, // whole blocks, K even
        { 2, 5, 4, 1, 3, 2, 3, 1, 2, 1, 2, PaddingType.Same },    // even/odd kernel, K odd (6 -> K=6; IC=1)
        { 1, 3, 3, 3, 5, 5, 5, 1, 1, 1, 1, PaddingType.Same },    // filter larger than the image
        { 1, 4, 4, 17, 1, 1, 1, 2, 2, 1, 1, PaddingType.Valid },  // 1x1 stride 2 (not the pointwise fast path)
        { 1, 2, 2, 70, 40, 3, 3, 1, 1, 1, 1, PaddingType.Same },  // IC past one 16-wide widen plus tail
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Int8MatchesReferenceOnEveryPath(int n, int h, int w, int c, int o, int kh, int kw, int sh, int sw, int dh, int dw, PaddingType pad)
        => Check(false, n, h, w, c, o, kh, kw, sh, sw, dh, dw, pad);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Uint8MatchesReferenceOnEveryPath(int n, int h, int w, int c, int o, int kh, int kw, int sh, int sw, int dh, int dw, PaddingType pad)
        => Check(true, n, h, w, c, o, kh, kw, sh, sw, dh, dw, pad);

    private static void Check(bool unsigned, int n, int h, int w, int c, int o, int kh, int kw, int sh, int sw, int dh, int dw, PaddingType pad)
    {
        // A fixed seed per case (HashCode.Combine is randomised per process, so it would not reproduce a failure).
        var rng = new Random(PackedCases.Seed(unsigned ? 1 : 0, n, h, w, c, o, kh, kw, sh, sw, dh, dw, (int)pad));
        var g = Conv2DGeometry.Create(n, h, w, c, o, kh, kw, c, sh, sw, dh, dw, pad);
        int saturated = 0, runs = 0;
        var distinct = new HashSet<int>();
        foreach (var (s, p) in PackedCases.Params(unsigned, o, kh * kw * c, rng))
        {
            int[] input = RandomQuant.Activations(rng, g.InputLength, unsigned);
            int[] filter = PackedCases.Weights(rng, g.FilterLength, unsigned);
            int[] bias = rng.Next(4) == 0 ? [] : RandomQuant.Bias(rng, o);
            foreach (var path in PackedCases.Paths)
            {
                if (unsigned)
                {
                    byte[] x = TfliteTestQuant.U8(input), f = TfliteTestQuant.U8(filter);
                    var expected = new byte[g.OutputLength];
                    Conv2DReference.Run(g, x, f, bias, p, expected);
                    var conv = Conv2DInt8Packed.Create(g, f, bias, p, path);
                    Assert.Equal(path, conv.Path);
                    var actual = new byte[g.OutputLength];
                    conv.Run(x, actual);
                    Assert.True(expected.AsSpan().SequenceEqual(actual), $"{path} {p.Convention} {s}: {PackedCases.Mismatch(expected, actual)}");
                    saturated += actual.Count(v => v == s.Min || v == s.Max);
                    distinct.UnionWith(actual.Select(v => (int)v));
                }
                else
                {
                    sbyte[] x = TfliteTestQuant.S8(input), f = TfliteTestQuant.S8(filter);
                    var expected = new sbyte[g.OutputLength];
                    Conv2DReference.Run(g, x, f, bias, p, expected);
                    var conv = Conv2DInt8Packed.Create(g, f, bias, p, path);
                    Assert.Equal(path, conv.Path);
                    var actual = new sbyte[g.OutputLength];
                    conv.Run(x, actual);
                    // Run twice: the scratch is reused across invokes and must not leak state between them.
                    conv.Run(x, actual);
                    Assert.True(expected.AsSpan().SequenceEqual(actual), $"{path} {p.Convention} {s}: {PackedCases.Mismatch(expected, actual)}");
                    saturated += actual.Count(v => v == s.Min || v == s.Max);
                    distinct.UnionWith(actual.Select(v => (int)v));
                }
                runs++;
            }
        }
        Assert.True(runs >= 10 * PackedCases.Paths.Count(), $"only {runs} runs");
        Assert.True(saturated > 0, "no output hit the clamp");
        Assert.True(distinct.Count > 2, $"only {distinct.Count} distinct outputs"); // not everything saturates
    }

    [Fact]
    public void ExtremeAccumulatorsStayExact()
    {
        // Large K with every product at its extreme: |acc| near 255*255*K tests int32 pair sums and the requant paths.
        var rng = new Random(7);
        var g = Conv2DGeometry.Create(1, 4, 4, 200, 19, 3, 3, 200, 1, 1, 1, 1, PaddingType.Same);
        foreach (bool unsigned in new[] { false, true })
        foreach (var convention in PackedCases.Conventions)
        foreach (var path in PackedCases.Paths)
        {
            int lo = unsigned ? 0 : -128, hi = unsigned ? 255 : 127;
            int[] input = Enumerable.Range(0, g.InputLength).Select(i => rng.Next(4) == 0 ? hi : lo).ToArray();
            int[] filter = Enumerable.Range(0, g.FilterLength).Select(i => rng.Next(3) == 0 ? hi : lo).ToArray();
            int[] bias = RandomQuant.Bias(rng, g.OutputChannels);
            int zpIn = unsigned ? 255 : 127, zpW = unsigned ? 128 : 0;
            // Size the output scale from the true accumulators so the outputs spread over the range instead of all clamping.
            long[] acc = ConvOracle.ConvAcc(input, 1, 4, 4, 200, filter, 19, 3, 3, 200, bias, 1, 1, 1, 1,
                g.PadTop, g.PadLeft, g.OutputHeight, g.OutputWidth, zpIn, zpW);
            float outScale = 0.05f * 0.01f * acc.Max(Math.Abs) / 100f;
            var p = QuantizedConvParams.Prepare(convention, 0.05f, zpIn, [0.01f], zpW, outScale, (lo + hi) / 2, lo, hi, g.OutputChannels);
            if (unsigned)
            {
                byte[] x = TfliteTestQuant.U8(input), f = TfliteTestQuant.U8(filter);
                var expected = new byte[g.OutputLength];
                var actual = new byte[g.OutputLength];
                Conv2DReference.Run(g, x, f, bias, p, expected);
                Conv2DInt8Packed.Create(g, f, bias, p, path).Run(x, actual);
                Assert.True(expected.AsSpan().SequenceEqual(actual), $"{path} {convention} u8: {PackedCases.Mismatch(expected, actual)}");
                Assert.Contains(actual, v => v != expected[0]);
            }
            else
            {
                sbyte[] x = TfliteTestQuant.S8(input), f = TfliteTestQuant.S8(filter);
                var expected = new sbyte[g.OutputLength];
                var actual = new sbyte[g.OutputLength];
                Conv2DReference.Run(g, x, f, bias, p, expected);
                Conv2DInt8Packed.Create(g, f, bias, p, path).Run(x, actual);
                Assert.True(expected.AsSpan().SequenceEqual(actual), $"{path} {convention} s8: {PackedCases.Mismatch(expected, actual)}");
                Assert.Contains(actual, v => v != expected[0]);
            }
        }
    }

    [Fact]
    public void RejectsBadArguments()
    {
        var g = Conv2DGeometry.Create(1, 4, 4, 4, 4, 3, 3, 4, 1, 1, 1, 1, PaddingType.Same);
        var p = QuantizedConvParams.Prepare(Quantization.RequantConvention.Xnnpack, 0.1f, 0, [0.1f], 0, 0.1f, 0, -128, 127, 4);
        var filter = new sbyte[g.FilterLength];
        var conv = Conv2DInt8Packed.Create(g, filter, [], p, Dispatch.Select(null));
        Assert.Throws<ArgumentException>(() => conv.Run(new sbyte[g.InputLength - 1], new sbyte[g.OutputLength]));
        Assert.Throws<ArgumentException>(() => conv.Run(new sbyte[g.InputLength], new sbyte[g.OutputLength + 1]));
        Assert.Throws<ArgumentException>(() => conv.Run(new byte[g.InputLength], new byte[g.OutputLength])); // packed for int8
        Assert.Throws<ArgumentException>(() => Conv2DInt8Packed.Create(g, new sbyte[g.FilterLength - 1], [], p, IsaPath.Scalar));
        Assert.Throws<ArgumentException>(() => Conv2DInt8Packed.Create(g, filter, new int[3], p, IsaPath.Scalar));
        var grouped = Conv2DGeometry.Create(1, 4, 4, 4, 4, 3, 3, 2, 1, 1, 1, 1, PaddingType.Same);
        Assert.False(Conv2DInt8Packed.Supports(grouped));
        Assert.Throws<ArgumentException>(() => Conv2DInt8Packed.Create(grouped, new sbyte[grouped.FilterLength], [], p, IsaPath.Scalar));
        var p5 = QuantizedConvParams.Prepare(Quantization.RequantConvention.Xnnpack, 0.1f, 0, [0.1f], 0, 0.1f, 0, -128, 127, 5);
        Assert.Throws<ArgumentException>(() => Conv2DInt8Packed.Create(g, filter, [], p5, IsaPath.Scalar));
    }
}
