using QuantKernels.Kernels.Layout;

namespace QuantKernels.Kernels.Tests.HotOps;

/// <summary><see cref="ArgMinMaxSimd"/> returns the scalar <see cref="ArgMinMax"/> indices (lowest index on ties).</summary>
public class ArgMinMaxSimdTests
{
    [Theory]
    [MemberData(nameof(HotOpCases.AllPaths), MemberType = typeof(HotOpCases))]
    public void Indices_equal_the_scalar_kernel(IsaPath path)
    {
        var rng = new Random(5150 + (int)path);
        for (int round = 0, rounds = HotOpCases.Rounds(200); round < rounds; round++)
        {
            int size = round < 70 ? round + 1 : rng.Next(1, 200);
            int rank = rng.Next(1, 4);
            var shape = new int[rank];
            for (int k = 0; k < rank - 1; k++) shape[k] = rng.Next(1, 6);
            shape[^1] = size;
            int axis = round % 4 == 3 ? rng.Next(rank) : rank - 1; // other axes take the scalar kernel
            var raw = new byte[shape.Aggregate(1, (p, d) => p * d)];
            // Few distinct values: many ties, so the lowest-index rule is exercised; and the extremes of both types.
            int kind = round % 4;
            for (int i = 0; i < raw.Length; i++)
                raw[i] = kind switch { 0 => (byte)rng.Next(256), 1 => (byte)rng.Next(3), 2 => (byte)(rng.Next(2) == 0 ? 0x80 : 0x7F), _ => (byte)(rng.Next(2) == 0 ? 0 : 255) };
            bool isMax = rng.Next(2) == 0;
            int outLen = raw.Length / shape[axis];
            var e = new int[outLen];
            var a = new int[outLen];
            if (rng.Next(2) == 0)
            {
                ArgMinMax.Run<byte, int>(raw, shape, axis, isMax, e);
                ArgMinMaxSimd.Run<byte, int>(path, raw, shape, axis, isMax, a);
            }
            else
            {
                var s8 = Array.ConvertAll(raw, b => (sbyte)b);
                ArgMinMax.Run<sbyte, int>(s8, shape, axis, isMax, e);
                ArgMinMaxSimd.Run<sbyte, int>(path, s8, shape, axis, isMax, a);
            }
            Assert.True(e.AsSpan().SequenceEqual(a), $"round {round} [{string.Join(',', shape)}] axis {axis} max {isMax}: {HotOpCases.Mismatch<int>(e, a)}");
        }
    }

    [Fact]
    public void Int64_indices_and_float_inputs_match_too()
    {
        var rng = new Random(8);
        int[] shape = [3, 40];
        var x = Enumerable.Range(0, 120).Select(_ => (float)rng.Next(5)).ToArray();
        var e = new long[3];
        var a = new long[3];
        ArgMinMax.Run<float, long>(x, shape, 1, true, e);
        ArgMinMaxSimd.Run<float, long>(Dispatch.Best, x, shape, 1, true, a);
        Assert.Equal(e, a);
        var b = x.Select(v => (byte)v).ToArray();
        ArgMinMaxSimd.Run<byte, long>(Dispatch.Best, b, shape, 1, true, a);
        Assert.Equal(e, a);
    }
}
