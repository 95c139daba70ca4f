using QuantKernels.Kernels.Layout;
using QuantKernels.Kernels.Pooling;

namespace QuantKernels.Kernels.Tests.HotOps;

/// <summary><see cref="MaxPoolSimd"/> equals the scalar <see cref="MaxPool2D"/> (float bit for bit, NaN and signed zeros included).</summary>
public class MaxPoolSimdTests
{
    [Theory]
    [MemberData(nameof(HotOpCases.AllPaths), MemberType = typeof(HotOpCases))]
    public void Quantized_windows_equal_the_scalar_kernel(IsaPath path)
    {
        var rng = new Random(909 + (int)path);
        for (int round = 0, rounds = HotOpCases.Rounds(150); round < rounds; round++)
        {
            var (inShape, outShape, p) = HotOpCases.PoolGeometry(rng, round);
            var raw = new byte[inShape.ElementCount];
            rng.NextBytes(raw);
            bool unsigned = rng.Next(2) == 0;
            int lo = unsigned ? rng.Next(0, 60) : rng.Next(-128, -60), hi = unsigned ? rng.Next(200, 256) : rng.Next(60, 128);
            if (round % 10 == 9) (lo, hi) = unsigned ? (0, 255) : (-128, 127);
            if (unsigned)
            {
                var e = new byte[outShape.ElementCount];
                var a = new byte[outShape.ElementCount];
                MaxPool2D.Quantized<byte>(raw, inShape, e, outShape, in p, lo, hi);
                MaxPoolSimd.Quantized<byte>(path, raw, inShape, a, outShape, in p, lo, hi);
                Assert.True(e.AsSpan().SequenceEqual(a), $"round {round} uint8 {inShape} {p}: {HotOpCases.Mismatch<byte>(e, a)}");
            }
            else
            {
                var s8 = Array.ConvertAll(raw, b => (sbyte)b);
                var e = new sbyte[outShape.ElementCount];
                var a = new sbyte[outShape.ElementCount];
                MaxPool2D.Quantized<sbyte>(s8, inShape, e, outShape, in p, lo, hi);
                MaxPoolSimd.Quantized<sbyte>(path, s8, inShape, a, outShape, in p, lo, hi);
                Assert.True(e.AsSpan().SequenceEqual(a), $"round {round} int8 {inShape} {p}: {HotOpCases.Mismatch<sbyte>(e, a)}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(HotOpCases.AllPaths), MemberType = typeof(HotOpCases))]
    public void Float_windows_equal_the_scalar_kernel(IsaPath path)
    {
        var rng = new Random(919 + (int)path);
        float[] specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, float.MinValue, float.MaxValue];
        (float, float)[] ranges = [(float.NegativeInfinity, float.PositiveInfinity), (0f, float.PositiveInfinity), (0f, 6f), (-1f, 1f)];
        for (int round = 0, rounds = HotOpCases.Rounds(150); round < rounds; round++)
        {
            var (inShape, outShape, p) = HotOpCases.PoolGeometry(rng, round);
            var x = new float[inShape.ElementCount];
            for (int i = 0; i < x.Length; i++)
                x[i] = round % 3 == 2 && rng.Next(4) == 0 ? specials[rng.Next(specials.Length)] : (float)(rng.NextDouble() * 20 - 10);
            var (lo, hi) = ranges[rng.Next(ranges.Length)];
            var e = new float[outShape.ElementCount];
            var a = new float[outShape.ElementCount];
            MaxPool2D.Float(x, inShape, e, outShape, in p, lo, hi);
            MaxPoolSimd.Float(path, x, inShape, a, outShape, in p, lo, hi);
            for (int i = 0; i < e.Length; i++)
                Assert.True(BitConverter.SingleToInt32Bits(e[i]) == BitConverter.SingleToInt32Bits(a[i]) || (float.IsNaN(e[i]) && float.IsNaN(a[i])),
                    $"round {round} {inShape} {p} [{lo},{hi}]: index {i} expected {e[i]}, got {a[i]}");
        }
    }
}
