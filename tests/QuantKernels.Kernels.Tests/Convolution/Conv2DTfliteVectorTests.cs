using QuantKernels.Kernels.Convolution;
using QuantKernels.Kernels.Quantization;
using Xunit;
using static QuantKernels.Kernels.Tests.Convolution.TfliteTestQuant;

namespace QuantKernels.Kernels.Tests.Convolution;

/// <summary>
/// TFLite's own CONV_2D kernel test vectors (tensorflow/lite/kernels/conv_test.cc), quantized cases run in the
/// <see cref="RequantConvention.Reference"/> convention (the one those vectors pin), float cases as given.
/// </summary>
public class Conv2DTfliteVectorTests
{
    private static readonly float[] SimpleInput = { 1, 1, 1, 1, 2, 2, 2, 2, 1, 2, 3, 4, 1, 2, 3, 4 };       // [2,2,4,1]
    private static readonly float[] SimpleFilter = { 1, 2, 3, 4, -1, 1, -1, 1, -1, -1, 1, 1 };             // [3,2,2,1]
    private static readonly float[] SimpleBias = { 1, 2, 3 };

    private static Conv2DGeometry Geo(int n, int h, int w, int c, int o, int kh, int kw, int fi, int sh, int sw, int dh, int dw, PaddingType pad)
        => Conv2DGeometry.Create(n, h, w, c, o, kh, kw, fi, sh, sw, dh, dw, pad);

    private static byte[] RunUint8(Conv2DGeometry g, float[] input, float[] filter, float[] bias,
        (float Min, float Max) inRange, (float Min, float Max) filterRange, (float Min, float Max) outRange)
    {
        var (inS, inZp) = Params(inRange.Min, inRange.Max, 0, 255);
        var (wS, wZp) = Params(filterRange.Min, filterRange.Max, 0, 255);
        var (outS, outZp) = Params(outRange.Min, outRange.Max, 0, 255);
        var p = QuantizedConvParams.Prepare(RequantConvention.Reference, inS, inZp, new[] { wS }, wZp, outS, outZp, 0, 255, g.OutputChannels);
        var output = new byte[g.OutputLength];
        Conv2DReference.Run(g, U8(Quantize(input, inS, inZp, 0, 255)), U8(Quantize(filter, wS, wZp, 0, 255)),
            QuantizeBias(bias, _ => inS * wS), p, output);
        return output;
    }

    // conv_test.cc SimpleTestQuantized: uint8 input/filter in [-63.5, 64] (scale 0.5, zp 127), output [-127, 128].
    [Fact]
    public void SimpleTestQuantized_Uint8()
    {
        var g = Geo(2, 2, 4, 1, 3, 2, 2, 1, 2, 2, 1, 1, PaddingType.Valid);
        var output = RunUint8(g, SimpleInput, SimpleFilter, SimpleBias, (-63.5f, 64f), (-63.5f, 64f), (-127f, 128f));
        Assert.Equal(new byte[] { 145, 129, 132, 145, 129, 132, 144, 131, 130, 164, 131, 130 }, output);
    }

    // conv_test.cc SimpleTestQuantizedWithAnisotropicStrides: stride_width 3, stride_height 1.
    [Fact]
    public void SimpleTestQuantizedWithAnisotropicStrides_Uint8()
    {
        var g = Geo(1, 3, 6, 1, 1, 2, 2, 1, 1, 3, 1, 1, PaddingType.Valid);
        float[] input = { 3, 2, 1, -1, -2, -3, 4, 3, 2, -2, -3, -4, 5, 4, 3, -3, -4, -5 };
        var output = RunUint8(g, input, new float[] { 1, 2, 3, 4 }, new float[] { -1 }, (-63.5f, 64f), (-63.5f, 64f), (-127f, 128f));
        Assert.Equal(new byte[] { 157, 103, 167, 93 }, output);
    }

    // conv_test.cc SimpleTestQuantizedWithDilation: 9x9 image, 3x3 filter, dilation 3 -> 3x3 of 5s (scale 1, zp 0).
    [Fact]
    public void SimpleTestQuantizedWithDilation_Uint8()
    {
        var g = Geo(1, 9, 9, 1, 1, 3, 3, 1, 1, 1, 3, 3, PaddingType.Valid);
        var output = RunUint8(g, DilationImage(), new float[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }, new float[] { 0 }, (0f, 255f), (0f, 255f), (0f, 255f));
        Assert.Equal(Enumerable.Repeat((byte)5, 9).ToArray(), output);
    }

    private static float[] DilationImage()
    {
        var img = new float[81];
        for (int y = 3; y < 6; y++) for (int x = 3; x < 6; x++) img[y * 9 + x] = 1;
        return img;
    }

    // conv_test.cc SimplePerTensorTest / SimplePerChannelTest: int8 input scale 0.5 zp -1, output scale 0.5 zp -1,
    // filter [2,2,2,2] symmetric with scales {1} resp. {1, 2}; bias scale = 0.5 * wScale[c].
    [Theory]
    [InlineData(false, new sbyte[] { 61, 111, -115, -89 })]
    [InlineData(true, new sbyte[] { 61, 127, -115, -93 })]
    public void SimplePerTensorAndPerChannel_Int8(bool perChannel, sbyte[] expected)
    {
        var g = Geo(1, 2, 3, 2, 2, 2, 2, 2, 1, 1, 1, 1, PaddingType.Valid);
        float[] input = { 3, 2, 1, -1, -2, -3, 4, 3, 2, -2, -3, -4 };
        float[] filter = { 1, 2, 3, 4, 3, 4, 5, 6, 7, 8, 5, 6, 3, 4, 1, 2 };
        float[] scales = perChannel ? new float[] { 1, 2 } : new float[] { 1 };
        const float inS = 0.5f, outS = 0.5f;
        var qFilter = PerChannelSymmetric(filter, scales, i => i / 8);
        var qBias = QuantizeBiasPerChannel(new float[] { 3, -2 }, c => inS * scales[scales.Length == 1 ? 0 : c]);
        var p = QuantizedConvParams.Prepare(RequantConvention.Reference, inS, -1, scales, 0, outS, -1, -128, 127, 2);
        var output = new sbyte[g.OutputLength];
        Conv2DReference.Run(g, S8(Quantize(input, inS, -1, -128, 127)), S8(qFilter), qBias, p, output);
        Assert.Equal(expected, output);
    }

    private static float[] RunFloat(Conv2DGeometry g, float[] input, float[] filter, float[] bias, FusedActivation act = FusedActivation.None)
    {
        var (min, max) = ActivationRange.Float(act);
        var output = new float[g.OutputLength];
        Conv2DReference.Run(g, input, filter, bias, min, max, output);
        return output;
    }

    // conv_test.cc SimpleTestFloat32, ActivationRelu6Test, ActivationReluN1Test.
    [Fact]
    public void SimpleTestFloat32_AndActivations()
    {
        var g = Geo(2, 2, 4, 1, 3, 2, 2, 1, 2, 2, 1, 1, PaddingType.Valid);
        Assert.Equal(new float[] { 18, 2, 5, 18, 2, 5, 17, 4, 3, 37, 4, 3 }, RunFloat(g, SimpleInput, SimpleFilter, SimpleBias));
        Assert.Equal(new float[] { 6, 2, 5, 6, 2, 5, 6, 4, 3, 6, 4, 3 }, RunFloat(g, SimpleInput, SimpleFilter, SimpleBias, FusedActivation.Relu6));
        Assert.Equal(Enumerable.Repeat(1f, 12).ToArray(), RunFloat(g, SimpleInput, SimpleFilter, SimpleBias, FusedActivation.ReluN1To1));
    }

    // conv_test.cc SimpleTestFloat32WithChannels: each input split into two half channels.
    [Fact]
    public void SimpleTestFloat32WithChannels()
    {
        var g = Geo(2, 2, 4, 2, 3, 2, 2, 2, 2, 2, 1, 1, PaddingType.Valid);
        float[] input = { 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 1, 1, 1, 1, 1, 1, 1, 1,
                          0.5f, 0.5f, 1, 1, 1.5f, 1.5f, 2, 2, 0.5f, 0.5f, 1, 1, 1.5f, 1.5f, 2, 2 };
        float[] filter = { 1, 1, 2, 2, 3, 3, 4, 4, -1, -1, 1, 1, -1, -1, 1, 1, -1, -1, -1, -1, 1, 1, 1, 1 };
        Assert.Equal(new float[] { 18, 2, 5, 18, 2, 5, 17, 4, 3, 37, 4, 3 }, RunFloat(g, input, filter, SimpleBias));
    }

    // conv_test.cc InputAndFilterSameWidthHeight.
    [Fact]
    public void InputAndFilterSameWidthHeight()
    {
        var g = Geo(2, 2, 4, 1, 1, 2, 4, 1, 2, 2, 1, 1, PaddingType.Valid);
        Assert.Equal(new float[] { 10, 34 }, RunFloat(g, SimpleInput, new float[] { 1, 2, 3, 4, -1, -1, 1, 1 }, new float[] { 0 }));
    }

    // conv_test.cc StrideTest (stride 1, VALID) and PaddingTest (stride 1, SAME); SIGN_BIT activation is no clamp.
    [Fact]
    public void StrideAndPaddingTests()
    {
        float[] input = { 1, 1, 1, 1, 2, 2, 3, 2, 1, 2, 3, 4, 1, 2, 4, 4 };
        var stride = Geo(2, 2, 4, 1, 3, 2, 2, 1, 1, 1, 1, 1, PaddingType.Valid);
        Assert.Equal(new float[] { 18, 2, 5, 22, 3, 6, 21, 1, 6, 17, 4, 3, 31, 5, 4, 40, 3, 4 }, RunFloat(stride, input, SimpleFilter, SimpleBias));
        var padding = Geo(1, 2, 4, 1, 3, 2, 2, 1, 1, 1, 1, 1, PaddingType.Same);
        Assert.Equal(new float[] { 18, 2, 5, 22, 3, 6, 21, 1, 6, 8, -1, 4, 7, 2, -1, 9, 3, -2, 8, 1, -2, 3, 0, 1 },
            RunFloat(padding, input[..8], SimpleFilter, SimpleBias));
    }

    // conv_test.cc PointwiseFloat32.
    [Fact]
    public void PointwiseFloat32()
    {
        var g = Geo(2, 2, 4, 2, 1, 1, 1, 2, 1, 1, 1, 1, PaddingType.Valid);
        float[] input = { 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 1, 1, 1, 1, 1, 1, 1, 1,
                          0.5f, 0.5f, 1, 1, 1.5f, 1.5f, 2, 2, 0.5f, 0.5f, 1, 1, 1.5f, 1.5f, 2, 2 };
        Assert.Equal(new float[] { 1.5f, 1.5f, 1.5f, 1.5f, 3, 3, 3, 3, 1.5f, 3, 4.5f, 6, 1.5f, 3, 4.5f, 6 },
            RunFloat(g, input, new float[] { 1, 2 }, new float[] { 0 }));
    }

    // conv_test.cc SimpleTestFloat32WithAnisotropicStrides.
    [Fact]
    public void SimpleTestFloat32WithAnisotropicStrides()
    {
        var g = Geo(1, 3, 6, 1, 1, 2, 2, 1, 1, 3, 1, 1, PaddingType.Valid);
        float[] input = { 3, 2, 1, -1, -2, -3, 4, 3, 2, -2, -3, -4, 5, 4, 3, -3, -4, -5 };
        Assert.Equal(new float[] { 30, -24, 40, -34 }, RunFloat(g, input, new float[] { 1, 2, 3, 4 }, new float[] { -1 }));
    }

    // conv_test.cc HandCalculatedFloat32 / WithBias / WithRelu (SAME, 3x3 on 3x4) and HandCalculatedValidFloat32.
    [Fact]
    public void HandCalculatedFloat32()
    {
        float[] image = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
        float[] filter = { 1, 4, 7, 2, 5, 8, 3, 6, 9 };
        var same = Geo(1, 3, 4, 1, 1, 3, 3, 1, 1, 1, 1, 1, PaddingType.Same);
        Assert.Equal(new float[] { 105, 150, 183, 95, 235, 312, 357, 178, 187, 234, 261, 121 }, RunFloat(same, image, filter, new float[] { 0 }));
        Assert.Equal(new float[] { 115, 160, 193, 105, 245, 322, 367, 188, 197, 244, 271, 131 }, RunFloat(same, image, filter, new float[] { 10 }));
        Assert.Equal(new float[] { 0, 0, 0, 0, 35, 112, 157, 0, 0, 34, 61, 0 }, RunFloat(same, image, filter, new float[] { -200 }, FusedActivation.Relu));
        var valid = Geo(1, 3, 4, 1, 1, 3, 3, 1, 1, 1, 1, 1, PaddingType.Valid);
        Assert.Equal(new float[] { 312, 357 }, RunFloat(valid, image, filter, new float[] { 0 }));
        // Bias absent behaves as zero bias.
        Assert.Equal(new float[] { 312, 357 }, RunFloat(valid, image, filter, Array.Empty<float>()));
    }

    // conv_test.cc SimpleTestFloatWithDilation.
    [Fact]
    public void SimpleTestFloatWithDilation()
    {
        var g = Geo(1, 9, 9, 1, 1, 3, 3, 1, 1, 1, 3, 3, PaddingType.Valid);
        Assert.Equal(Enumerable.Repeat(5f, 9).ToArray(), RunFloat(g, DilationImage(), new float[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }, new float[] { 0 }));
    }
}
