using QuantKernels.Kernels.Convolution;
using QuantKernels.Kernels.Depthwise;
using QuantKernels.Kernels.FloatConvolution;

namespace QuantKernels.Kernels.Tests.HotOps;

/// <summary>The vectorized float convolutions equal the scalar references within float rounding: every output within
/// 1e-5 of the sum of |x*w| + |bias| that produced it (a bound on any summation order's error), on every path and
/// every part split.</summary>
public class FloatConvSimdTests
{
    [Theory]
    [MemberData(nameof(HotOpCases.AllPaths), MemberType = typeof(HotOpCases))]
    public void Conv2D_matches_the_reference(IsaPath path)
    {
        var rng = new Random(2024 + (int)path);
        for (int round = 0; round < 60; round++)
        {
            int k = new[] { 1, 1, 3, 3, 5, 2 }[rng.Next(6)];
            int stride = rng.Next(1, 3), dil = rng.Next(4) == 0 ? 2 : 1;
            int h = rng.Next(k, 12), w = rng.Next(k, 12), ic = rng.Next(1, 40), oc = rng.Next(1, 50);
            var pad = rng.Next(2) == 0 ? PaddingType.Same : PaddingType.Valid;
            if (pad == PaddingType.Valid && (h < (k - 1) * dil + 1 || w < (k - 1) * dil + 1)) pad = PaddingType.Same;
            var g = Conv2DGeometry.Create(rng.Next(1, 3), h, w, ic, oc, k, k, ic, stride, stride, dil, dil, pad);
            float[] x = Floats(rng, g.InputLength), f = Floats(rng, g.FilterLength), b = rng.Next(4) == 0 ? [] : Floats(rng, oc);
            (float lo, float hi) = rng.Next(3) switch { 0 => (0f, 6f), 1 => (float.NegativeInfinity, float.PositiveInfinity), _ => (-1f, 1f) };
            var expected = new float[g.OutputLength];
            Conv2DReference.Run(in g, x, f, b, lo, hi, expected);
            var kernel = Conv2DFloatPacked.Create(in g, f, b, lo, hi, path);
            Assert.Equal(path, kernel.Path);
            int parts = rng.Next(1, 4);
            var actual = new float[g.OutputLength];
            for (int p = 0; p < parts; p++) kernel.Run(x, actual, p, parts);
            var bound = ConvBound(g, x, f, b);
            AssertClose(expected, actual, bound, $"round {round} k={k} s={stride} d={dil} [{g.Batches},{h},{w},{ic}]->{oc} {pad} parts={parts}");
        }
    }

    [Theory]
    [MemberData(nameof(HotOpCases.AllPaths), MemberType = typeof(HotOpCases))]
    public void Depthwise_matches_the_reference(IsaPath path)
    {
        var rng = new Random(4048 + (int)path);
        for (int round = 0; round < 80; round++)
        {
            int k = new[] { 3, 3, 5, 1 }[rng.Next(4)];
            int stride = rng.Next(1, 3), dil = rng.Next(5) == 0 ? 2 : 1;
            int h = rng.Next(1, 12), w = rng.Next(1, 12), c = round < 40 ? round + 1 : rng.Next(1, 100);
            var g = DepthwiseConv2DGeometry.Create(rng.Next(1, 3), h, w, c, 1, k, k, stride, stride, dil, dil, PaddingType.Same);
            float[] x = Floats(rng, g.InputLength), f = Floats(rng, g.FilterLength), b = rng.Next(4) == 0 ? [] : Floats(rng, c);
            (float lo, float hi) = rng.Next(2) == 0 ? (0f, 6f) : (float.NegativeInfinity, float.PositiveInfinity);
            var expected = new float[g.OutputLength];
            DepthwiseConv2DReference.Run(in g, x, f, b, lo, hi, expected);
            int parts = rng.Next(1, 4);
            var actual = new float[g.OutputLength];
            for (int p = 0; p < parts; p++) DepthwiseFloatSimd.Run(path, in g, x, f, b, lo, hi, actual, p, parts);
            var bound = new float[g.OutputLength];
            var absX = Array.ConvertAll(x, Math.Abs);
            DepthwiseConv2DReference.Run(in g, absX, Array.ConvertAll(f, Math.Abs), Array.ConvertAll(b, Math.Abs), 0, float.PositiveInfinity, bound);
            AssertClose(expected, actual, bound, $"round {round} k={k} s={stride} d={dil} [{g.Batches},{h},{w},{c}] parts={parts}");
        }
    }

    [Fact]
    public void Grouped_and_huge_filters_are_not_packed()
    {
        var grouped = Conv2DGeometry.Create(1, 4, 4, 4, 4, 1, 1, 2, 1, 1, 1, 1, PaddingType.Valid);
        Assert.False(Conv2DFloatPacked.Supports(grouped));
        Assert.Throws<ArgumentException>(() => Conv2DFloatPacked.Create(grouped, new float[8], [], 0, 1, IsaPath.Scalar));
        var huge = Conv2DGeometry.Create(1, 20, 20, 1, 1, 17, 17, 1, 1, 1, 1, 1, PaddingType.Same);
        Assert.False(Conv2DFloatPacked.Supports(huge));
        var multiplier = DepthwiseConv2DGeometry.Create(1, 4, 4, 2, 2, 3, 3, 1, 1, 1, 1, PaddingType.Same);
        Assert.False(DepthwiseFloatSimd.Supports(multiplier));
    }

    private static float[] ConvBound(in Conv2DGeometry g, float[] x, float[] f, float[] b)
    {
        var bound = new float[g.OutputLength];
        Conv2DReference.Run(in g, Array.ConvertAll(x, Math.Abs), Array.ConvertAll(f, Math.Abs), Array.ConvertAll(b, Math.Abs), 0, float.PositiveInfinity, bound);
        return bound;
    }

    private static void AssertClose(float[] expected, float[] actual, float[] bound, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            float tol = 1e-5f * bound[i] + 1e-30f;
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol, $"{what}: index {i}: expected {expected[i]}, got {actual[i]} (tolerance {tol})");
        }
    }

    private static float[] Floats(Random rng, int n)
    {
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float)(rng.NextDouble() * 4 - 2);
        return v;
    }
}
