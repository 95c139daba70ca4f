using QuantKernels.Kernels.Convolution;
using QuantKernels.Kernels.Depthwise;
using QuantKernels.Kernels.Tests.Convolution;
using QuantKernels.Kernels.Tests.ConvolutionSimd;

namespace QuantKernels.Kernels.Tests.DepthwiseSimd;

/// <summary>
/// <see cref="DepthwiseConv2DInt8Packed"/> split into parts of output rows (<c>Run(input, output, part, parts, worker)</c>):
/// every split, on concurrent threads with their own row buffers and also one part after another in reverse order, is
/// bit-identical to the one-part <c>Run</c> and to <see cref="DepthwiseConv2DReference"/>, on every ISA path; odd row
/// counts, 2 batches (parts start mid-batch), strides and dilation (rows a part must widen itself), fewer rows than parts.
/// </summary>
public class DepthwisePackedThreadingTests
{
    // n, h, w, c, m, kh, kw, sh, sw, dh, padding
    public static readonly TheoryData<int, int, int, int, int, int, int, int, int, int, PaddingType> Shapes = new()
    {
        { 1, 7, 5, 16, 1, 3, 3, 1, 1, 1, PaddingType.Same },   // 7 rows: uneven split
        { 2, 5, 6, 17, 1, 3, 3, 2, 2, 1, PaddingType.Same },   // 2 batches of 3 rows, stride 2
        { 1, 2, 3, 7, 2, 3, 3, 1, 1, 1, PaddingType.Same },    // 2 rows: with 3+ parts some are empty
        { 1, 9, 8, 5, 1, 5, 5, 1, 1, 1, PaddingType.Same },    // 5x5: a part's first row needs 5 input rows
        { 2, 9, 7, 3, 2, 3, 3, 1, 1, 2, PaddingType.Same },    // dilation 2, M = 2
        { 1, 11, 6, 69, 1, 3, 3, 1, 1, 1, PaddingType.Same },  // pixel-major AVX2 kernel (> 4 blocks)
        { 1, 1, 5, 16, 1, 3, 3, 1, 1, 1, PaddingType.Same },   // a single output row
    };

    private static readonly int[] PartCounts = [2, 3, 4, 7, 13];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Int8PartsMatchOnePartAndReference(int n, int h, int w, int c, int m, int kh, int kw, int sh, int sw, int dh, PaddingType pad)
        => Check(false, n, h, w, c, m, kh, kw, sh, sw, dh, pad);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Uint8PartsMatchOnePartAndReference(int n, int h, int w, int c, int m, int kh, int kw, int sh, int sw, int dh, PaddingType pad)
        => Check(true, n, h, w, c, m, kh, kw, sh, sw, dh, pad);

    private static void Check(bool unsigned, int n, int h, int w, int c, int m, int kh, int kw, int sh, int sw, int dh, PaddingType pad)
    {
        var rng = new Random(PackedCases.Seed(unsigned ? 21 : 20, n, h, w, c, m, kh, kw, sh, sw, dh, (int)pad));
        var g = DepthwiseConv2DGeometry.Create(n, h, w, c, m, kh, kw, sh, sw, dh, dh, pad);
        int outC = g.OutputChannels, runs = 0;
        foreach (var (s, p) in PackedCases.Params(unsigned, outC, kh * kw, rng).Take(4))
        {
            int[] input = RandomQuant.Activations(rng, g.InputLength, unsigned);
            int[] filter = PackedCases.Weights(rng, g.FilterLength, unsigned);
            int[] bias = RandomQuant.Bias(rng, outC);
            foreach (var path in PackedCases.Paths)
            {
                if (unsigned)
                {
                    byte[] x = TfliteTestQuant.U8(input), f = TfliteTestQuant.U8(filter);
                    var expected = new byte[g.OutputLength];
                    DepthwiseConv2DReference.Run(g, x, f, bias, p, expected);
                    var dw = DepthwiseConv2DInt8Packed.Create(g, f, bias, p, path);
                    var single = new byte[g.OutputLength];
                    dw.Run(x, single);
                    Assert.True(expected.AsSpan().SequenceEqual(single), $"{path} {s} one part: {PackedCases.Mismatch(expected, single)}");
                    dw.EnsureWorkers(PartCounts.Max());
                    foreach (int parts in PartCounts)
                    {
                        var concurrent = new byte[g.OutputLength];
                        Array.Fill(concurrent, (byte)0x5A);
                        Conv2DPackedThreadingTests.Concurrently(parts, part => dw.Run(x, concurrent, part, parts, part));
                        Assert.True(single.AsSpan().SequenceEqual(concurrent), $"{path} {s} {parts} concurrent parts: {PackedCases.Mismatch(single, concurrent)}");
                        var sequential = new byte[g.OutputLength];
                        Array.Fill(sequential, (byte)0xA5);
                        for (int part = parts - 1; part >= 0; part--) dw.Run(x, sequential, part, parts, 0); // one worker's scratch for every part
                        Assert.True(single.AsSpan().SequenceEqual(sequential), $"{path} {s} {parts} sequential parts: {PackedCases.Mismatch(single, sequential)}");
                        runs++;
                    }
                }
                else
                {
                    sbyte[] x = TfliteTestQuant.S8(input), f = TfliteTestQuant.S8(filter);
                    var expected = new sbyte[g.OutputLength];
                    DepthwiseConv2DReference.Run(g, x, f, bias, p, expected);
                    var dw = DepthwiseConv2DInt8Packed.Create(g, f, bias, p, path);
                    var single = new sbyte[g.OutputLength];
                    dw.Run(x, single);
                    Assert.True(expected.AsSpan().SequenceEqual(single), $"{path} {s} one part: {PackedCases.Mismatch(expected, single)}");
                    dw.EnsureWorkers(PartCounts.Max());
                    foreach (int parts in PartCounts)
                    {
                        var concurrent = new sbyte[g.OutputLength];
                        Array.Fill(concurrent, (sbyte)0x5A);
                        Conv2DPackedThreadingTests.Concurrently(parts, part => dw.Run(x, concurrent, part, parts, part));
                        Assert.True(single.AsSpan().SequenceEqual(concurrent), $"{path} {s} {parts} concurrent parts: {PackedCases.Mismatch(single, concurrent)}");
                        var sequential = new sbyte[g.OutputLength];
                        Array.Fill(sequential, (sbyte)-0x5B);
                        for (int part = parts - 1; part >= 0; part--) dw.Run(x, sequential, part, parts, 0); // one worker's scratch for every part
                        Assert.True(single.AsSpan().SequenceEqual(sequential), $"{path} {s} {parts} sequential parts: {PackedCases.Mismatch(single, sequential)}");
                        runs++;
                    }
                }
            }
        }
        Assert.True(runs >= 4 * PartCounts.Length, $"only {runs} runs");
    }

    [Fact]
    public void RejectsBadPartsAndReportsRows()
    {
        var g = DepthwiseConv2DGeometry.Create(2, 5, 4, 4, 1, 3, 3, 1, 1, 1, 1, PaddingType.Same);
        var p = QuantizedConvParams.Prepare(Quantization.RequantConvention.Xnnpack, 0.1f, 0, [0.1f], 0, 0.1f, 0, -128, 127, 4);
        var dw = DepthwiseConv2DInt8Packed.Create(g, new sbyte[g.FilterLength], [], p, Dispatch.Select(null));
        Assert.Equal(10, dw.OutputRows);
        Assert.Equal(1, dw.Workers);
        var x = new sbyte[g.InputLength];
        var y = new sbyte[g.OutputLength];
        dw.Run(x, y, 5, 9, 0); // more parts than workers is fine
        Assert.Throws<ArgumentException>(() => dw.Run(x, y, 0, 2, 1)); // only one worker's scratch
        dw.EnsureWorkers(2);
        Assert.Equal(2, dw.Workers);
        dw.Run(x, y, 1, 2, 1);
        Assert.Throws<ArgumentException>(() => dw.Run(x, y, 0, 2, 2));
        Assert.Throws<ArgumentException>(() => dw.Run(x, y, 0, 2, -1));
        Assert.Throws<ArgumentException>(() => dw.Run(x, y, 2, 2, 0));
        Assert.Throws<ArgumentException>(() => dw.Run(x, y, -1, 2, 0));
        Assert.Throws<ArgumentException>(() => dw.Run(x, y, 0, 0, 0));
        Assert.Throws<ArgumentException>(() => dw.Run(new byte[g.InputLength], new byte[g.OutputLength], 0, 1, 0)); // packed for int8
        Assert.Throws<ArgumentException>(() => dw.Run(x, new sbyte[g.OutputLength - 1], 0, 2, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => dw.EnsureWorkers(0));
    }
}
