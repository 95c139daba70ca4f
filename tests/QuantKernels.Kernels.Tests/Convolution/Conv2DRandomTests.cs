using QuantKernels.Kernels.Convolution;
using QuantKernels.Kernels.Quantization;
using Xunit;

namespace QuantKernels.Kernels.Tests.Convolution;

/// <summary>
/// Seeded random CONV_2D cases against <see cref="ConvOracle"/>: both conventions, int8 (per-channel and per-tensor)
/// and legacy uint8 (weight zero point), extreme zero points, saturation, odd channel counts, strides 2, dilation 2,
/// SAME padding with odd totals, batches &gt; 1 and grouped convolution.
/// </summary>
public class Conv2DRandomTests
{
    // n, h, w, c, o, kh, kw, filterIn, sh, sw, dh, dw, padding
    public static readonly TheoryData<int, int, int, int, int, int, int, int, int, int, int, int, PaddingType> Shapes = new()
    {
        { 1, 7, 7, 3, 5, 3, 3, 3, 2, 2, 1, 1, PaddingType.Same },   // SAME total 2 per axis, stride 2
        { 2, 6, 5, 4, 3, 3, 3, 4, 2, 2, 1, 1, PaddingType.Same },   // H total 1 (odd), W total 2; 2 batches
        { 1, 8, 8, 5, 7, 3, 3, 5, 1, 1, 2, 2, PaddingType.Same },   // dilation 2, total 4
        { 1, 9, 6, 3, 4, 2, 3, 3, 2, 1, 2, 1, PaddingType.Valid },  // anisotropic stride/dilation
        { 3, 4, 4, 1, 1, 1, 1, 1, 1, 1, 1, 1, PaddingType.Valid },  // pointwise, 3 batches
        { 1, 5, 5, 6, 4, 3, 3, 3, 1, 1, 1, 1, PaddingType.Same },   // grouped: 2 groups
        { 1, 10, 10, 2, 3, 4, 4, 2, 3, 3, 1, 1, PaddingType.Same }, // even kernel, stride 3, total 3
        { 1, 1, 1, 9, 5, 1, 1, 9, 1, 1, 1, 1, PaddingType.Valid },  // 1x1 image (FC-like)
        { 1, 3, 3, 2, 3, 5, 5, 2, 2, 2, 1, 1, PaddingType.Same },   // filter larger than the image
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Int8MatchesOracle(int n, int h, int w, int c, int o, int kh, int kw, int fi, int sh, int sw, int dh, int dw, PaddingType pad)
        => Check(false, n, h, w, c, o, kh, kw, fi, sh, sw, dh, dw, pad);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Uint8MatchesOracle(int n, int h, int w, int c, int o, int kh, int kw, int fi, int sh, int sw, int dh, int dw, PaddingType pad)
        => Check(true, n, h, w, c, o, kh, kw, fi, sh, sw, dh, dw, pad);

    private static void Check(bool unsigned, int n, int h, int w, int c, int o, int kh, int kw, int fi,
        int sh, int sw, int dh, int dw, PaddingType pad)
    {
        var rng = new Random(HashCode.Combine(unsigned, n, h, w, c, o, kh * 100 + kw, sh * 10 + dh));
        var g = Conv2DGeometry.Create(n, h, w, c, o, kh, kw, fi, sh, sw, dh, dw, pad);
        int saturated = 0, total = 0;
        foreach (var s in RandomQuant.Setups(unsigned, o, kh * kw * fi, rng))
        {
            int[] input = RandomQuant.Activations(rng, g.InputLength, unsigned);
            int[] filter = RandomQuant.Weights(rng, g.FilterLength, unsigned);
            int[]? bias = rng.Next(4) == 0 ? null : RandomQuant.Bias(rng, o);
            long[] acc = ConvOracle.ConvAcc(input, n, h, w, c, filter, o, kh, kw, fi, bias, sh, sw, dh, dw,
                g.PadTop, g.PadLeft, g.OutputHeight, g.OutputWidth, s.InZp, s.WeightZp);
            foreach (var convention in new[] { RequantConvention.Xnnpack, RequantConvention.Reference })
            {
                var p = QuantizedConvParams.Prepare(convention, s.InScale, s.InZp, s.WeightScales, s.WeightZp, s.OutScale, s.OutZp, s.Min, s.Max, o);
                int[] expected = acc.Select((a, i) => convention == RequantConvention.Xnnpack
                    ? ConvOracle.Xnnpack(a, s.InScale, s.WeightScale(i % o), s.OutScale, s.OutZp, s.Min, s.Max)
                    : ConvOracle.Reference(a, s.InScale, s.WeightScale(i % o), s.OutScale, s.OutZp, s.Min, s.Max)).ToArray();
                int[] actual;
                if (unsigned)
                {
                    var output = new byte[g.OutputLength];
                    Conv2DReference.Run(g, TfliteTestQuant.U8(input), TfliteTestQuant.U8(filter), bias ?? Array.Empty<int>(), p, output);
                    actual = output.Select(v => (int)v).ToArray();
                }
                else
                {
                    var output = new sbyte[g.OutputLength];
                    Conv2DReference.Run(g, TfliteTestQuant.S8(input), TfliteTestQuant.S8(filter), bias ?? Array.Empty<int>(), p, output);
                    actual = output.Select(v => (int)v).ToArray();
                }
                Assert.True(expected.SequenceEqual(actual), $"{convention}, {s}: first mismatch at {FirstMismatch(expected, actual)}");
                saturated += actual.Count(v => v == s.Min || v == s.Max);
                total += actual.Length;
            }
        }
        // The setups are built to hit the clamp somewhere; otherwise saturation would go untested.
        Assert.InRange(saturated, 1, total);
    }

    internal static string FirstMismatch(int[] expected, int[] actual)
    {
        for (int i = 0; i < expected.Length; i++)
            if (expected[i] != actual[i]) return $"index {i}: expected {expected[i]}, got {actual[i]}";
        return "none";
    }

    /// <summary>Grouped convolution equals two independent convolutions on the channel halves.</summary>
    [Fact]
    public void GroupedFloatEqualsSplitConvolutions()
    {
        var rng = new Random(7);
        var g = Conv2DGeometry.Create(1, 5, 4, 4, 6, 3, 3, 2, 1, 1, 1, 1, PaddingType.Same);
        float[] input = Enumerable.Range(0, g.InputLength).Select(_ => (float)rng.Next(-5, 6)).ToArray();
        float[] filter = Enumerable.Range(0, g.FilterLength).Select(_ => (float)rng.Next(-3, 4)).ToArray();
        float[] bias = { 1, 2, 3, 4, 5, 6 };
        var output = new float[g.OutputLength];
        Conv2DReference.Run(g, input, filter, bias, float.NegativeInfinity, float.PositiveInfinity, output);

        var half = Conv2DGeometry.Create(1, 5, 4, 2, 3, 3, 3, 2, 1, 1, 1, 1, PaddingType.Same);
        for (int grp = 0; grp < 2; grp++)
        {
            float[] inHalf = new float[half.InputLength];
            for (int px = 0; px < 20; px++) { inHalf[px * 2] = input[px * 4 + grp * 2]; inHalf[px * 2 + 1] = input[px * 4 + grp * 2 + 1]; }
            var outHalf = new float[half.OutputLength];
            Conv2DReference.Run(half, inHalf, filter.AsSpan(grp * 3 * 18, 3 * 18), bias.AsSpan(grp * 3, 3),
                float.NegativeInfinity, float.PositiveInfinity, outHalf);
            for (int px = 0; px < 20; px++)
                for (int oc = 0; oc < 3; oc++)
                    Assert.Equal(outHalf[px * 3 + oc], output[px * 6 + grp * 3 + oc]);
        }
    }
}
