using QuantKernels.Kernels.Convolution;
using QuantKernels.Kernels.Depthwise;
using QuantKernels.Kernels.Quantization;
using QuantKernels.Kernels.Tests.ConvolutionSimd;

namespace QuantKernels.Kernels.Tests.DepthwiseSimd;

/// <summary>
/// Exact halfway cases, where the conventions round differently (xnnpack: half to even; reference: SRDHM's nudge then
/// RoundingDivideByPOT half away from zero): per-channel effective scales 1/2, 1/4, 1/8, 3/2 make (float)acc * scale
/// land on .5 for many accumulators. Every path must match the reference kernel on every one of them.
/// </summary>
public class DepthwiseTiesTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void HalfwayAccumulatorsRoundLikeTheReference(int k)
    {
        float[] wScales = [0.5f, 0.25f, 0.125f, 1.5f, 0.5f, 0.25f, 0.125f, 1.5f, 0.5f, 0.25f, 0.125f, 1.5f, 0.5f, 0.25f, 0.125f, 1.5f, 0.5f];
        int c = wScales.Length;
        // 256 pixels; channel ch of pixel i holds (i + 37 * ch) wrapped to int8, so every channel sweeps all 256 values.
        var g = DepthwiseConv2DGeometry.Create(1, 16, 16, c, 1, k, k, 1, 1, 1, 1, PaddingType.Same);
        sbyte[] input = Enumerable.Range(0, g.InputLength).Select(i => unchecked((sbyte)(i / c + 37 * (i % c)))).ToArray();
        // Only the centre tap is 1, so acc = bias + x (the k x k kernels still run every tap).
        int centre = (k / 2) * k + k / 2;
        sbyte[] filter = Enumerable.Range(0, g.FilterLength).Select(i => (sbyte)(i / c == centre ? 1 : 0)).ToArray();
        int[] bias = Enumerable.Range(0, c).Select(i => i * 7 - 60).ToArray();
        int ties = 0;
        foreach (var convention in PackedCases.Conventions)
        {
            var p = QuantizedConvParams.Prepare(convention, 1f, 0, wScales, 0, 1f, 0, -128, 127, c);
            var expected = new sbyte[g.OutputLength];
            DepthwiseConv2DReference.Run(g, input, filter, bias, p, expected);
            if (convention == RequantConvention.Xnnpack)
                for (int i = 0; i < input.Length; i++)
                {
                    float scaled = (input[i] + bias[i % c]) * wScales[i % c];
                    if (MathF.Abs(scaled - MathF.Truncate(scaled)) == 0.5f && MathF.Abs(scaled) < 127) ties++;
                }
            foreach (var path in PackedCases.Paths)
            {
                var actual = new sbyte[g.OutputLength];
                DepthwiseConv2DInt8Packed.Create(g, filter, bias, p, path).Run(input, actual);
                Assert.True(expected.AsSpan().SequenceEqual(actual), $"{path} {convention}: {PackedCases.Mismatch(expected, actual)}");
            }
        }
        Assert.True(ties > 500, $"only {ties} halfway cases");
    }
}
