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
            var (inShape, outShape, p) = HotOpCases.PoolGeometry(rng, round);
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
