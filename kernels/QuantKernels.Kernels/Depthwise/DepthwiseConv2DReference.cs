using System.Numerics;
using System.Runtime.CompilerServices;
using QuantKernels.Kernels.Convolution;

namespace QuantKernels.Kernels.Depthwise;

/// <summary>
/// Scalar reference DEPTHWISE_CONV_2D: output channel oc = ic * M + m reads only input channel ic.
/// Quantized: acc = bias[oc] + sum over in-image taps of (x - zpIn) * (w - zpW); padded taps are skipped;
/// then <see cref="QuantizedConvParams.Requantize"/> (per-channel parameters index the C*M output channels).
/// </summary>
public static class DepthwiseConv2DReference
{
    /// <summary>int8 activations, int8 weights (per-channel on axis 3 or per-tensor), int32 bias.</summary>
    /// <param name="geometry">Shapes, depth multiplier, strides, dilations and padding offsets.</param>
    /// <param name="input">NHWC input, <see cref="DepthwiseConv2DGeometry.InputLength"/> elements.</param>
    /// <param name="filter">[1,FH,FW,C*M] filter, <see cref="DepthwiseConv2DGeometry.FilterLength"/> elements.</param>
    /// <param name="bias">One int32 per output channel (C*M), or empty when absent.</param>
    /// <param name="parameters">Requantization parameters from <see cref="QuantizedConvParams.Prepare"/> with C*M channels.</param>
    /// <param name="output">NHWC output, <see cref="DepthwiseConv2DGeometry.OutputLength"/> elements.</param>
    public static void Run(in DepthwiseConv2DGeometry geometry, ReadOnlySpan<sbyte> input, ReadOnlySpan<sbyte> filter,
        ReadOnlySpan<int> bias, QuantizedConvParams parameters, Span<sbyte> output)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate(sbyte.MinValue, sbyte.MaxValue, geometry.OutputChannels, sbyte.MinValue, sbyte.MaxValue);
        Quantized(geometry, input, filter, bias, parameters, output);
    }

    /// <summary>Legacy uint8: uint8 activations, uint8 per-tensor weights with a weight zero point.</summary>
    /// <inheritdoc cref="Run(in DepthwiseConv2DGeometry, ReadOnlySpan{sbyte}, ReadOnlySpan{sbyte}, ReadOnlySpan{int}, QuantizedConvParams, Span{sbyte})"/>
    public static void Run(in DepthwiseConv2DGeometry geometry, ReadOnlySpan<byte> input, ReadOnlySpan<byte> filter,
        ReadOnlySpan<int> bias, QuantizedConvParams parameters, Span<byte> output)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate(byte.MinValue, byte.MaxValue, geometry.OutputChannels, byte.MinValue, byte.MaxValue);
        Quantized(geometry, input, filter, bias, parameters, output);
    }

    /// <summary>float32 depthwise convolution: out = clamp(sum of in-image taps x * w + bias[oc], min, max).</summary>
    /// <param name="geometry">Shapes, depth multiplier, strides, dilations and padding offsets.</param>
    /// <param name="input">NHWC input.</param>
    /// <param name="filter">[1,FH,FW,C*M] filter.</param>
    /// <param name="bias">One float per output channel, or empty when absent.</param>
    /// <param name="outputMin">Lower clamp of the fused activation.</param>
    /// <param name="outputMax">Upper clamp of the fused activation.</param>
    /// <param name="output">NHWC output.</param>
    public static void Run(in DepthwiseConv2DGeometry geometry, ReadOnlySpan<float> input, ReadOnlySpan<float> filter,
        ReadOnlySpan<float> bias, float outputMin, float outputMax, Span<float> output)
    {
        geometry.CheckSpans(input.Length, filter.Length, bias.Length, output.Length);
        if (!(outputMin <= outputMax)) throw new ArgumentException($"clamp range [{outputMin}, {outputMax}] is empty", nameof(outputMin));
        DepthwiseConv2DGeometry g = geometry;
        int outC = g.OutputChannels, m = g.DepthMultiplier;
        int o = 0;
        for (int b = 0; b < g.Batches; b++)
        for (int oy = 0; oy < g.OutputHeight; oy++)
        for (int ox = 0; ox < g.OutputWidth; ox++)
        for (int oc = 0; oc < outC; oc++)
        {
            int ic = oc / m;
            float total = 0f;
            for (int ky = 0; ky < g.FilterHeight; ky++)
            {
                int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
                if ((uint)iy >= (uint)g.InputHeight) continue;
                for (int kx = 0; kx < g.FilterWidth; kx++)
                {
                    int ix = ox * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
                    if ((uint)ix >= (uint)g.InputWidth) continue;
                    total += input[((b * g.InputHeight + iy) * g.InputWidth + ix) * g.InputChannels + ic]
                           * filter[(ky * g.FilterWidth + kx) * outC + oc];
                }
            }
            if (!bias.IsEmpty) total += bias[oc];
            output[o++] = MathF.Min(MathF.Max(total, outputMin), outputMax);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Quantized<T>(in DepthwiseConv2DGeometry geometry, ReadOnlySpan<T> input, ReadOnlySpan<T> filter,
        ReadOnlySpan<int> bias, QuantizedConvParams p, Span<T> output)
        where T : unmanaged, IBinaryInteger<T>
    {
        geometry.CheckSpans(input.Length, filter.Length, bias.Length, output.Length);
        DepthwiseConv2DGeometry g = geometry;
        int zpIn = p.InputZeroPoint, zpW = p.WeightZeroPoint;
        int outC = g.OutputChannels, m = g.DepthMultiplier;
        int o = 0;
        for (int b = 0; b < g.Batches; b++)
        for (int oy = 0; oy < g.OutputHeight; oy++)
        for (int ox = 0; ox < g.OutputWidth; ox++)
        for (int oc = 0; oc < outC; oc++)
        {
            int ic = oc / m;
            int acc = 0;
            for (int ky = 0; ky < g.FilterHeight; ky++)
            {
                int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
                if ((uint)iy >= (uint)g.InputHeight) continue; // padded row: contributes nothing
                for (int kx = 0; kx < g.FilterWidth; kx++)
                {
                    int ix = ox * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
                    if ((uint)ix >= (uint)g.InputWidth) continue;
                    int x = int.CreateTruncating(input[((b * g.InputHeight + iy) * g.InputWidth + ix) * g.InputChannels + ic]);
                    int w = int.CreateTruncating(filter[(ky * g.FilterWidth + kx) * outC + oc]);
                    acc += (x - zpIn) * (w - zpW);
                }
            }
            if (!bias.IsEmpty) acc += bias[oc];
            output[o++] = T.CreateTruncating(p.Requantize(acc, oc));
        }
    }
}
