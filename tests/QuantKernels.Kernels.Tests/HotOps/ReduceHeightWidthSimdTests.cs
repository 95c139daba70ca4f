using QuantKernels.Kernels.Quantization;
using QuantKernels.Kernels.Reduce;

namespace QuantKernels.Kernels.Tests.HotOps;

/// <summary><see cref="ReduceHeightWidthSimd"/> equals <see cref="ReduceMeanSum.Quantized{T}"/> over axes {1,2}.</summary>
public class ReduceHeightWidthSimdTests
{
    [Theory]
    [MemberData(nameof(HotOpCases.PathsAndConventions), MemberType = typeof(HotOpCases))]
    public void Mean_and_sum_equal_the_generic_reduction(IsaPath path, RequantConvention convention)
    {
        var rng = new Random(77 + (int)path * 10 + (int)convention);
        int[] axes = [1, 2];
        for (int round = 0; round < 120; round++)
        {
            int n = rng.Next(1, 3), h = rng.Next(1, 9), w = rng.Next(1, 9);
            int c = round < 70 ? round + 1 : rng.Next(1, 200);
            bool isSum = rng.Next(4) == 0, keepDims = rng.Next(2) == 0, unsigned = rng.Next(2) == 0;
            int qmin = unsigned ? 0 : -128, qmax = unsigned ? 255 : 127;
            int[] zps = [qmin, qmax, (qmin + qmax) / 2, rng.Next(qmin, qmax + 1)];
            int zpIn = zps[rng.Next(4)], zpOut = zps[rng.Next(4)];
            float inScale = (float)(rng.NextDouble() * 0.1 + 1e-3), outScale = rng.Next(3) == 0 ? inScale : (float)(rng.NextDouble() * 0.1 + 1e-3);
            if (rng.Next(5) == 0) zpOut = zpIn;
            int[] shape = [n, h, w, c];
            var p = isSum
                ? QuantizedReduceParams.Prepare(convention, true, h * w, inScale, zpIn, outScale, zpOut, qmin, qmax)
                : QuantizedReduceParams.PrepareMean(convention, shape, axes, keepDims, inScale, zpIn, outScale, zpOut, qmin, qmax);
            var raw = new byte[n * h * w * c];
            rng.NextBytes(raw);
            if (rng.Next(3) == 0) Array.Fill(raw, (byte)(unsigned ? 255 : 128)); // saturate: all at one end
            var expected = new byte[n * c];
            var actual = new byte[n * c];
            if (unsigned)
            {
                ReduceMeanSum.Quantized<byte>(raw, shape, axes, expected, in p);
                ReduceHeightWidthSimd.Run<byte>(path, raw, n, h, w, c, actual, in p);
            }
            else
            {
                var s = Array.ConvertAll(raw, b => (sbyte)b);
                var e8 = new sbyte[n * c];
                var a8 = new sbyte[n * c];
                ReduceMeanSum.Quantized<sbyte>(s, shape, axes, e8, in p);
                ReduceHeightWidthSimd.Run<sbyte>(path, s, n, h, w, c, a8, in p);
                expected = Array.ConvertAll(e8, v => (byte)v);
                actual = Array.ConvertAll(a8, v => (byte)v);
            }
            Assert.True(expected.AsSpan().SequenceEqual(actual),
                $"round {round} [{n},{h},{w},{c}] sum={isSum} u8={unsigned} zp {zpIn}->{zpOut}: {HotOpCases.Mismatch<byte>(expected, actual)}");
        }
    }

    [Fact]
    public void Shape_mismatches_throw()
    {
        var p = QuantizedReduceParams.Prepare(RequantConvention.Xnnpack, false, 4, 0.1f, 0, 0.1f, 0, -128, 127);
        Assert.Throws<ArgumentException>(() => ReduceHeightWidthSimd.Run<sbyte>(IsaPath.Scalar, new sbyte[7], 1, 2, 2, 2, new sbyte[2], in p));
        Assert.Throws<ArgumentException>(() => ReduceHeightWidthSimd.Run<sbyte>(IsaPath.Scalar, new sbyte[8], 1, 2, 2, 2, new sbyte[3], in p));
        Assert.Throws<ArgumentException>(() => ReduceHeightWidthSimd.Run<sbyte>(IsaPath.Scalar, new sbyte[18], 1, 3, 3, 2, new sbyte[2], in p));
        Assert.Throws<NotSupportedException>(() => ReduceHeightWidthSimd.Run<short>(IsaPath.Scalar, new short[8], 1, 2, 2, 2, new short[2], in p));
    }
}
