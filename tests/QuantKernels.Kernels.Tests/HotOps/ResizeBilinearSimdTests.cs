using QuantKernels.Kernels.Layout;

namespace QuantKernels.Kernels.Tests.HotOps;

/// <summary><see cref="ResizeBilinearSimd"/> equals the scalar <see cref="ResizeBilinear"/> kernels bit for bit.</summary>
public class ResizeBilinearSimdTests
{
    private static (Nhwc In, Nhwc Out, bool Align, bool Half) RandomGeometry(Random rng, int round)
    {
        int n = rng.Next(1, 3), c = round < 40 ? round + 1 : rng.Next(1, 70);
        int h = rng.Next(1, 12), w = rng.Next(1, 12);
        // Up- and downsampling, including to and from one pixel.
        int oh = rng.Next(1, 30), ow = rng.Next(1, 30);
        int mode = rng.Next(3);
        return (new Nhwc(n, h, w, c), new Nhwc(n, oh, ow, c), mode == 1, mode == 2);
    }

    [Theory]
    [MemberData(nameof(HotOpCases.AllPaths), MemberType = typeof(HotOpCases))]
    public void Quantized_equals_the_scalar_xnnpack_kernel(IsaPath path)
    {
        var rng = new Random(1701 + (int)path);
        for (int round = 0, rounds = HotOpCases.Rounds(160); round < rounds; round++)
        {
            var (inShape, outShape, align, half) = RandomGeometry(rng, round);
            var raw = new byte[inShape.ElementCount];
            rng.NextBytes(raw);
            // Extremes: whole tensors at the ends of the range, and alternating ends (largest differences).
            if (round % 7 == 3) Array.Fill(raw, (byte)(rng.Next(2) == 0 ? 0 : 255));
            if (round % 7 == 5) for (int i = 0; i < raw.Length; i++) raw[i] = (byte)(i % 2 == 0 ? 0x80 : 0x7F);
            var scratch = new int[ResizeBilinearSimd.ScratchLength(outShape) + rng.Next(3)];
            if (rng.Next(2) == 0)
            {
                var e = new byte[outShape.ElementCount];
                var a = new byte[outShape.ElementCount];
                ResizeBilinear.QuantizedXnnpack<byte>(raw, inShape, e, outShape, align, half);
                ResizeBilinearSimd.QuantizedXnnpack<byte>(path, raw, inShape, a, outShape, align, half, scratch);
                Assert.True(e.AsSpan().SequenceEqual(a), $"round {round} uint8 {inShape}->{outShape} align {align} half {half}: {HotOpCases.Mismatch<byte>(e, a)}");
            }
            else
            {
                var s8 = Array.ConvertAll(raw, b => (sbyte)b);
                var e = new sbyte[outShape.ElementCount];
                var a = new sbyte[outShape.ElementCount];
                ResizeBilinear.QuantizedXnnpack<sbyte>(s8, inShape, e, outShape, align, half);
                ResizeBilinearSimd.QuantizedXnnpack<sbyte>(path, s8, inShape, a, outShape, align, half, scratch);
                Assert.True(e.AsSpan().SequenceEqual(a), $"round {round} int8 {inShape}->{outShape} align {align} half {half}: {HotOpCases.Mismatch<sbyte>(e, a)}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(HotOpCases.AllPaths), MemberType = typeof(HotOpCases))]
    public void Float_equals_the_scalar_kernel_bit_for_bit(IsaPath path)
    {
        var rng = new Random(1801 + (int)path);
        float[] specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, float.MaxValue, float.Epsilon];
        for (int round = 0, rounds = HotOpCases.Rounds(160); round < rounds; round++)
        {
            var (inShape, outShape, align, half) = RandomGeometry(rng, round);
            var x = new float[inShape.ElementCount];
            for (int i = 0; i < x.Length; i++)
                x[i] = round % 5 == 4 && rng.Next(8) == 0 ? specials[rng.Next(specials.Length)] : (float)(rng.NextDouble() * 200 - 100);
            var e = new float[outShape.ElementCount];
            var a = new float[outShape.ElementCount];
            ResizeBilinear.Float(x, inShape, e, outShape, align, half);
            ResizeBilinearSimd.Float(path, x, inShape, a, outShape, align, half);
            for (int i = 0; i < e.Length; i++)
                Assert.True(BitConverter.SingleToInt32Bits(e[i]) == BitConverter.SingleToInt32Bits(a[i]) || (float.IsNaN(e[i]) && float.IsNaN(a[i])),
                    $"round {round} {inShape}->{outShape} align {align} half {half}: index {i} expected {e[i]}, got {a[i]}");
        }
    }

    [Fact]
    public void Too_small_scratch_is_rejected()
    {
        var inShape = new Nhwc(1, 2, 2, 3);
        var outShape = new Nhwc(1, 4, 4, 3);
        var ex = Assert.Throws<ArgumentException>(() => ResizeBilinearSimd.QuantizedXnnpack<byte>(IsaPath.Scalar, new byte[12], inShape,
            new byte[48], outShape, false, false, new int[ResizeBilinearSimd.ScratchLength(outShape) - 1]));
        Assert.Contains("scratch", ex.Message);
    }
}
