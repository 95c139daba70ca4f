using QuantKernels.Kernels.Layout;
using QuantKernels.Kernels.Pooling;

namespace QuantKernels.Kernels.Tests.HotOps;

/// <summary><see cref="AveragePoolSimd"/> equals the scalar <see cref="AveragePool2D.Quantized{T}"/>.</summary>
public class AveragePoolSimdTests
{
    [Theory]
    [MemberData(nameof(HotOpCases.AllPaths), MemberType = typeof(HotOpCases))]
    public void Windows_equal_the_scalar_kernel(IsaPath path)
    {
        var rng = new Random(606 + (int)path);
        for (int round = 0; round < 150; round++)
        {
            int h = rng.Next(1, 10), w = rng.Next(1, 10), c = round < 70 ? round + 1 : rng.Next(1, 130), n = rng.Next(1, 3);
            int fh = rng.Next(1, h + 2), fw = rng.Next(1, w + 2), sh = rng.Next(1, 3), sw = rng.Next(1, 3);
            bool same = rng.Next(2) == 0;
            int outH = same ? (h + sh - 1) / sh : Math.Max(1, (h - fh) / sh + 1), outW = same ? (w + sw - 1) / sw : Math.Max(1, (w - fw) / sw + 1);
            int padTop = same ? Math.Max((outH - 1) * sh + fh - h, 0) / 2 : 0, padLeft = same ? Math.Max((outW - 1) * sw + fw - w, 0) / 2 : 0;
            var p = new Pool2DParams(sh, sw, fh, fw, padTop, padLeft);
            var inShape = new Nhwc(n, h, w, c);
            var outShape = new Nhwc(n, outH, outW, c);
            var raw = new byte[inShape.ElementCount];
            rng.NextBytes(raw);
            bool unsigned = rng.Next(2) == 0;
            int lo = unsigned ? rng.Next(0, 60) : rng.Next(-128, -60), hi = unsigned ? rng.Next(200, 256) : rng.Next(60, 128);
            if (unsigned)
            {
                var e = new byte[outShape.ElementCount];
                var a = new byte[outShape.ElementCount];
                AveragePool2D.Quantized<byte>(raw, inShape, e, outShape, in p, lo, hi);
                AveragePoolSimd.Quantized<byte>(path, raw, inShape, a, outShape, in p, lo, hi);
                Assert.True(e.AsSpan().SequenceEqual(a), $"round {round} uint8: {HotOpCases.Mismatch<byte>(e, a)}");
            }
            else
            {
                var s8 = Array.ConvertAll(raw, b => (sbyte)b);
                var e = new sbyte[outShape.ElementCount];
                var a = new sbyte[outShape.ElementCount];
                AveragePool2D.Quantized<sbyte>(s8, inShape, e, outShape, in p, lo, hi);
                AveragePoolSimd.Quantized<sbyte>(path, s8, inShape, a, outShape, in p, lo, hi);
                Assert.True(e.AsSpan().SequenceEqual(a), $"round {round} int8: {HotOpCases.Mismatch<sbyte>(e, a)}");
            }
        }
    }
}
