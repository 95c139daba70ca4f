using QuantKernels.Kernels.Conversion;

namespace QuantKernels.Kernels.Tests.HotOps;

/// <summary><see cref="DequantizeSimd"/> equals the scalar <see cref="Dequantize.Run{T}"/> bit for bit.</summary>
public class DequantizeSimdTests
{
    [Theory]
    [MemberData(nameof(HotOpCases.AllPaths), MemberType = typeof(HotOpCases))]
    public void Every_length_scale_and_zero_point_matches(IsaPath path)
    {
        var rng = new Random(3131 + (int)path);
        float[] scales = [1f / 255, 0.0078125f, 1e-38f, 1e-45f, 3.4e38f, 0.123456789f];
        int[] zeroPoints = [0, -128, 127, 255, int.MinValue, int.MaxValue, 1 << 25, -(1 << 25) - 1];
        int round = 0;
        foreach (int n in HotOpCases.Lengths)
        {
            var raw = new byte[n];
            rng.NextBytes(raw);
            float scale = round % 3 == 0 ? scales[rng.Next(scales.Length)] : (float)(rng.NextDouble() * 0.1);
            int zp = round % 2 == 0 ? zeroPoints[rng.Next(zeroPoints.Length)] : rng.Next(-128, 256);
            round++;
            var e = new float[n];
            var a = new float[n];
            Dequantize.Run<byte>(raw, e, scale, zp);
            DequantizeSimd.Run<byte>(path, raw, a, scale, zp);
            Assert.True(Bits(e).SequenceEqual(Bits(a)), $"uint8 n={n} scale {scale} zp {zp}: {HotOpCases.Mismatch<float>(e, a)}");
            var s8 = Array.ConvertAll(raw, b => (sbyte)b);
            Dequantize.Run<sbyte>(s8, e, scale, zp);
            DequantizeSimd.Run<sbyte>(path, s8, a, scale, zp);
            Assert.True(Bits(e).SequenceEqual(Bits(a)), $"int8 n={n} scale {scale} zp {zp}: {HotOpCases.Mismatch<float>(e, a)}");
        }
    }

    private static int[] Bits(float[] v) => Array.ConvertAll(v, BitConverter.SingleToInt32Bits);

    [Fact]
    public void Length_mismatch_is_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => DequantizeSimd.Run<sbyte>(Dispatch.Best, new sbyte[3], new float[4], 1f, 0));
        Assert.Contains("output 4", ex.Message);
    }
}
