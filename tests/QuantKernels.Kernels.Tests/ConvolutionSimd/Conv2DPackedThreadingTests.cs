using QuantKernels.Kernels.Convolution;
using QuantKernels.Kernels.Tests.Convolution;

namespace QuantKernels.Kernels.Tests.ConvolutionSimd;

/// <summary>
/// <see cref="Conv2DInt8Packed"/> split into parts (<c>Run(input, output, part, parts, worker)</c>): every split, run on concurrent
/// threads with their own scratch and also one part after another in reverse order, is bit-identical to the one-part
/// <c>Run</c> and to <see cref="Conv2DReference"/>, on every ISA path; shapes with odd row counts, pixel counts that
/// are not multiples of the 6-pixel block, 2 batches, and fewer blocks than parts (empty parts).
/// </summary>
public class Conv2DPackedThreadingTests
{
    // n, h, w, c, o, kh, kw, sh, sw, padding
    public static readonly TheoryData<int, int, int, int, int, int, int, int, int, PaddingType> Shapes = new()
    {
        { 1, 7, 5, 3, 17, 3, 3, 1, 1, PaddingType.Same },   // 35 pixels = 6 blocks (last partial), odd rows
        { 2, 5, 3, 8, 33, 3, 3, 1, 1, PaddingType.Same },   // 2 batches: parts start mid-image and cross batches
        { 1, 2, 2, 5, 7, 3, 3, 1, 1, PaddingType.Same },    // 4 pixels = 1 block: every part but one is empty
        { 1, 3, 3, 4, 16, 1, 1, 1, 1, PaddingType.Valid },  // pointwise fast path, 9 pixels = 2 blocks
        { 1, 9, 11, 5, 9, 5, 5, 2, 2, PaddingType.Same },   // stride 2: 5x6 = 30 pixels, 5 blocks
        { 1, 13, 13, 16, 24, 3, 3, 1, 1, PaddingType.Valid }, // 121 pixels, 21 blocks, odd split points
        { 1, 1, 1, 70, 100, 1, 1, 1, 1, PaddingType.Valid }, // a classifier head: 1 pixel, parts split 7 channel blocks
        { 1, 3, 4, 3, 40, 3, 3, 2, 2, PaddingType.Same },   // 2x2 pixels, 3 channel blocks, the padded-row gather
        { 2, 2, 5, 9, 33, 1, 1, 1, 1, PaddingType.Same },   // 20 pixels = 4 blocks: the pixels split again
    };

    private static readonly int[] PartCounts = [2, 3, 4, 7, 13];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Int8PartsMatchOnePartAndReference(int n, int h, int w, int c, int o, int kh, int kw, int sh, int sw, PaddingType pad)
        => Check(false, n, h, w, c, o, kh, kw, sh, sw, pad);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Uint8PartsMatchOnePartAndReference(int n, int h, int w, int c, int o, int kh, int kw, int sh, int sw, PaddingType pad)
        => Check(true, n, h, w, c, o, kh, kw, sh, sw, pad);

    private static void Check(bool unsigned, int n, int h, int w, int c, int o, int kh, int kw, int sh, int sw, PaddingType pad)
    {
        var rng = new Random(PackedCases.Seed(unsigned ? 11 : 10, n, h, w, c, o, kh, kw, sh, sw, (int)pad));
        var g = Conv2DGeometry.Create(n, h, w, c, o, kh, kw, c, sh, sw, 1, 1, pad);
        int runs = 0;
        foreach (var (s, p) in PackedCases.Params(unsigned, o, kh * kw * c, rng).Take(4))
        {
            int[] input = RandomQuant.Activations(rng, g.InputLength, unsigned);
            int[] filter = PackedCases.Weights(rng, g.FilterLength, unsigned);
            int[] bias = RandomQuant.Bias(rng, o);
            foreach (var path in PackedCases.Paths)
            {
                if (unsigned)
                {
                    byte[] x = TfliteTestQuant.U8(input), f = TfliteTestQuant.U8(filter);
                    var expected = new byte[g.OutputLength];
                    Conv2DReference.Run(g, x, f, bias, p, expected);
                    var conv = Conv2DInt8Packed.Create(g, f, bias, p, path);
                    var single = new byte[g.OutputLength];
                    conv.Run(x, single);
                    Assert.True(expected.AsSpan().SequenceEqual(single), $"{path} {s} one part: {PackedCases.Mismatch(expected, single)}");
                    conv.EnsureWorkers(PartCounts.Max());
                    foreach (int parts in PartCounts)
                    {
                        var concurrent = Fill(new byte[g.OutputLength], (byte)0x5A);
                        Concurrently(parts, part => conv.Run(x, concurrent, part, parts, part));
                        Assert.True(single.AsSpan().SequenceEqual(concurrent), $"{path} {s} {parts} concurrent parts: {PackedCases.Mismatch(single, concurrent)}");
                        var sequential = Fill(new byte[g.OutputLength], (byte)0xA5);
                        for (int part = parts - 1; part >= 0; part--) conv.Run(x, sequential, part, parts, 0); // one worker's scratch for every part
                        Assert.True(single.AsSpan().SequenceEqual(sequential), $"{path} {s} {parts} sequential parts: {PackedCases.Mismatch(single, sequential)}");
                        runs++;
                    }
                }
                else
                {
                    sbyte[] x = TfliteTestQuant.S8(input), f = TfliteTestQuant.S8(filter);
                    var expected = new sbyte[g.OutputLength];
                    Conv2DReference.Run(g, x, f, bias, p, expected);
                    var conv = Conv2DInt8Packed.Create(g, f, bias, p, path);
                    var single = new sbyte[g.OutputLength];
                    conv.Run(x, single);
                    Assert.True(expected.AsSpan().SequenceEqual(single), $"{path} {s} one part: {PackedCases.Mismatch(expected, single)}");
                    conv.EnsureWorkers(PartCounts.Max());
                    foreach (int parts in PartCounts)
                    {
                        var concurrent = Fill(new sbyte[g.OutputLength], (sbyte)0x5A);
                        Concurrently(parts, part => conv.Run(x, concurrent, part, parts, part));
                        Assert.True(single.AsSpan().SequenceEqual(concurrent), $"{path} {s} {parts} concurrent parts: {PackedCases.Mismatch(single, concurrent)}");
                        var sequential = Fill(new sbyte[g.OutputLength], (sbyte)-0x5B);
                        for (int part = parts - 1; part >= 0; part--) conv.Run(x, sequential, part, parts, 0); // one worker's scratch for every part
                        Assert.True(single.AsSpan().SequenceEqual(sequential), $"{path} {s} {parts} sequential parts: {PackedCases.Mismatch(single, sequential)}");
                        runs++;
                    }
                }
            }
        }
        Assert.True(runs >= 4 * PartCounts.Length, $"only {runs} runs");
    }

    [Fact]
    public void PixelBlocksAndWorkersAreReported()
    {
        var g = Conv2DGeometry.Create(2, 5, 3, 4, 4, 3, 3, 4, 1, 1, 1, 1, PaddingType.Same); // 30 pixels
        var p = QuantizedConvParams.Prepare(Quantization.RequantConvention.Xnnpack, 0.1f, 0, [0.1f], 0, 0.1f, 0, -128, 127, 4);
        var conv = Conv2DInt8Packed.Create(g, new sbyte[g.FilterLength], [], p, Dispatch.Select(null));
        Assert.Equal(5, conv.PixelBlocks);
        Assert.Equal(1, conv.Workers);
        conv.EnsureWorkers(3);
        Assert.Equal(3, conv.Workers);
        conv.EnsureWorkers(2); // never shrinks
        Assert.Equal(3, conv.Workers);
    }

    [Fact]
    public void FewPixelsSplitChannels()
    {
        var p = QuantizedConvParams.Prepare(Quantization.RequantConvention.Xnnpack, 0.1f, 0, [0.1f], 0, 0.1f, 0, -128, 127, 100);
        var head = Conv2DInt8Packed.Create(Conv2DGeometry.Create(1, 1, 1, 8, 100, 1, 1, 8, 1, 1, 1, 1, PaddingType.Valid),
            new sbyte[800], [], p, Dispatch.Select(null));
        bool arm = head.Path is IsaPath.AdvSimd or IsaPath.AdvSimdDp; // that packing computes every block at once
        Assert.Equal(!arm, head.SplitsChannels);
        Assert.Equal(arm ? 1 : 7, head.MaxParts);
        Assert.Equal(7, head.ChannelBlocks);
        var image = Conv2DInt8Packed.Create(Conv2DGeometry.Create(1, 5, 5, 8, 100, 1, 1, 8, 1, 1, 1, 1, PaddingType.Valid),
            new sbyte[800], [], p, Dispatch.Select(null));
        Assert.False(image.SplitsChannels); // 25 pixels = 5 blocks
        Assert.Equal(5, image.MaxParts);
    }

    [Fact]
    public void RejectsBadParts()
    {
        var g = Conv2DGeometry.Create(1, 4, 4, 4, 4, 3, 3, 4, 1, 1, 1, 1, PaddingType.Same);
        var p = QuantizedConvParams.Prepare(Quantization.RequantConvention.Xnnpack, 0.1f, 0, [0.1f], 0, 0.1f, 0, -128, 127, 4);
        var conv = Conv2DInt8Packed.Create(g, new sbyte[g.FilterLength], [], p, Dispatch.Select(null));
        var x = new sbyte[g.InputLength];
        var y = new sbyte[g.OutputLength];
        conv.Run(x, y, 5, 9, 0); // more parts than workers is fine
        Assert.Throws<ArgumentException>(() => conv.Run(x, y, 0, 2, 1)); // only one worker's scratch
        conv.EnsureWorkers(2);
        conv.Run(x, y, 1, 2, 1);
        Assert.Throws<ArgumentException>(() => conv.Run(x, y, 0, 2, 2));
        Assert.Throws<ArgumentException>(() => conv.Run(x, y, 0, 2, -1));
        Assert.Throws<ArgumentException>(() => conv.Run(x, y, 2, 2, 0));
        Assert.Throws<ArgumentException>(() => conv.Run(x, y, -1, 2, 0));
        Assert.Throws<ArgumentException>(() => conv.Run(x, y, 0, 0, 0));
        Assert.Throws<ArgumentException>(() => conv.Run(new byte[g.InputLength], new byte[g.OutputLength], 0, 1, 0)); // packed for int8
        Assert.Throws<ArgumentException>(() => conv.Run(x, new sbyte[g.OutputLength - 1], 0, 2, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => conv.EnsureWorkers(0));
    }

    private static T[] Fill<T>(T[] a, T v)
    {
        Array.Fill(a, v);
        return a;
    }

    /// <summary>Runs parts 0..parts-1 on their own threads, released together.</summary>
    internal static void Concurrently(int parts, Action<int> run)
    {
        using var start = new Barrier(parts);
        Exception? error = null;
        var threads = Enumerable.Range(0, parts).Select(part => new Thread(() =>
        {
            start.SignalAndWait();
            try { run(part); }
            catch (Exception e) { Interlocked.CompareExchange(ref error, e, null); }
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        if (error is not null) throw error;
    }
}
