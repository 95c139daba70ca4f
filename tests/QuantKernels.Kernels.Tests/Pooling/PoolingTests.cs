using Xunit;
using QuantKernels.Kernels.Layout;
using QuantKernels.Kernels.Pooling;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Tests.Pooling;

// Vectors from tensorflow/lite/kernels/pooling_test.cc unless noted.
public class PoolingTests
{
    private static readonly Pool2DParams Valid2x2S2 = new(2, 2, 2, 2, 0, 0);

    [Fact]
    public void FloatAveragePoolWithPad_Relu()
    {
        // AveragePoolWithPad: 1x3x4x1, 2x2 stride 2 SAME (pad total H 1 -> top 0), RELU.
        float[] input = [0, -6, 2, 4, 3, 2, -10, 7, 4, 8, 1, 2];
        var o = new float[4];
        var (lo, hi) = ActivationRange.Float(FusedActivation.Relu);
        AveragePool2D.Float(input, new Nhwc(1, 3, 4, 1), o, new Nhwc(1, 2, 2, 1), Valid2x2S2, lo, hi);
        Assert.Equal([0f, 0.75f, 6.0f, 1.5f], o);
    }

    [Fact]
    public void FloatAveragePoolWithStride1Same()
    {
        float[] input = [0, -6, 2, 4, 3, 2, -10, 7, 4, 8, 1, 2];
        var o = new float[12];
        AveragePool2D.Float(input, new Nhwc(1, 3, 4, 1), o, new Nhwc(1, 3, 4, 1), new Pool2DParams(1, 1, 2, 2, 0, 0), 0f, float.PositiveInfinity);
        Assert.Equal([0f, 0f, 0.75f, 5.5f, 4.25f, 0.25f, 0f, 4.5f, 6f, 4.5f, 1.5f, 2f], o);
    }

    [Fact]
    public void FloatAveragePoolRelu6AndN1To1()
    {
        var o = new float[2];
        var (lo, hi) = ActivationRange.Float(FusedActivation.Relu6);
        AveragePool2D.Float([0, -6, 2, 4, 3, 2, 10, 7], new Nhwc(1, 2, 4, 1), o, new Nhwc(1, 1, 2, 1), Valid2x2S2, lo, hi);
        Assert.Equal([0f, 5.75f], o);
        (lo, hi) = ActivationRange.Float(FusedActivation.ReluN1To1);
        AveragePool2D.Float([0, -6, 2, 4, 3, 2, -10, -7], new Nhwc(1, 2, 4, 1), o, new Nhwc(1, 1, 2, 1), Valid2x2S2, lo, hi);
        Assert.Equal([-0.25f, -1f], o);
    }

    [Fact]
    public void Uint8AveragePool()
    {
        // QuantizedPoolingOpTest.AveragePool: range [0, 15.9375] -> scale 1/16, zp 0; expects {44, 92}.
        byte[] input = [0, 96, 32, 64, 48, 32, 160, 112];
        var o = new byte[2];
        AveragePool2D.Quantized<byte>(input, new Nhwc(1, 2, 4, 1), o, new Nhwc(1, 1, 2, 1), Valid2x2S2, 0, 255);
        Assert.Equal([44, 92], o);
    }

    [Fact]
    public void Int8AveragePool()
    {
        // SymmetricAveragePool: same with int8 (zp -128) -> {44-128, 92-128}.
        sbyte[] input = [-128, -32, -96, -64, -80, -96, 32, -16];
        var o = new sbyte[2];
        AveragePool2D.Quantized<sbyte>(input, new Nhwc(1, 2, 4, 1), o, new Nhwc(1, 1, 2, 1), Valid2x2S2, -128, 127);
        Assert.Equal([44 - 128, 92 - 128], o);
    }

    [Fact]
    public void Uint8AveragePoolImageSize16()
    {
        // White 16x16 image averages to 255 (TFLite's AveragePoolImageSize16).
        var input = Enumerable.Repeat((byte)255, 256).ToArray();
        var o = new byte[1];
        AveragePool2D.Quantized<byte>(input, new Nhwc(1, 16, 16, 1), o, new Nhwc(1, 1, 1, 1), new Pool2DParams(2, 2, 16, 16, 0, 0), 0, 255);
        Assert.Equal(255, o[0]);
    }

    [Theory]
    // Hand cases of the integer rounding: (sum + sign*n/2)/n truncating.
    [InlineData(new sbyte[] { -1, -2, 0, 0 }, -1)]  // -3 -> (-3-2)/4 = -1
    [InlineData(new sbyte[] { -1, -1, 0, 0 }, -1)]  // -2 -> (-2-2)/4 = -1 (half away from zero)
    [InlineData(new sbyte[] { -1, 0, 0, 0 }, 0)]    // -1 -> (-1-2)/4 = 0
    [InlineData(new sbyte[] { 1, 1, 0, 0 }, 1)]     // 2 -> (2+2)/4 = 1
    [InlineData(new sbyte[] { 1, 0, 0, 0 }, 0)]     // 1 -> 3/4 = 0
    [InlineData(new sbyte[] { 3, 3, 3, 2 }, 3)]     // 11 -> 13/4 = 3
    public void Int8AverageRoundsHalfAwayFromZero(sbyte[] window, int expected)
    {
        var o = new sbyte[1];
        AveragePool2D.Quantized<sbyte>(window, new Nhwc(1, 2, 2, 1), o, new Nhwc(1, 1, 1, 1), Valid2x2S2, -128, 127);
        Assert.Equal(expected, o[0]);
    }

    [Fact]
    public void PaddedTapsAreNotCounted()
    {
        // 3x3 window stride 1 with pad 1 at a corner covers only 4 in-image pixels.
        sbyte[] input = [10, 20, 30, 40];
        var o = new sbyte[4];
        AveragePool2D.Quantized<sbyte>(input, new Nhwc(1, 2, 2, 1), o, new Nhwc(1, 2, 2, 1), new Pool2DParams(1, 1, 3, 3, 1, 1), -128, 127);
        Assert.Equal([25, 25, 25, 25], o);
        var f = new float[4];
        AveragePool2D.Float([1, 2, 3, 5], new Nhwc(1, 2, 2, 1), f, new Nhwc(1, 2, 2, 1), new Pool2DParams(1, 1, 3, 3, 1, 1));
        Assert.Equal([2.75f, 2.75f, 2.75f, 2.75f], f);
    }

    [Fact]
    public void QuantizedActivationClamp()
    {
        sbyte[] input = [100, 100, -100, -100, 100, 100, -100, -100];
        var o = new sbyte[2];
        AveragePool2D.Quantized<sbyte>(input, new Nhwc(1, 2, 4, 1), o, new Nhwc(1, 1, 2, 1), Valid2x2S2, -10, 50);
        Assert.Equal([50, -10], o);
        MaxPool2D.Quantized<sbyte>(input, new Nhwc(1, 2, 4, 1), o, new Nhwc(1, 1, 2, 1), Valid2x2S2, -10, 50);
        Assert.Equal([50, -10], o);
    }

    [Fact]
    public void MaxPoolFloatUint8Int8()
    {
        var f = new float[2];
        MaxPool2D.Float([0, 6, 2, 4, 3, 2, 10, 7], new Nhwc(1, 2, 4, 1), f, new Nhwc(1, 1, 2, 1), Valid2x2S2);
        Assert.Equal([6f, 10f], f);
        // QuantizedUInt8PoolingOpTest.MaxPool -> {96, 160}
        var u = new byte[2];
        MaxPool2D.Quantized<byte>([0, 96, 32, 64, 48, 32, 160, 112], new Nhwc(1, 2, 4, 1), u, new Nhwc(1, 1, 2, 1), Valid2x2S2, 0, 255);
        Assert.Equal([96, 160], u);
        // QuantizedInt8PoolingOpTest.MaxPool: {0,-6,2,4,3,2,-10,7} in [0,15.9375] int8 -> {-80, -16}
        var s = new sbyte[2];
        MaxPool2D.Quantized<sbyte>([-128, -128, -96, -64, -80, -96, -128, -16], new Nhwc(1, 2, 4, 1), s, new Nhwc(1, 1, 2, 1), Valid2x2S2, -128, 127);
        Assert.Equal([-80, -16], s);
    }

    [Fact]
    public void MultiChannelMultiBatch()
    {
        // 2 batches, 2 channels; channel c of batch b holds b*100 + c*10 + pixel.
        var input = new sbyte[2 * 2 * 2 * 2];
        for (int b = 0; b < 2; b++) for (int p = 0; p < 4; p++) for (int c = 0; c < 2; c++) input[(b * 4 + p) * 2 + c] = (sbyte)(b * 50 + c * 10 + p);
        var o = new sbyte[4];
        MaxPool2D.Quantized<sbyte>(input, new Nhwc(2, 2, 2, 2), o, new Nhwc(2, 1, 1, 2), Valid2x2S2, -128, 127);
        Assert.Equal([3, 13, 53, 63], o);
        AveragePool2D.Quantized<sbyte>(input, new Nhwc(2, 2, 2, 2), o, new Nhwc(2, 1, 1, 2), Valid2x2S2, -128, 127);
        Assert.Equal([2, 12, 52, 62], o); // (6+2)/4 = 2
    }

    [Fact]
    public void BadArgumentsThrow()
    {
        var o = new sbyte[2];
        Assert.Throws<ArgumentException>(() => AveragePool2D.Quantized<sbyte>(new sbyte[7], new Nhwc(1, 2, 4, 1), o, new Nhwc(1, 1, 2, 1), Valid2x2S2, -128, 127));
        Assert.Throws<ArgumentException>(() => AveragePool2D.Quantized<sbyte>(new sbyte[8], new Nhwc(1, 2, 4, 1), o, new Nhwc(1, 1, 2, 2), Valid2x2S2, -128, 127));
        Assert.Throws<ArgumentException>(() => MaxPool2D.Quantized<sbyte>(new sbyte[8], new Nhwc(1, 2, 4, 1), o, new Nhwc(1, 1, 2, 1), new Pool2DParams(0, 2, 2, 2, 0, 0), -128, 127));
        Assert.Throws<ArgumentException>(() => MaxPool2D.Quantized<sbyte>(new sbyte[8], new Nhwc(1, 2, 4, 1), o, new Nhwc(1, 1, 2, 1), Valid2x2S2, -200, 127));
        // A window entirely in the padding has no taps.
        Assert.Throws<ArgumentException>(() => AveragePool2D.Float(new float[1], new Nhwc(1, 1, 1, 1), new float[2], new Nhwc(1, 1, 2, 1), new Pool2DParams(1, 4, 1, 1, 0, 0)));
    }
}
