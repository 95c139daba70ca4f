using Xunit;
using QuantKernels.Kernels.Elementwise;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Tests.Elementwise;

public class BinaryArithmeticTests
{
    private static readonly int[] S4 = { 1, 2, 2, 1 };

    private static float[] F(BinaryOperation op, float[] a, float[] b, FusedActivation act = FusedActivation.None)
    {
        var o = new float[a.Length];
        BinaryArithmetic.Float(op, S4, a, S4, b, S4, o, act);
        return o;
    }

    // tflite-micro add_test.cc FloatAdd* cases.
    [Theory]
    [InlineData(FusedActivation.None, new[] { -1.9f, 0.4f, 1.0f, 1.3f })]
    [InlineData(FusedActivation.ReluN1To1, new[] { -1.0f, 0.4f, 1.0f, 1.0f })]
    [InlineData(FusedActivation.Relu, new[] { 0.0f, 0.4f, 1.0f, 1.3f })]
    public void MicroFloatAdd(FusedActivation act, float[] golden)
    {
        var o = F(BinaryOperation.Add, new[] { -2.0f, 0.2f, 0.7f, 0.8f }, new[] { 0.1f, 0.2f, 0.3f, 0.5f }, act);
        for (int i = 0; i < 4; i++) Assert.Equal(golden[i], o[i], 1e-5f);
    }

    [Fact]
    public void MicroFloatAddRelu6()
        => Assert.Equal(new[] { 0.0f, 0.4f, 6.0f, 6.0f }, F(BinaryOperation.Add, new[] { -2.0f, 0.2f, 7.0f, 0.8f }, new[] { 0.1f, 0.2f, 0.3f, 5.5f }, FusedActivation.Relu6), new FloatTol());

    [Fact]
    public void MicroInt32AddWraps()
    {
        // add_test.cc Int32AddNoActivation.
        var o = new int[4];
        BinaryArithmetic.Int32(BinaryOperation.Add, S4, new[] { -2, 2147483646, -1, 1146622854 }, S4, new[] { 3, 1, -2147483647, -726978367 }, S4, o);
        Assert.Equal(new[] { 1, 2147483647, -2147483648, 419644487 }, o);
    }

    [Fact]
    public void MicroFloatMul()
    {
        // mul_test.cc SimpleFloat / BroadcastFloat.
        var o = F(BinaryOperation.Mul, new[] { -0.8f, 0.2f, 0.9f, 0.7f }, new[] { 0.6f, 0.4f, 0.9f, 0.8f }, FusedActivation.Relu);
        Assert.Equal(new[] { 0.0f, 0.08f, 0.81f, 0.56f }, o, new FloatTol());
        var ob = new float[6];
        BinaryArithmetic.Float(BinaryOperation.Mul, new[] { 1, 3, 1, 2 }, new[] { -2.0f, 0.2f, 0.7f, 0.8f, 1.1f, 2.0f }, new[] { 1 }, new[] { 0.1f }, new[] { 1, 3, 1, 2 }, ob);
        Assert.Equal(new[] { -0.2f, 0.02f, 0.07f, 0.08f, 0.11f, 0.2f }, ob, new FloatTol());
    }

    [Fact]
    public void FloatSubDivMaxMin()
    {
        // sub_test.cc FloatSubOpModel NoActivation: {-2.0, 0.2, 1.7, 0.5} - {0.1, 0.2, 0.3, 0.8} = {-2.1, 0.0, 1.4, -0.3}.
        Assert.Equal(new[] { -2.1f, 0.0f, 1.4f, -0.3f }, F(BinaryOperation.Sub, new[] { -2.0f, 0.2f, 1.7f, 0.5f }, new[] { 0.1f, 0.2f, 0.3f, 0.8f }), new FloatTol());
        // div_test.cc FloatDivOpModel NoActivation: {-0.2, 0.2, -1.2, 0.8} / {0.5, 0.2, -1.5, 0.5} = {-0.4, 1.0, 0.8, 1.6}.
        Assert.Equal(new[] { -0.4f, 1.0f, 0.8f, 1.6f }, F(BinaryOperation.Div, new[] { -0.2f, 0.2f, -1.2f, 0.8f }, new[] { 0.5f, 0.2f, -1.5f, 0.5f }), new FloatTol());
        // maximum_minimum_test.cc: {1.0, 0.0, -1.0, 11.0, -2.0, -1.44} vs {-1.0, 0.0, 1.0, 12.0, -3.0, -1.43}.
        var a = new[] { 1.0f, 0.0f, -1.0f, 11.0f, -2.0f, -1.44f };
        var b = new[] { -1.0f, 0.0f, 1.0f, 12.0f, -3.0f, -1.43f };
        var s = new[] { 3, 1, 2 };
        var o = new float[6];
        BinaryArithmetic.Float(BinaryOperation.Maximum, s, a, s, b, s, o);
        Assert.Equal(new[] { 1.0f, 0.0f, 1.0f, 12.0f, -2.0f, -1.43f }, o);
        BinaryArithmetic.Float(BinaryOperation.Minimum, s, a, s, b, s, o);
        Assert.Equal(new[] { -1.0f, 0.0f, -1.0f, 11.0f, -3.0f, -1.44f }, o);
    }

    [Fact]
    public void FloorDivFloatAndInt()
    {
        // floor_div_test.cc: int32 {10, 9, 11, 3} // {2, 2, 3, 4} = {5, 4, 3, 0}; negative: {-1,-2,-3,-4} // {2,2,3,4}... 
        var o = new int[4];
        BinaryArithmetic.Int32(BinaryOperation.FloorDiv, S4, new[] { 10, 9, 11, 3 }, S4, new[] { 2, 2, 3, 4 }, S4, o);
        Assert.Equal(new[] { 5, 4, 3, 0 }, o);
        BinaryArithmetic.Int32(BinaryOperation.FloorDiv, S4, new[] { 10, -9, -11, 7 }, S4, new[] { 2, 2, -3, -4 }, S4, o);
        Assert.Equal(new[] { 5, -5, 3, -2 }, o);
        Assert.Equal(new[] { 5f, -5f, 3f, -2f }, F(BinaryOperation.FloorDiv, new[] { 10f, -9f, -11f, 7f }, new[] { 2f, 2f, -3f, -4f }));
        Assert.Throws<DivideByZeroException>(() => BinaryArithmetic.Int32(BinaryOperation.FloorDiv, S4, new[] { 1, 1, 1, 1 }, S4, new[] { 1, 0, 1, 1 }, S4, o));
    }

    [Fact]
    public void Int32DivTruncatesAndClamps()
    {
        var o = new int[4];
        BinaryArithmetic.Int32(BinaryOperation.Div, S4, new[] { -7, 7, 100, -100 }, S4, new[] { 2, 2, 10, 10 }, S4, o, FusedActivation.Relu6);
        Assert.Equal(new[] { 0, 3, 6, 0 }, o);
        Assert.Throws<DivideByZeroException>(() => BinaryArithmetic.Int32(BinaryOperation.Div, S4, new int[4], S4, new int[4], S4, o));
    }

    [Fact]
    public void Int64Ops()
    {
        var o = new long[2];
        var s = new[] { 2 };
        BinaryArithmetic.Int64(BinaryOperation.Mul, s, new[] { 1L << 40, -3L }, s, new[] { 4L, 5L }, s, o);
        Assert.Equal(new[] { 1L << 42, -15L }, o);
        BinaryArithmetic.Int64(BinaryOperation.Minimum, s, new[] { 1L << 40, -3L }, s, new[] { 4L, 5L }, s, o);
        Assert.Equal(new[] { 4L, -3L }, o);
    }

    [Fact]
    public void FusedActivationOnMaximumIsRejected()
        => Assert.Throws<ArgumentException>(() => F(BinaryOperation.Maximum, new float[4], new float[4], FusedActivation.Relu));

    private sealed class FloatTol : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= 1e-5f;
        public int GetHashCode(float obj) => 0;
    }
}
