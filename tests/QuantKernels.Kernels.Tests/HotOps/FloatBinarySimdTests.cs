using QuantKernels.Kernels.Activations;
using QuantKernels.Kernels.Elementwise;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Tests.HotOps;

/// <summary><see cref="FloatBinarySimd"/> equals the scalar float kernels bit for bit, broadcasts and specials included.</summary>
public class FloatBinarySimdTests
{
    private static readonly float[] Specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, float.MaxValue, -float.MaxValue, float.Epsilon, 6f, -1f, 1f];

    public static TheoryData<IsaPath, BinaryOperation> PathsAndOps()
    {
        var data = new TheoryData<IsaPath, BinaryOperation>();
        foreach (var p in HotOpCases.Paths) foreach (var op in Enum.GetValues<BinaryOperation>()) data.Add(p, op);
        return data;
    }

    /// <summary>Random broadcast-compatible shapes: equal, one-element, trailing-axis and middle-axis broadcasts.</summary>
    internal static (int[] A, int[] B) Shapes(Random rng, int round)
    {
        int rank = rng.Next(1, 5);
        var a = new int[rank];
        for (int i = 0; i < rank; i++) a[i] = rng.Next(1, i == rank - 1 ? 40 : 5);
        var b = (int[])a.Clone();
        switch (round % 5)
        {
            case 0: break;                                            // same shape
            case 1: b = [1]; break;                                  // scalar b
            case 2: (a, b) = ([1], a); break;                         // scalar a
            case 3: b = [a[^1]]; break;                               // per-channel vector (PRELU's alpha, bias adds)
            default: for (int i = 0; i < rank; i++) if (rng.Next(2) == 0) b[i] = 1; break; // any axes broadcast
        }
        if (rng.Next(4) == 0) (a, b) = (b, a);
        return (a, b);
    }

    internal static float[] Values(Random rng, int n, bool specials)
    {
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = specials && rng.Next(5) == 0 ? Specials[rng.Next(Specials.Length)] : (float)(rng.NextDouble() * 20 - 10);
        return v;
    }

    internal static void AssertBits(float[] e, float[] a, string what)
    {
        for (int i = 0; i < e.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(e[i]) == BitConverter.SingleToInt32Bits(a[i]) || (float.IsNaN(e[i]) && float.IsNaN(a[i])),
                $"{what}: index {i} of {e.Length} expected {e[i]} ({BitConverter.SingleToInt32Bits(e[i]):X8}), got {a[i]} ({BitConverter.SingleToInt32Bits(a[i]):X8})");
    }

    [Theory]
    [MemberData(nameof(PathsAndOps))]
    public void Binary_ops_equal_the_scalar_kernel(IsaPath path, BinaryOperation op)
    {
        var rng = new Random(2101 + 17 * (int)path + (int)op);
        FusedActivation[] acts = op is BinaryOperation.Add or BinaryOperation.Sub or BinaryOperation.Mul or BinaryOperation.Div
            ? [FusedActivation.None, FusedActivation.Relu, FusedActivation.Relu6, FusedActivation.ReluN1To1]
            : [FusedActivation.None];
        Span<int> so = stackalloc int[Broadcast.MaxRank];
        for (int round = 0, rounds = HotOpCases.Rounds(60); round < rounds; round++)
        {
            var (sa, sb) = Shapes(rng, round);
            int rank = Broadcast.OutputShape(sa, sb, so);
            var outShape = so[..rank].ToArray();
            var x = Values(rng, Broadcast.ElementCount(sa), round % 3 == 2);
            var y = Values(rng, Broadcast.ElementCount(sb), round % 3 == 2);
            var act = acts[rng.Next(acts.Length)];
            var e = new float[Broadcast.ElementCount(outShape)];
            var r = new float[e.Length];
            BinaryArithmetic.Float(op, sa, x, sb, y, outShape, e, act);
            FloatBinarySimd.Run(path, op, sa, x, sb, y, outShape, r, act);
            AssertBits(e, r, $"{op} {act} round {round} [{string.Join(',', sa)}] x [{string.Join(',', sb)}]");
        }
    }

    [Theory]
    [MemberData(nameof(HotOpCases.AllPaths), MemberType = typeof(HotOpCases))]
    public void Prelu_equals_the_scalar_kernel(IsaPath path)
    {
        var rng = new Random(2301 + (int)path);
        Span<int> so = stackalloc int[Broadcast.MaxRank];
        for (int round = 0, rounds = HotOpCases.Rounds(80); round < rounds; round++)
        {
            var (sa, sb) = Shapes(rng, round);
            if (Broadcast.ElementCount(sa) < Broadcast.ElementCount(sb)) (sa, sb) = (sb, sa);
            var outShape = so[..Broadcast.OutputShape(sa, sb, so)].ToArray();
            var x = Values(rng, Broadcast.ElementCount(sa), round % 2 == 1);
            var alpha = Values(rng, Broadcast.ElementCount(sb), round % 4 == 3);
            var e = new float[Broadcast.ElementCount(outShape)];
            var r = new float[e.Length];
            FloatActivations.Prelu(sa, x, sb, alpha, outShape, e);
            FloatBinarySimd.Prelu(path, sa, x, sb, alpha, outShape, r);
            AssertBits(e, r, $"PRELU round {round} [{string.Join(',', sa)}] x [{string.Join(',', sb)}]");
        }
    }

    [Fact]
    public void Bad_shapes_are_rejected_as_by_the_scalar_kernel()
    {
        var ex = Assert.Throws<ArgumentException>(() => FloatBinarySimd.Run(Dispatch.Best, BinaryOperation.Add, [2, 3], new float[6], [4], new float[4], [2, 3], new float[6]));
        Assert.Contains("broadcast", ex.Message);
        Assert.Throws<ArgumentException>(() => FloatBinarySimd.Run(Dispatch.Best, BinaryOperation.Maximum, [3], new float[3], [3], new float[3], [3], new float[3], FusedActivation.Relu));
    }
}
