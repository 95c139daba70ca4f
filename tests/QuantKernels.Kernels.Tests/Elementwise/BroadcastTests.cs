using Xunit;
using QuantKernels.Kernels.Elementwise;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Tests.Elementwise;

public class BroadcastTests
{
    [Theory]
    [InlineData(new[] { 2, 3, 1, 2 }, new[] { 1, 1, 3, 2 }, new[] { 2, 3, 3, 2 })]
    [InlineData(new[] { 2, 3, 1, 2 }, new[] { 3, 1, 1 }, new[] { 2, 3, 1, 2 })]
    [InlineData(new int[0], new[] { 4, 5 }, new[] { 4, 5 })]
    [InlineData(new[] { 1, 1, 1, 1, 1, 7 }, new[] { 5, 1 }, new[] { 1, 1, 1, 1, 5, 7 })]
    public void OutputShapeFollowsNumpyRules(int[] a, int[] b, int[] expected)
    {
        Span<int> o = stackalloc int[6];
        int rank = Broadcast.OutputShape(a, b, o);
        Assert.Equal(expected, o[..rank].ToArray());
    }

    [Fact]
    public void IncompatibleShapesThrow()
    {
        var ex = Assert.Throws<ArgumentException>(() => Broadcast.OutputShape(new[] { 2, 3 }, new[] { 4, 3 }, new int[2]));
        Assert.Contains("do not broadcast", ex.Message);
    }

    [Fact]
    public void RankAboveSixThrows()
        => Assert.Throws<ArgumentException>(() => Broadcast.OutputShape(new[] { 1, 1, 1, 1, 1, 1, 2 }, new[] { 2 }, new int[7]));

    [Fact]
    public void WrongOutputShapeThrows()
        => Assert.Throws<ArgumentException>(() => BinaryArithmetic.Float(BinaryOperation.Add,
            new[] { 2, 1 }, new float[2], new[] { 1, 3 }, new float[3], new[] { 2, 2 }, new float[4]));

    [Fact]
    public void SpanLengthMismatchThrows()
    {
        Assert.Throws<ArgumentException>(() => BinaryArithmetic.Float(BinaryOperation.Add,
            new[] { 2, 2 }, new float[3], new[] { 2, 2 }, new float[4], new[] { 2, 2 }, new float[4]));
        Assert.Throws<ArgumentException>(() => BinaryArithmetic.Float(BinaryOperation.Add,
            new[] { 2, 2 }, new float[4], new[] { 2, 2 }, new float[4], new[] { 2, 2 }, new float[5]));
        Assert.Throws<ArgumentException>(() => BinaryArithmetic.Float(BinaryOperation.Add,
            new[] { 2, -2 }, new float[4], new[] { 2, 2 }, new float[4], new[] { 2, 2 }, new float[4]));
    }

    // tflite-micro tensorflow/lite/micro/kernels/add_test.cc: mixed broadcast shapes and goldens (float).
    private static readonly int[] MicroIn1Shape = { 2, 3, 1, 2 };
    private static readonly float[] MicroIn1 = { -0.3f, 2.3f, 0.9f, 0.5f, 0.8f, -1.1f, 1.2f, 2.8f, -1.6f, 0.0f, 0.7f, -2.2f };
    private static readonly float[] MicroIn2 = { 0.2f, 0.3f, -0.4f, 0.5f, 1.0f, 0.9f };
    private static readonly int[][] MicroIn2Shapes = { new[] { 1, 1, 3, 2 }, new[] { 1, 3, 1, 2 }, new[] { 2, 1, 3, 1 }, new[] { 2, 3, 1, 1 } };
    private static readonly int[][] MicroOutShapes = { new[] { 2, 3, 3, 2 }, new[] { 2, 3, 1, 2 }, new[] { 2, 3, 3, 2 }, new[] { 2, 3, 1, 2 } };
    private static readonly float[][] MicroGoldens =
    {
        new[] { -0.1f, 2.6f, -0.7f, 2.8f, 0.7f, 3.2f, 1.1f, 0.8f, 0.5f, 1.0f, 1.9f, 1.4f,
                1.0f, -0.8f, 0.4f, -0.6f, 1.8f, -0.2f, 1.4f, 3.1f, 0.8f, 3.3f, 2.2f, 3.7f,
                -1.4f, 0.3f, -2.0f, 0.5f, -0.6f, 0.9f, 0.9f, -1.9f, 0.3f, -1.7f, 1.7f, -1.3f },
        new[] { -0.1f, 2.6f, 0.5f, 1.0f, 1.8f, -0.2f, 1.4f, 3.1f, -2.0f, 0.5f, 1.7f, -1.3f },
        new[] { -0.1f, 2.5f, 0.0f, 2.6f, -0.7f, 1.9f, 1.1f, 0.7f, 1.2f, 0.8f, 0.5f, 0.1f,
                1.0f, -0.9f, 1.1f, -0.8f, 0.4f, -1.5f, 1.7f, 3.3f, 2.2f, 3.8f, 2.1f, 3.7f,
                -1.1f, 0.5f, -0.6f, 1.0f, -0.7f, 0.9f, 1.2f, -1.7f, 1.7f, -1.2f, 1.6f, -1.3f },
        new[] { -0.1f, 2.5f, 1.2f, 0.8f, 0.4f, -1.5f, 1.7f, 3.3f, -0.6f, 1.0f, 1.6f, -1.3f },
    };

    [Fact]
    public void MicroMixedBroadcastFloatAdd()
    {
        for (int s = 0; s < 4; s++)
        {
            var o = new float[MicroGoldens[s].Length];
            BinaryArithmetic.Float(BinaryOperation.Add, MicroIn1Shape, MicroIn1, MicroIn2Shapes[s], MicroIn2, MicroOutShapes[s], o);
            for (int i = 0; i < o.Length; i++) Assert.Equal(MicroGoldens[s][i], o[i], 1e-5f);
        }
    }

    [Fact]
    public void MicroMixedBroadcastInt8AddBothConventions()
    {
        // Same file, QuantizedAddWithMixedBroadcastInt8: scales {0.1, 0.05, 0.1}, zero points {-10, -5, 7}.
        foreach (var conv in new[] { RequantConvention.Reference, RequantConvention.Xnnpack })
        {
            var p = QuantizedAdd.Prepare<sbyte>(conv, 0.1f, -10, 0.05f, -5, 0.1f, 7);
            var a = TestQuant.I8(MicroIn1, 0.1f, -10);
            var b = TestQuant.I8(MicroIn2, 0.05f, -5);
            for (int s = 0; s < 4; s++)
            {
                var o = new sbyte[MicroGoldens[s].Length];
                QuantizedAdd.Invoke<sbyte>(p, MicroIn1Shape, a, MicroIn2Shapes[s], b, MicroOutShapes[s], o);
                Assert.Equal(TestQuant.I8(MicroGoldens[s], 0.1f, 7), o);
            }
        }
    }

    [Fact]
    public void GeneralPathMatchesNaiveIndexing()
    {
        // 6-D shapes with broadcast axes on both sides, checked against explicit index arithmetic.
        int[] sa = { 2, 1, 3, 1, 2, 3 }, sb = { 1, 2, 1, 2, 1, 3 }, so = { 2, 2, 3, 2, 2, 3 };
        var a = Enumerable.Range(0, 36).Select(i => (float)i).ToArray();
        var b = Enumerable.Range(0, 12).Select(i => 1000f * i).ToArray();
        var o = new float[144];
        BinaryArithmetic.Float(BinaryOperation.Add, sa, a, sb, b, so, o);
        int k = 0;
        for (int i0 = 0; i0 < 2; i0++) for (int i1 = 0; i1 < 2; i1++) for (int i2 = 0; i2 < 3; i2++)
        for (int i3 = 0; i3 < 2; i3++) for (int i4 = 0; i4 < 2; i4++) for (int i5 = 0; i5 < 3; i5++)
        {
            int ia = ((((i0 * 1 + 0) * 3 + i2) * 1 + 0) * 2 + i4) * 3 + i5;
            int ib = ((((0 * 2 + i1) * 1 + 0) * 2 + i3) * 1 + 0) * 3 + i5;
            Assert.Equal(a[ia] + b[ib], o[k++]);
        }
    }

    [Fact]
    public void ScalarOnEitherSide()
    {
        var o = new float[3];
        BinaryArithmetic.Float(BinaryOperation.Sub, ReadOnlySpan<int>.Empty, new[] { 10f }, new[] { 3 }, new[] { 1f, 2f, 3f }, new[] { 3 }, o);
        Assert.Equal(new[] { 9f, 8f, 7f }, o);
        BinaryArithmetic.Float(BinaryOperation.Sub, new[] { 3 }, new[] { 1f, 2f, 3f }, new[] { 1 }, new[] { 10f }, new[] { 3 }, o);
        Assert.Equal(new[] { -9f, -8f, -7f }, o);
    }
}
