using QuantKernels.Kernels.Conversion;

namespace QuantKernels.Kernels.Tests.HotOps;

/// <summary><see cref="RequantizeSimd"/> equals the scalar <see cref="Requantize"/> kernels for every byte value.</summary>
public class RequantizeSimdTests
{
    [Theory]
    [MemberData(nameof(HotOpCases.AllPaths), MemberType = typeof(HotOpCases))]
    public void Zero_point_shift_equals_the_scalar_requantize_in_every_type_pair(IsaPath path)
    {
        var rng = new Random(31 + (int)path);
        foreach (int n in HotOpCases.Lengths)
        {
            var raw = new byte[n];
            rng.NextBytes(raw);
            float scale = (float)(rng.NextDouble() + 1e-3);
            int U() => new[] { 0, 255, 128, 127, rng.Next(256) }[rng.Next(5)];
            int S() => new[] { -128, 127, -1, 0, rng.Next(-128, 128) }[rng.Next(5)];
            var s8 = Array.ConvertAll(raw, b => (sbyte)b);
            Check<byte, sbyte>(path, raw, scale, U(), S(), n);
            Check<sbyte, byte>(path, s8, scale, S(), U(), n);
            Check<byte, byte>(path, raw, scale, U(), U(), n);
            Check<sbyte, sbyte>(path, s8, scale, S(), S(), n);
        }
    }

    [Theory]
    [MemberData(nameof(HotOpCases.AllPaths), MemberType = typeof(HotOpCases))]
    public void Xnnpack_convert_equals_the_scalar_convert(IsaPath path)
    {
        var rng = new Random(97 + (int)path);
        foreach (int n in HotOpCases.Lengths)
        {
            var raw = new byte[n];
            rng.NextBytes(raw);
            float inScale = (float)Math.Exp(rng.NextDouble() * 10 - 5), outScale = (float)Math.Exp(rng.NextDouble() * 10 - 5);
            float ratio = inScale / outScale;
            if (ratio < 1f / 256 || ratio > 128f) continue;
            var pu = Requantize.PrepareXnnpack(inScale, rng.Next(256), outScale, new[] { 0, 255, rng.Next(256) }[rng.Next(3)]);
            var eu = new byte[n];
            var au = new byte[n];
            Requantize.RunXnnpack<byte>(raw, eu, in pu);
            RequantizeSimd.RunXnnpack<byte>(path, raw, au, in pu);
            Assert.True(eu.AsSpan().SequenceEqual(au), $"uint8 n={n}: {HotOpCases.Mismatch<byte>(eu, au)}");
            var ps = Requantize.PrepareXnnpack(inScale, rng.Next(-128, 128), outScale, new[] { -128, 127, rng.Next(-128, 128) }[rng.Next(3)]);
            var s8 = Array.ConvertAll(raw, b => (sbyte)b);
            var es = new sbyte[n];
            var @as = new sbyte[n];
            Requantize.RunXnnpack<sbyte>(s8, es, in ps);
            RequantizeSimd.RunXnnpack<sbyte>(path, s8, @as, in ps);
            Assert.True(es.AsSpan().SequenceEqual(@as), $"int8 n={n}: {HotOpCases.Mismatch<sbyte>(es, @as)}");
        }
    }

    [Fact]
    public void Unequal_scales_are_not_a_zero_point_shift()
    {
        var p = Requantize.Prepare(0.5f, 0, 0.25f, 0);
        Assert.False(RequantizeSimd.IsZeroPointShift(in p));
        Assert.True(RequantizeSimd.IsZeroPointShift(Requantize.Prepare(0.37f, 3, 0.37f, -9)));
        Assert.Throws<ArgumentException>(() => RequantizeSimd.RunZeroPointShift<sbyte, sbyte>(IsaPath.Scalar, new sbyte[1], new sbyte[1], in p));
    }

    private static void Check<TIn, TOut>(IsaPath path, TIn[] input, float scale, int zpIn, int zpOut, int n)
        where TIn : unmanaged, System.Numerics.IBinaryInteger<TIn>
        where TOut : unmanaged, System.Numerics.IBinaryInteger<TOut>, System.Numerics.IMinMaxValue<TOut>
    {
        var p = Requantize.Prepare(scale, zpIn, scale, zpOut);
        var expected = new TOut[n];
        var actual = new TOut[n];
        Requantize.Run<TIn, TOut>(input, expected, in p);
        RequantizeSimd.RunZeroPointShift<TIn, TOut>(path, input, actual, in p);
        Assert.True(expected.AsSpan().SequenceEqual(actual), $"{typeof(TIn).Name}->{typeof(TOut).Name} zp {zpIn}->{zpOut} n={n}: {HotOpCases.Mismatch<TOut>(expected, actual)}");
    }
}
