using QuantKernels.Kernels.Convolution;
using QuantKernels.Kernels.FullyConnected;
using QuantKernels.Kernels.Quantization;
using Xunit;
using static QuantKernels.Kernels.Tests.Convolution.TfliteTestQuant;

namespace QuantKernels.Kernels.Tests.FullyConnected;

/// <summary>
/// TFLite's own FULLY_CONNECTED kernel test vectors (tensorflow/lite/kernels/fully_connected_test.cc). The quantized
/// model there quantizes the weights with the input's (min, max), so int8 weights carry zero point -1 and uint8
/// weights 127; its default fused activation is RELU. Quantized cases run in the Reference convention.
/// </summary>
public class FullyConnectedTfliteVectorTests
{
    private static readonly float[] Weights3x10 = Enumerable.Range(0, 3).SelectMany(_ => Enumerable.Range(1, 10).Select(v => (float)v)).ToArray();
    private static readonly float[] Input2x10 = { 1, 2, 3, 4, 5, 6, 7, 8, -9, -10, 1, 2, 3, 4, 5, 6, 7, -8, 9, -10 };

    private static int[] Run(bool unsigned, int batches, int units, float[] input, float[] weights, float[]? bias,
        (float Min, float Max) inRange, (float Min, float Max) outRange)
    {
        int qmin = unsigned ? 0 : -128, qmax = unsigned ? 255 : 127;
        var (inS, inZp) = Params(inRange.Min, inRange.Max, qmin, qmax);
        var (outS, outZp) = Params(outRange.Min, outRange.Max, qmin, qmax);
        var (min, max) = ActivationRange.Quantized(FusedActivation.Relu, outS, outZp, qmin, qmax);
        var p = QuantizedConvParams.Prepare(RequantConvention.Reference, inS, inZp, new[] { inS }, inZp, outS, outZp, min, max, units);
        int[] qIn = Quantize(input, inS, inZp, qmin, qmax), qW = Quantize(weights, inS, inZp, qmin, qmax);
        int[] qBias = bias is null ? Array.Empty<int>() : QuantizeBias(bias, _ => inS * inS);
        int k = input.Length / batches;
        if (unsigned)
        {
            var output = new byte[batches * units];
            FullyConnectedReference.Run(batches, k, units, U8(qIn), U8(qW), qBias, p, output);
            return output.Select(v => (int)v).ToArray();
        }
        else
        {
            var output = new sbyte[batches * units];
            FullyConnectedReference.Run(batches, k, units, S8(qIn), S8(qW), qBias, p, output);
            return output.Select(v => (int)v).ToArray();
        }
    }

    // SimpleTestQuantizedInt8 / SimpleTestQuantizedInt8NoBias / SimpleTestQuantizedUint8 / SimpleTestQuantizedUint8NoBias.
    [Theory]
    [InlineData(false, true, new[] { 23, 24, 25, 57, 58, 59 })]
    [InlineData(false, false, new[] { 22, 22, 22, 56, 56, 56 })]
    [InlineData(true, true, new[] { 151, 152, 153, 185, 186, 187 })]
    [InlineData(true, false, new[] { 150, 150, 150, 184, 184, 184 })]
    public void SimpleTestQuantized(bool unsigned, bool withBias, int[] expected)
    {
        var output = Run(unsigned, 2, 3, Input2x10, Weights3x10, withBias ? new float[] { 1, 2, 3 } : null, (-63.5f, 64f), (-127f, 128f));
        Assert.Equal(expected, output);
    }

    // SimpleTestSingleBatchQuantizedInt8 (the GEMV path).
    [Fact]
    public void SimpleTestSingleBatchQuantizedInt8()
    {
        float[] weights = Enumerable.Range(0, 4).SelectMany(_ => Enumerable.Range(1, 10).Select(v => (float)v)).ToArray();
        var output = Run(false, 1, 4, Input2x10[10..], weights, new float[] { 1, 2, 3, 4 }, (-63.5f, 64f), (-127f, 128f));
        Assert.Equal(new[] { 57, 58, 59, 60 }, output);
    }

    // SimpleTestQuantizedOutputMultiplierGreaterThan1Int8 / Uint8 (real multiplier 2).
    [Theory]
    [InlineData(false, new[] { 47, 49, 51, 115, 117, 119 })]
    [InlineData(true, new[] { 175, 177, 179, 243, 245, 247 })]
    public void OutputMultiplierGreaterThan1(bool unsigned, int[] expected)
    {
        var output = Run(unsigned, 2, 3, Input2x10, Weights3x10, new float[] { 1, 2, 3 }, (-127f, 128f), (-63.5f, 64f));
        Assert.Equal(expected, output);
    }

    // SimpleTest, SimpleTest2, SimpleTestNoBias (float, RELU).
    [Fact]
    public void FloatVectors()
    {
        var (min, max) = ActivationRange.Float(FusedActivation.Relu);
        var o1 = new float[6];
        FullyConnectedReference.Run(2, 10, 3, Input2x10, Weights3x10, new float[] { 1, 2, 3 }, min, max, o1);
        Assert.Equal(new float[] { 24, 25, 26, 58, 59, 60 }, o1);
        var o2 = new float[2];
        FullyConnectedReference.Run(2, 2, 1, new float[] { 1, 2, 2, 1 }, new float[] { 2, 4 }, new float[] { 1 }, min, max, o2);
        Assert.Equal(new float[] { 11, 9 }, o2);
        FullyConnectedReference.Run(2, 2, 1, new float[] { 1, 2, 2, 1 }, new float[] { 2, 4 }, Array.Empty<float>(), min, max, o2);
        Assert.Equal(new float[] { 10, 8 }, o2);
        // RELU clamps a negative sum (hand-computed: 1*-2 + 2*-4 = -10 -> 0).
        FullyConnectedReference.Run(1, 2, 1, new float[] { 1, 2 }, new float[] { -2, -4 }, Array.Empty<float>(), min, max, o2.AsSpan(0, 1));
        Assert.Equal(0f, o2[0]);
    }
}
