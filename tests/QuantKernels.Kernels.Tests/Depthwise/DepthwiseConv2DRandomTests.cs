using QuantKernels.Kernels.Convolution;
using QuantKernels.Kernels.Depthwise;
using QuantKernels.Kernels.Quantization;
using QuantKernels.Kernels.Tests.Convolution;
using Xunit;

namespace QuantKernels.Kernels.Tests.Depthwise;

/// <summary>
/// Seeded random DEPTHWISE_CONV_2D cases against <see cref="ConvOracle"/> in both conventions, int8 and uint8:
/// depth multipliers 1-3, odd channel counts, strides 2, dilation 2, SAME with odd totals, extreme zero points.
/// </summary>
public class DepthwiseConv2DRandomTests
{
    // n, h, w, c, m, kh, kw, sh, sw, dh, dw, padding
    public static readonly TheoryData<int, int, int, int, int, int, int, int, int, int, int, PaddingType> Shapes = new()
    {
        { 1, 7, 7, 3, 1, 3, 3, 2, 2, 1, 1, PaddingType.Same },   // total 2, stride 2
        { 2, 6, 5, 5, 2, 3, 3, 2, 2, 1, 1, PaddingType.Same },   // H total 1 (odd), M = 2, 2 batches
        { 1, 8, 8, 3, 3, 3, 3, 1, 1, 2, 2, PaddingType.Same },   // dilation 2, M = 3
        { 1, 9, 6, 7, 1, 2, 3, 2, 1, 2, 1, PaddingType.Valid },  // anisotropic
        { 1, 10, 10, 1, 4, 4, 4, 3, 3, 1, 1, PaddingType.Same }, // one input channel, M = 4
        { 1, 3, 3, 2, 1, 5, 5, 2, 2, 1, 1, PaddingType.Same },   // filter larger than image
        { 3, 5, 4, 9, 1, 3, 3, 1, 1, 1, 1, PaddingType.Valid },  // 3 batches
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Int8MatchesOracle(int n, int h, int w, int c, int m, int kh, int kw, int sh, int sw, int dh, int dw, PaddingType pad)
        => Check(false, n, h, w, c, m, kh, kw, sh, sw, dh, dw, pad);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Uint8MatchesOracle(int n, int h, int w, int c, int m, int kh, int kw, int sh, int sw, int dh, int dw, PaddingType pad)
        => Check(true, n, h, w, c, m, kh, kw, sh, sw, dh, dw, pad);

    private static void Check(bool unsigned, int n, int h, int w, int c, int m, int kh, int kw, int sh, int sw, int dh, int dw, PaddingType pad)
    {
        var rng = new Random(HashCode.Combine(unsigned, n, h, w, c, m, kh * 100 + kw, sh * 10 + dh));
        var g = DepthwiseConv2DGeometry.Create(n, h, w, c, m, kh, kw, sh, sw, dh, dw, pad);
        int outC = g.OutputChannels, saturated = 0, total = 0;
        foreach (var s in RandomQuant.Setups(unsigned, outC, kh * kw, rng))
        {
            int[] input = RandomQuant.Activations(rng, g.InputLength, unsigned);
            int[] filter = RandomQuant.Weights(rng, g.FilterLength, unsigned);
            int[]? bias = rng.Next(4) == 0 ? null : RandomQuant.Bias(rng, outC);
            long[] acc = ConvOracle.DepthwiseAcc(input, n, h, w, c, m, filter, kh, kw, bias, sh, sw, dh, dw,
                g.PadTop, g.PadLeft, g.OutputHeight, g.OutputWidth, s.InZp, s.WeightZp);
            foreach (var convention in new[] { RequantConvention.Xnnpack, RequantConvention.Reference })
            {
                var p = QuantizedConvParams.Prepare(convention, s.InScale, s.InZp, s.WeightScales, s.WeightZp, s.OutScale, s.OutZp, s.Min, s.Max, outC);
                int[] expected = acc.Select((a, i) => convention == RequantConvention.Xnnpack
                    ? ConvOracle.Xnnpack(a, s.InScale, s.WeightScale(i % outC), s.OutScale, s.OutZp, s.Min, s.Max)
                    : ConvOracle.Reference(a, s.InScale, s.WeightScale(i % outC), s.OutScale, s.OutZp, s.Min, s.Max)).ToArray();
                int[] actual;
                if (unsigned)
                {
                    var output = new byte[g.OutputLength];
                    DepthwiseConv2DReference.Run(g, TfliteTestQuant.U8(input), TfliteTestQuant.U8(filter), bias ?? Array.Empty<int>(), p, output);
                    actual = output.Select(v => (int)v).ToArray();
                }
                else
                {
                    var output = new sbyte[g.OutputLength];
                    DepthwiseConv2DReference.Run(g, TfliteTestQuant.S8(input), TfliteTestQuant.S8(filter), bias ?? Array.Empty<int>(), p, output);
                    actual = output.Select(v => (int)v).ToArray();
                }
                Assert.True(expected.SequenceEqual(actual), $"{convention}, {s}: first mismatch at {Conv2DRandomTests.FirstMismatch(expected, actual)}");
                saturated += actual.Count(v => v == s.Min || v == s.Max);
                total += actual.Length;
            }
        }
        Assert.InRange(saturated, 1, total);
    }

    /// <summary>Depthwise with M = 1 equals a grouped CONV_2D with one input channel per group (float).</summary>
    [Fact]
    public void FloatEqualsGroupedConv()
    {
        var rng = new Random(11);
        var dw = DepthwiseConv2DGeometry.Create(2, 6, 5, 3, 1, 3, 3, 2, 2, 1, 1, PaddingType.Same);
        var conv = Conv2DGeometry.Create(2, 6, 5, 3, 3, 3, 3, 1, 2, 2, 1, 1, PaddingType.Same);
        float[] input = Enumerable.Range(0, dw.InputLength).Select(_ => (float)rng.Next(-9, 10)).ToArray();
        float[] dwFilter = Enumerable.Range(0, dw.FilterLength).Select(_ => (float)rng.Next(-4, 5)).ToArray();
        // [1,kh,kw,C] -> OHWI with I = 1.
        float[] convFilter = new float[conv.FilterLength];
        for (int tap = 0; tap < 9; tap++) for (int ch = 0; ch < 3; ch++) convFilter[ch * 9 + tap] = dwFilter[tap * 3 + ch];
        float[] bias = { 0.5f, -1, 2 };
        var a = new float[dw.OutputLength];
        var b = new float[conv.OutputLength];
        DepthwiseConv2DReference.Run(dw, input, dwFilter, bias, -10f, 10f, a);
        Conv2DReference.Run(conv, input, convFilter, bias, -10f, 10f, b);
        Assert.Equal(b, a);
        Assert.Contains(10f, a); // the clamp was exercised
    }

    [Fact]
    public void BadArgumentsThrow()
    {
        var g = DepthwiseConv2DGeometry.Create(1, 4, 4, 3, 2, 3, 3, 1, 1, 1, 1, PaddingType.Same);
        var p = QuantizedConvParams.Prepare(RequantConvention.Xnnpack, 0.5f, 0, new[] { 0.01f }, 0, 0.1f, 0, -128, 127, 6);
        Assert.Throws<ArgumentException>(() => DepthwiseConv2DReference.Run(g, new sbyte[g.InputLength + 1], new sbyte[g.FilterLength], new int[6], p, new sbyte[g.OutputLength]));
        Assert.Throws<ArgumentException>(() => DepthwiseConv2DReference.Run(g, new sbyte[g.InputLength], new sbyte[g.FilterLength - 1], new int[6], p, new sbyte[g.OutputLength]));
        Assert.Throws<ArgumentException>(() => DepthwiseConv2DReference.Run(g, new sbyte[g.InputLength], new sbyte[g.FilterLength], new int[3], p, new sbyte[g.OutputLength]));
        Assert.Throws<ArgumentException>(() => DepthwiseConv2DReference.Run(g, new sbyte[g.InputLength], new sbyte[g.FilterLength], new int[6], p, new sbyte[g.OutputLength + 1]));
        Assert.Throws<ArgumentException>(() => DepthwiseConv2DReference.Run(g, new byte[g.InputLength], new byte[g.FilterLength], new int[6], p, new byte[g.OutputLength]));
        var p3 = QuantizedConvParams.Prepare(RequantConvention.Xnnpack, 0.5f, 0, new[] { 0.01f }, 0, 0.1f, 0, -128, 127, 3);
        Assert.Throws<ArgumentException>(() => DepthwiseConv2DReference.Run(g, new sbyte[g.InputLength], new sbyte[g.FilterLength], new int[6], p3, new sbyte[g.OutputLength]));
        Assert.Throws<ArgumentException>(() => DepthwiseConv2DReference.Run(g, new float[g.InputLength], new float[g.FilterLength], new float[5], 0, 6, new float[g.OutputLength]));
        Assert.Throws<ArgumentException>(() => DepthwiseConv2DGeometry.Create(1, 4, 4, 3, 0, 3, 3, 1, 1, 1, 1, PaddingType.Same));
        Assert.Throws<ArgumentException>(() => DepthwiseConv2DGeometry.Create(1, 2, 4, 3, 1, 3, 3, 1, 1, 1, 1, PaddingType.Valid));
        Assert.Throws<ArgumentException>(() => new DepthwiseConv2DGeometry(1, 4, 4, 3, 1, 3, 3, 4, 4, 1, 1, 1, 1, 0, -2));
    }
}
