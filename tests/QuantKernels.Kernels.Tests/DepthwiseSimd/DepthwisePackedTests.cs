using QuantKernels.Kernels.Convolution;
using QuantKernels.Kernels.Depthwise;
using QuantKernels.Kernels.Quantization;
using QuantKernels.Kernels.Tests.Convolution;
using QuantKernels.Kernels.Tests.ConvolutionSimd;

namespace QuantKernels.Kernels.Tests.DepthwiseSimd;

/// <summary>
/// <see cref="DepthwiseConv2DInt8Packed"/> on every ISA path against <see cref="DepthwiseConv2DReference"/>, bit for bit:
/// seeded sweeps over 3x3 stride 1/2, 5x5, other (even, anisotropic) sizes, dilation 2, SAME/VALID, channel counts
/// 1, 3, 7, 15, 16, 17, 33, 69, depth multipliers 1 and 2, tiny images where every pixel is an edge, 2 batches,
/// zero points at both ends, per-tensor and per-channel scales, saturating outputs, uint8 with a weight zero point,
/// both conventions.
/// </summary>
public class DepthwisePackedTests
{
    // n, h, w, c, m, kh, kw, sh, sw, dh, dw, padding
    public static readonly TheoryData<int, int, int, int, int, int, int, int, int, int, int, PaddingType> Shapes = new()
    {
        { 1, 9, 10, 16, 1, 3, 3, 1, 1, 1, 1, PaddingType.Same },   // 3x3 s1, one whole block
        { 1, 8, 7, 33, 1, 3, 3, 1, 1, 1, 1, PaddingType.Same },    // 3x3 s1, 16+16+1
        { 2, 7, 9, 17, 1, 3, 3, 2, 2, 1, 1, PaddingType.Same },    // 3x3 s2, SAME odd total, 2 batches
        { 1, 10, 10, 32, 1, 3, 3, 2, 2, 1, 1, PaddingType.Same },  // 3x3 s2, even image (pad only bottom/right)
        { 1, 6, 6, 15, 1, 3, 3, 1, 1, 1, 1, PaddingType.Valid },   // VALID, 15 channels
        { 1, 11, 9, 7, 1, 5, 5, 1, 1, 1, 1, PaddingType.Same },    // 5x5 s1
        { 1, 12, 11, 69, 1, 5, 5, 2, 2, 1, 1, PaddingType.Same },  // 5x5 s2, 64+5 channels
        { 1, 9, 9, 3, 2, 3, 3, 1, 1, 2, 2, PaddingType.Same },     // dilation 2, depth multiplier 2
        { 2, 8, 8, 8, 2, 3, 3, 2, 1, 1, 2, PaddingType.Valid },    // M = 2 -> 16 output channels; anisotropic
        { 1, 1, 1, 17, 1, 3, 3, 1, 1, 1, 1, PaddingType.Same },    // 1x1 image: only the centre tap is inside
        { 1, 2, 3, 1, 1, 3, 3, 1, 1, 1, 1, PaddingType.Same },     // 2x3 image, 1 channel: everything is an edge
        { 2, 2, 3, 7, 2, 5, 5, 2, 2, 1, 1, PaddingType.Same },     // filter larger than the image, M = 2
        { 1, 7, 6, 16, 1, 2, 2, 1, 1, 1, 1, PaddingType.Same },    // even filter (pads only bottom/right)
        { 1, 6, 9, 5, 1, 1, 4, 1, 3, 1, 1, PaddingType.Same },     // 1x4, stride 3
        { 1, 5, 5, 64, 1, 1, 1, 1, 1, 1, 1, PaddingType.Valid },   // 1x1 (one tap: odd pair only)
        { 1, 12, 12, 24, 1, 7, 7, 1, 1, 1, 1, PaddingType.Same },  // 7x7
        { 1, 6, 6, 16, 1, 3, 3, 3, 3, 1, 1, PaddingType.Same },    // stride 3 > filter span - 1 rows skipped
        { 1, 5, 6, 69, 1, 3, 3, 1, 1, 1, 1, PaddingType.Same },    // 3x3 wider than 4 blocks: the pixel-major AVX2 kernel
        { 2, 5, 4, 40, 2, 3, 3, 2, 2, 1, 1, PaddingType.Same },    // ... with M = 2 (80 channels), stride 2, 2 batches
        { 1, 4, 4, 64, 1, 3, 3, 1, 1, 1, 1, PaddingType.Same },    // exactly 4 blocks: the last block-major width
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Int8MatchesReferenceOnEveryPath(int n, int h, int w, int c, int m, int kh, int kw, int sh, int sw, int dh, int dw, PaddingType pad)
        => Check(false, n, h, w, c, m, kh, kw, sh, sw, dh, dw, pad);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Uint8MatchesReferenceOnEveryPath(int n, int h, int w, int c, int m, int kh, int kw, int sh, int sw, int dh, int dw, PaddingType pad)
        => Check(true, n, h, w, c, m, kh, kw, sh, sw, dh, dw, pad);

    private static void Check(bool unsigned, int n, int h, int w, int c, int m, int kh, int kw, int sh, int sw, int dh, int dw, PaddingType pad)
    {
        var rng = new Random(PackedCases.Seed(unsigned ? 1 : 0, n, h, w, c, m, kh, kw, sh, sw, dh, dw, (int)pad));
        var g = DepthwiseConv2DGeometry.Create(n, h, w, c, m, kh, kw, sh, sw, dh, dw, pad);
        int outC = g.OutputChannels, saturated = 0, runs = 0;
        var distinct = new HashSet<int>();
        foreach (var (s, p) in PackedCases.Params(unsigned, outC, kh * kw, rng))
        {
            int[] input = RandomQuant.Activations(rng, g.InputLength, unsigned);
            int[] filter = PackedCases.Weights(rng, g.FilterLength, unsigned);
            int[] bias = rng.Next(4) == 0 ? [] : RandomQuant.Bias(rng, outC);
            foreach (var path in PackedCases.Paths)
            {
                int[] actual = unsigned
                    ? RunU8(g, input, filter, bias, p, path, out int[] expected)
                    : RunS8(g, input, filter, bias, p, path, out expected);
                Assert.True(expected.SequenceEqual(actual), $"{path} {p.Convention} {s}: {PackedCases.Mismatch(expected, actual)}");
                saturated += actual.Count(v => v == s.Min || v == s.Max);
                distinct.UnionWith(actual);
                runs++;
            }
        }
        Assert.True(runs >= 10 * PackedCases.Paths.Count(), $"only {runs} runs");
        Assert.True(saturated > 0, "no output hit the clamp");
        Assert.True(distinct.Count > 2, $"only {distinct.Count} distinct outputs");
    }

    private static int[] RunS8(in DepthwiseConv2DGeometry g, int[] input, int[] filter, int[] bias, QuantizedConvParams p, IsaPath path, out int[] expected)
    {
        sbyte[] x = TfliteTestQuant.S8(input), f = TfliteTestQuant.S8(filter);
        var e = new sbyte[g.OutputLength];
        DepthwiseConv2DReference.Run(g, x, f, bias, p, e);
        var dw = DepthwiseConv2DInt8Packed.Create(g, f, bias, p, path);
        Assert.Equal(path, dw.Path);
        var actual = new sbyte[g.OutputLength];
        dw.Run(x, actual);
        // Run again on other data, then on the first: the ring of row buffers must not leak rows between invokes.
        var other = x.Select(v => (sbyte)~v).ToArray();
        dw.Run(other, actual);
        dw.Run(x, actual);
        expected = e.Select(v => (int)v).ToArray();
        return actual.Select(v => (int)v).ToArray();
    }

    private static int[] RunU8(in DepthwiseConv2DGeometry g, int[] input, int[] filter, int[] bias, QuantizedConvParams p, IsaPath path, out int[] expected)
    {
        byte[] x = TfliteTestQuant.U8(input), f = TfliteTestQuant.U8(filter);
        var e = new byte[g.OutputLength];
        DepthwiseConv2DReference.Run(g, x, f, bias, p, e);
        var dw = DepthwiseConv2DInt8Packed.Create(g, f, bias, p, path);
        Assert.Equal(path, dw.Path);
        var actual = new byte[g.OutputLength];
        dw.Run(x, actual);
        var other = x.Select(v => (byte)~v).ToArray();
        dw.Run(other, actual);
        dw.Run(x, actual);
        expected = e.Select(v => (int)v).ToArray();
        return actual.Select(v => (int)v).ToArray();
    }

    [Fact]
    public void ExtremeAccumulatorsStayExact()
    {
        // Every product at its extreme (|x - zp| = 255, |w - zpW| up to 255) with 25 taps: pair sums and the requant paths.
        var rng = new Random(5);
        var g = DepthwiseConv2DGeometry.Create(1, 6, 6, 19, 1, 5, 5, 1, 1, 1, 1, PaddingType.Same);
        foreach (bool unsigned in new[] { false, true })
        foreach (var convention in PackedCases.Conventions)
        foreach (var path in PackedCases.Paths)
        {
            int lo = unsigned ? 0 : -128, hi = unsigned ? 255 : 127;
            int[] input = Enumerable.Range(0, g.InputLength).Select(_ => rng.Next(4) == 0 ? hi : lo).ToArray();
            int[] filter = Enumerable.Range(0, g.FilterLength).Select(_ => rng.Next(3) == 0 ? hi : lo).ToArray();
            int[] bias = RandomQuant.Bias(rng, g.OutputChannels);
            int zpIn = unsigned ? 255 : 127, zpW = unsigned ? 128 : 0;
            float outScale = 0.05f * 0.01f * 255f * 255f * 25f / 100f;
            var p = QuantizedConvParams.Prepare(convention, 0.05f, zpIn, [0.01f], zpW, outScale, (lo + hi) / 2, lo, hi, g.OutputChannels);
            int[] actual = unsigned
                ? RunU8(g, input, filter, bias, p, path, out int[] expected)
                : RunS8(g, input, filter, bias, p, path, out expected);
            Assert.True(expected.SequenceEqual(actual), $"{path} {convention} {(unsigned ? "u8" : "s8")}: {PackedCases.Mismatch(expected, actual)}");
            Assert.Contains(actual, v => v != expected[0]);
        }
    }

    [Fact]
    public void RejectsBadArguments()
    {
        var g = DepthwiseConv2DGeometry.Create(1, 4, 4, 4, 1, 3, 3, 1, 1, 1, 1, PaddingType.Same);
        var p = QuantizedConvParams.Prepare(RequantConvention.Xnnpack, 0.1f, 0, [0.1f], 0, 0.1f, 0, -128, 127, 4);
        var filter = new sbyte[g.FilterLength];
        var dw = DepthwiseConv2DInt8Packed.Create(g, filter, [], p, Dispatch.Select(null));
        Assert.Throws<ArgumentException>(() => dw.Run(new sbyte[g.InputLength - 1], new sbyte[g.OutputLength]));
        Assert.Throws<ArgumentException>(() => dw.Run(new sbyte[g.InputLength], new sbyte[g.OutputLength + 1]));
        Assert.Throws<ArgumentException>(() => dw.Run(new byte[g.InputLength], new byte[g.OutputLength])); // packed for int8
        Assert.Throws<ArgumentException>(() => DepthwiseConv2DInt8Packed.Create(g, new sbyte[g.FilterLength - 1], [], p, IsaPath.Scalar));
        Assert.Throws<ArgumentException>(() => DepthwiseConv2DInt8Packed.Create(g, filter, new int[3], p, IsaPath.Scalar));
        var p5 = QuantizedConvParams.Prepare(RequantConvention.Xnnpack, 0.1f, 0, [0.1f], 0, 0.1f, 0, -128, 127, 5);
        Assert.Throws<ArgumentException>(() => DepthwiseConv2DInt8Packed.Create(g, filter, [], p5, IsaPath.Scalar));
        Assert.Throws<ArgumentException>(() => DepthwiseConv2DInt8Packed.Create(default, filter, [], p, IsaPath.Scalar));
        Assert.Throws<NotSupportedException>(() => DepthwiseConv2DInt8Packed.Create(g, filter, [], p, (IsaPath)99));
        Assert.False(DepthwiseConv2DInt8Packed.Supports(default));
        Assert.True(DepthwiseConv2DInt8Packed.Supports(g));
    }

    [Fact]
    public void DefaultPathIsTheExpectedOne()
    {
        // With QK_EXPECT_PATH set (CI sets it beside DOTNET_EnableAVX2=0 / DOTNET_EnableHWIntrinsic=0), the default
        // dispatch must build exactly that path, so a silently skipped path fails the run.
        IsaPath chosen = Dispatch.Select(null);
        var g = DepthwiseConv2DGeometry.Create(1, 3, 3, 2, 1, 3, 3, 1, 1, 1, 1, PaddingType.Same);
        var p = QuantizedConvParams.Prepare(RequantConvention.Xnnpack, 0.1f, 0, [0.1f], 0, 0.1f, 0, -128, 127, 2);
        Assert.Equal(chosen, DepthwiseConv2DInt8Packed.Create(g, new sbyte[g.FilterLength], [], p, chosen).Path);
        if (ExpectedIsaPath.Get() is { } want) Assert.Equal(want, chosen);
    }
}
