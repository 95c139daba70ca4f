using QuantKernels.Kernels.Convolution;
using QuantKernels.Kernels.Depthwise;
using QuantKernels.Kernels.Quantization;
using QuantKernels.Kernels.Tests.Convolution;
using QuantKernels.Kernels.Tests.ConvolutionSimd;

namespace QuantKernels.Kernels.Tests.DepthwiseSimd;

/// <summary>
/// The 3x3 depthwise shapes the x86-64 paired-row kernels take (dilation 1, depth multiplier 1; any stride) and their
/// neighbours that fall back (dilation 2, M = 2), on every ISA path against <see cref="DepthwiseConv2DReference"/>, bit
/// for bit: a seeded sweep over odd and even heights and widths down to 1, channel counts 1, 7, 16, 17, 33, 48, 513
/// (partial last blocks, one block narrower than a store), strides 1, 2, 3 and anisotropic, SAME and VALID, 1-2
/// batches, int8 and uint8, both conventions, zero points at both ends, per-tensor and per-channel scales, narrow and
/// full activation ranges, saturating outputs; each packed instance also runs split into 2 and 3 parts of output rows
/// (a part may start on an odd row: the odd weight set alone). Plus accumulators large enough that (float)acc * scale
/// overflows int32, where the kernels must keep the float clamp.
/// </summary>
public class DepthwisePaired3x3Tests
{
    private static readonly int[] Channels = [1, 7, 16, 17, 33, 48, 513];

    /// <summary>(n, h, w, sh, sw, dilation, m, padding): the geometries the channel counts are crossed with.</summary>
    private static readonly (int N, int H, int W, int Sh, int Sw, int D, int M, PaddingType Pad)[] Geometries =
    [
        (1, 9, 7, 1, 1, 1, 1, PaddingType.Same),   // odd height: two-row passes then one even row
        (1, 6, 5, 1, 1, 1, 1, PaddingType.Same),   // even height
        (2, 5, 3, 1, 1, 1, 1, PaddingType.Valid),  // VALID, 2 batches
        (1, 1, 1, 1, 1, 1, 1, PaddingType.Same),   // 1x1 image: only the centre tap inside
        (1, 2, 9, 1, 1, 1, 1, PaddingType.Same),   // 2 rows, wide
        (1, 7, 8, 2, 2, 1, 1, PaddingType.Same),   // stride 2, odd total padding
        (2, 8, 7, 2, 2, 1, 1, PaddingType.Same),   // stride 2, even image (pads only bottom/right)
        (1, 9, 9, 2, 2, 1, 1, PaddingType.Valid),  // stride 2 VALID
        (1, 8, 7, 3, 3, 1, 1, PaddingType.Same),   // stride 3: odd output rows start on odd input rows
        (1, 7, 6, 1, 2, 1, 1, PaddingType.Same),   // anisotropic strides
        (1, 6, 7, 2, 1, 1, 1, PaddingType.Same),
        (1, 7, 7, 1, 1, 2, 1, PaddingType.Same),   // dilation 2: the general kernels
        (1, 5, 6, 1, 1, 1, 2, PaddingType.Same),   // depth multiplier 2: the general kernels
    ];

    public static TheoryData<int> ChannelCases => new(Channels);

    [Theory]
    [MemberData(nameof(ChannelCases))]
    public void Int8MatchesReferenceOnEveryPath(int c) => Sweep(false, c);

    [Theory]
    [MemberData(nameof(ChannelCases))]
    public void Uint8MatchesReferenceOnEveryPath(int c) => Sweep(true, c);

    private static void Sweep(bool unsigned, int c)
    {
        int runs = 0, saturated = 0;
        foreach (var (n, h, w, sh, sw, d, m, pad) in Geometries)
        {
            // 513 channels: only some geometries, to keep the sweep to seconds.
            if (c > 64 && (h * w > 42 || d != 1)) continue;
            var rng = new Random(PackedCases.Seed(unsigned ? 31 : 30, n, h, w, c, sh, sw, d, m, (int)pad));
            var g = DepthwiseConv2DGeometry.Create(n, h, w, c, m, 3, 3, sh, sw, d, d, pad);
            foreach (var (s, p) in PackedCases.Params(unsigned, g.OutputChannels, 9, rng))
            {
                int[] input = RandomQuant.Activations(rng, g.InputLength, unsigned);
                int[] filter = PackedCases.Weights(rng, g.FilterLength, unsigned);
                int[] bias = rng.Next(4) == 0 ? [] : RandomQuant.Bias(rng, g.OutputChannels);
                int[] expected = Reference(g, input, filter, bias, p, unsigned);
                foreach (var path in PackedCases.Paths)
                {
                    foreach (int parts in new[] { 1, 2, 3 })
                    {
                        int[] actual = Packed(g, input, filter, bias, p, path, unsigned, parts);
                        Assert.True(expected.SequenceEqual(actual),
                            $"{path} {p.Convention} {s} {(unsigned ? "u8" : "s8")} {n}x{h}x{w}x{c} s{sh}x{sw} d{d} m{m} {pad} parts {parts}: {PackedCases.Mismatch(expected, actual)}");
                    }
                    saturated += expected.Count(v => v == s.Min || v == s.Max);
                    runs++;
                }
            }
        }
        Assert.True(runs >= 20, $"only {runs} runs");
        Assert.True(saturated > 0, "no output hit the clamp");
    }

    [Fact]
    public void AccumulatorsBeyondFloatToInt32StayExact()
    {
        // Biases near +-2^30 and output scales that make (float)acc * scale reach +-2^31 and beyond: vcvtps2dq would
        // return INT32_MIN for the large positive ones unless the float clamp stays in.
        var g = DepthwiseConv2DGeometry.Create(1, 5, 6, 19, 1, 3, 3, 1, 1, 1, 1, PaddingType.Same);
        var rng = new Random(41);
        foreach (bool unsigned in new[] { false, true })
        foreach (var convention in PackedCases.Conventions)
        {
            int[] input = RandomQuant.Activations(rng, g.InputLength, unsigned);
            int[] filter = RandomQuant.Weights(rng, g.FilterLength, unsigned);
            int[] bias = Enumerable.Range(0, g.OutputChannels).Select(i => (i % 2 == 0 ? 1 : -1) * (1 << 30) + rng.Next(-5000, 5000)).ToArray();
            int lo = unsigned ? 0 : -128, hi = unsigned ? 255 : 127;
            var p = QuantizedConvParams.Prepare(convention, 0.5f, unsigned ? 128 : 0, [4f], unsigned ? 128 : 0, 0.25f, (lo + hi) / 2, lo, hi, g.OutputChannels);
            int[] expected = Reference(g, input, filter, bias, p, unsigned);
            if (convention == RequantConvention.Xnnpack)
            {
                Assert.Contains(expected, v => v == hi);
                Assert.Contains(expected, v => v == lo);
            }
            foreach (var path in PackedCases.Paths)
            {
                int[] actual = Packed(g, input, filter, bias, p, path, unsigned, 1);
                Assert.True(expected.SequenceEqual(actual), $"{path} {convention} {(unsigned ? "u8" : "s8")}: {PackedCases.Mismatch(expected, actual)}");
            }
        }
    }

    private static int[] Reference(in DepthwiseConv2DGeometry g, int[] input, int[] filter, int[] bias, QuantizedConvParams p, bool unsigned)
    {
        if (unsigned)
        {
            var e = new byte[g.OutputLength];
            DepthwiseConv2DReference.Run(g, TfliteTestQuant.U8(input), TfliteTestQuant.U8(filter), bias, p, e);
            return e.Select(v => (int)v).ToArray();
        }
        var s = new sbyte[g.OutputLength];
        DepthwiseConv2DReference.Run(g, TfliteTestQuant.S8(input), TfliteTestQuant.S8(filter), bias, p, s);
        return s.Select(v => (int)v).ToArray();
    }

    /// <summary>The packed kernel in <paramref name="parts"/> parts, run last to first on one worker over an output
    /// pre-filled with junk (so a part that wrote outside its rows, or a row left unwritten, shows).</summary>
    private static int[] Packed(in DepthwiseConv2DGeometry g, int[] input, int[] filter, int[] bias, QuantizedConvParams p,
        IsaPath path, bool unsigned, int parts)
    {
        if (unsigned)
        {
            byte[] x = TfliteTestQuant.U8(input);
            var dw = DepthwiseConv2DInt8Packed.Create(g, TfliteTestQuant.U8(filter), bias, p, path);
            Assert.Equal(path, dw.Path);
            var y = Enumerable.Repeat((byte)0xA5, g.OutputLength).ToArray();
            for (int part = parts - 1; part >= 0; part--) dw.Run(x, y, part, parts, 0);
            return y.Select(v => (int)v).ToArray();
        }
        sbyte[] xs = TfliteTestQuant.S8(input);
        var dws = DepthwiseConv2DInt8Packed.Create(g, TfliteTestQuant.S8(filter), bias, p, path);
        Assert.Equal(path, dws.Path);
        var ys = Enumerable.Repeat((sbyte)0x5A, g.OutputLength).ToArray();
        for (int part = parts - 1; part >= 0; part--) dws.Run(xs, ys, part, parts, 0);
        return ys.Select(v => (int)v).ToArray();
    }
}
