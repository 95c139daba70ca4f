using QuantKernels.Kernels.Convolution;
using QuantKernels.Kernels.Depthwise;
using QuantKernels.Kernels.Quantization;
using Xunit;
using static QuantKernels.Kernels.Tests.Convolution.TfliteTestQuant;

namespace QuantKernels.Kernels.Tests.Depthwise;

/// <summary>
/// TFLite's own DEPTHWISE_CONV_2D kernel test vectors (tensorflow/lite/kernels/depthwise_conv_test.cc), quantized
/// cases in the <see cref="RequantConvention.Reference"/> convention, float cases as given.
/// </summary>
public class DepthwiseConv2DTfliteVectorTests
{
    private static readonly float[] Input = { 1, 2, 7, 8, 3, 4, 9, 10, 5, 6, 11, 12 };                        // [1,3,2,2]
    private static readonly float[] Filter = { 1, 2, 3, 4, -9, 10, -11, 12, 5, 6, 7, 8, 13, -14, 15, -16 };    // [1,2,2,4]
    private static readonly float[] Bias = { 1, 2, 3, 4 };

    private static DepthwiseConv2DGeometry Geo(int n, int h, int w, int c, int m, int kh, int kw, int s, int d, PaddingType pad)
        => DepthwiseConv2DGeometry.Create(n, h, w, c, m, kh, kw, s, s, d, d, pad);

    private static byte[] RunUint8(DepthwiseConv2DGeometry g, float[] input, float[] filter, float[] bias,
        (float Min, float Max) inRange, (float Min, float Max) filterRange, (float Min, float Max) outRange)
    {
        var (inS, inZp) = Params(inRange.Min, inRange.Max, 0, 255);
        var (wS, wZp) = Params(filterRange.Min, filterRange.Max, 0, 255);
        var (outS, outZp) = Params(outRange.Min, outRange.Max, 0, 255);
        var p = QuantizedConvParams.Prepare(RequantConvention.Reference, inS, inZp, new[] { wS }, wZp, outS, outZp, 0, 255, g.OutputChannels);
        var output = new byte[g.OutputLength];
        DepthwiseConv2DReference.Run(g, U8(Quantize(input, inS, inZp, 0, 255)), U8(Quantize(filter, wS, wZp, 0, 255)),
            QuantizeBias(bias, _ => inS * wS), p, output);
        return output;
    }

    // depthwise_conv_test.cc SimpleTestQuantized (uint8, ranges [-63.5, 64] -> zp 127, output [-127, 128]), M = 2.
    [Fact]
    public void SimpleTestQuantized_Uint8()
    {
        var output = RunUint8(Geo(1, 3, 2, 2, 2, 2, 2, 1, 1, PaddingType.Valid), Input, Filter, Bias, (-63.5f, 64f), (-63.5f, 64f), (-127f, 128f));
        Assert.Equal(new byte[] { 198, 93, 226, 107, 218, 101, 254, 123 }, output);
    }

    // depthwise_conv_test.cc SimpleDilatedTestPaddingValid: 9x9 image, dilation 3 -> 3x3 of 5s.
    [Fact]
    public void SimpleDilatedTestPaddingValid_Uint8()
    {
        var img = new float[81];
        for (int y = 3; y < 6; y++) for (int x = 3; x < 6; x++) img[y * 9 + x] = 1;
        var output = RunUint8(Geo(1, 9, 9, 1, 1, 3, 3, 1, 3, PaddingType.Valid), img, new float[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }, new float[] { 0 },
            (0f, 255f), (0f, 255f), (0f, 255f));
        Assert.Equal(Enumerable.Repeat((byte)5, 9).ToArray(), output);
    }

    // depthwise_conv_test.cc SimpleDilatedTestPaddingSame: 3x3 of ones, 2x2 filter, dilation 2, SAME.
    [Fact]
    public void SimpleDilatedTestPaddingSame_Uint8()
    {
        var output = RunUint8(Geo(1, 3, 3, 1, 1, 2, 2, 1, 2, PaddingType.Same), Enumerable.Repeat(1f, 9).ToArray(), new float[] { 1, 2, 3, 4 },
            new float[] { 0 }, (0f, 255f), (0f, 255f), (0f, 255f));
        Assert.Equal(new byte[] { 4, 7, 3, 6, 10, 4, 2, 3, 1 }, output);
    }

    // depthwise_conv_test.cc MultithreadDifferentPaddingTest: [1,5,4,2] input, SAME, stride 2 (odd W total).
    [Fact]
    public void DifferentPaddingTest_Uint8()
    {
        float[] input = Enumerable.Range(0, 40).Select(i => i % 2 == 0 ? 1f : 0f).ToArray();
        float[] filter = Enumerable.Range(0, 18).Select(i => i % 2 == 0 ? 1f : 2f).ToArray();
        var output = RunUint8(Geo(1, 5, 4, 2, 1, 3, 3, 2, 1, PaddingType.Same), input, filter, new float[] { 0, 0 },
            (0f, 128f), (0f, 128f), (0f, 255f));
        Assert.Equal(new byte[] { 6, 0, 4, 0, 9, 0, 6, 0, 6, 0, 4, 0 }, output);
    }

    private static sbyte[] RunInt8(DepthwiseConv2DGeometry g, float[] input, float[] filter, float[] bias, float[] scales)
    {
        const float inS = 0.5f, outS = 0.5f;
        int channels = g.OutputChannels;
        var qFilter = PerChannelSymmetric(filter, scales, i => i % channels);
        var qBias = QuantizeBiasPerChannel(bias, c => inS * scales[scales.Length == 1 ? 0 : c]);
        var p = QuantizedConvParams.Prepare(RequantConvention.Reference, inS, -1, scales, 0, outS, -1, -128, 127, channels);
        var output = new sbyte[g.OutputLength];
        DepthwiseConv2DReference.Run(g, S8(Quantize(input, inS, -1, -128, 127)), S8(qFilter), qBias, p, output);
        return output;
    }

    // depthwise_conv_test.cc SimplePerTensorTest / SimplePerAxisTest / SimpleTestNegativeOutputShift /
    // SimpleTestMixedOutputShift: int8 input and output scale 0.5 zp -1, filter [1,2,2,4], M = 2.
    [Theory]
    [InlineData(new float[] { 1 }, new sbyte[] { 85, 95, 35, 43, 5, -9, -57, -73 })]
    [InlineData(new float[] { 1, 2, 3, 4 }, new sbyte[] { 85, 95, 41, 43, 5, -9, -61, -109 })]
    [InlineData(new float[] { 0.1f, 0.2f, 0.3f, 0.4f }, new sbyte[] { 85, 95, 36, 43, 5, -9, -58, -73 })]
    [InlineData(new float[] { 0.1f, 2, 3, 0.4f }, new sbyte[] { 85, 95, 41, 43, 5, -9, -61, -73 })]
    public void PerTensorAndPerAxis_Int8(float[] scales, sbyte[] expected)
    {
        float[] input = { 3, 2, 1, -1, -2, -3, 4, 3, 2, -2, -3, -4 };
        float[] filter = { 1, 2, 3, 4, 3, 4, 5, 6, 7, 8, 5, 6, 3, 4, 1, 2 };
        var output = RunInt8(Geo(1, 2, 3, 2, 2, 2, 2, 1, 1, PaddingType.Valid), input, filter, new float[] { 3, -2, 4, 6 }, scales);
        Assert.Equal(expected, output);
    }

    private static readonly float[] Input3x3x8 = Enumerable.Range(0, 72).Select(i => (i % 4) < 2 ? 1f : 0f).ToArray();
    private static readonly float[] Filter3x3x8 = Enumerable.Range(0, 72).Select(i => (float)(i % 8 + 1)).ToArray();
    private static readonly float[] Scales3x3x8 = { 0.1f, 0.2f, 0.3f, 0.4f, 0.4f, 0.3f, 0.2f, 0.1f };

    // depthwise_conv_test.cc Simple3x3FilterTest: dequantized {9, 18, 0, 0, 47, 54, 0, 0} at scale 0.5, zp -1.
    [Fact]
    public void Simple3x3FilterTest_Int8()
    {
        var output = RunInt8(Geo(1, 3, 3, 8, 1, 3, 3, 1, 1, PaddingType.Valid), Input3x3x8, Filter3x3x8, new float[8], Scales3x3x8);
        Assert.Equal(Dequantized(9, 18, 0, 0, 47, 54, 0, 0), output);
    }

    // depthwise_conv_test.cc Simple3x3FilterPaddingSameTest.
    [Fact]
    public void Simple3x3FilterPaddingSameTest_Int8()
    {
        var output = RunInt8(Geo(1, 3, 3, 8, 1, 3, 3, 1, 1, PaddingType.Same), Input3x3x8, Filter3x3x8, new float[8], Scales3x3x8);
        float[] corner = { 4, 8, 0, 0, 21, 24, 0, 0 }, edge = { 6, 12, 0, 0, 31.5f, 36, 0, 0 }, centre = { 9, 18, 0, 0, 47, 54, 0, 0 };
        float[] expected = corner.Concat(edge).Concat(corner).Concat(edge).Concat(centre).Concat(edge).Concat(corner).Concat(edge).Concat(corner).ToArray();
        Assert.Equal(Dequantized(expected), output);
    }

    /// <summary>Raw int8 of dequantized values at scale 0.5, zero point -1.</summary>
    private static sbyte[] Dequantized(params float[] values) => values.Select(v => (sbyte)(v * 2 - 1)).ToArray();

    private static float[] RunFloat(DepthwiseConv2DGeometry g, float[] input, float[] filter, float[] bias, FusedActivation act = FusedActivation.None)
    {
        var (min, max) = ActivationRange.Float(act);
        var output = new float[g.OutputLength];
        DepthwiseConv2DReference.Run(g, input, filter, bias, min, max, output);
        return output;
    }

    // depthwise_conv_test.cc SimpleTest, ActivationReluTest, ActivationRelu6Test, ActivationReluN1Test, StrideTest, PaddingTest.
    [Fact]
    public void FloatVectors()
    {
        var valid = Geo(1, 3, 2, 2, 2, 2, 2, 1, 1, PaddingType.Valid);
        Assert.Equal(new float[] { 71, -34, 99, -20, 91, -26, 127, -4 }, RunFloat(valid, Input, Filter, Bias));
        Assert.Equal(new float[] { 71, 0, 99, 0, 91, 0, 127, 0 }, RunFloat(valid, Input, Filter, Bias, FusedActivation.Relu));
        Assert.Equal(new float[] { 6, 0, 6, 0, 6, 0, 6, 0 }, RunFloat(valid, Input, Filter, Bias, FusedActivation.Relu6));
        Assert.Equal(new float[] { 1, -1, 1, -1, 1, -1, 1, -1 }, RunFloat(valid, Input, Filter, Bias, FusedActivation.ReluN1To1));
        var stride = Geo(1, 3, 2, 2, 2, 2, 2, 2, 1, PaddingType.Valid);
        Assert.Equal(new float[] { 71, -34, 99, -20 }, RunFloat(stride, Input, Filter, Bias));
        var same = Geo(1, 3, 2, 2, 2, 2, 2, 2, 1, PaddingType.Same);
        Assert.Equal(new float[] { 71, -34, 99, -20, -93, 122, -111, 172 }, RunFloat(same, Input, Filter, Bias));
    }

    // depthwise_conv_test.cc SimpleDilatedTestPaddingValid (float).
    [Fact]
    public void FloatDilated()
    {
        var img = new float[81];
        for (int y = 3; y < 6; y++) for (int x = 3; x < 6; x++) img[y * 9 + x] = 1;
        Assert.Equal(Enumerable.Repeat(5f, 9).ToArray(),
            RunFloat(Geo(1, 9, 9, 1, 1, 3, 3, 1, 3, PaddingType.Valid), img, new float[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }, Array.Empty<float>()));
    }
}
