using System.Numerics;
using System.Runtime.CompilerServices;

namespace QuantKernels.Kernels.Convolution;

/// <summary>
/// Scalar reference CONV_2D (NHWC input, OHWI filter): the numeric contract every optimised conv kernel must equal.
/// Quantized: acc = bias[oc] + sum over in-image taps of (x - zpIn) * (w - zpW); padded taps are skipped (they add
/// nothing, they are not zpIn-valued); then <see cref="QuantizedConvParams.Requantize"/>. Grouped convolution
/// (filter input channels dividing the input channels) is supported.
/// </summary>
public static class Conv2DReference
{
    /// <summary>int8 activations, int8 weights (per-channel or per-tensor), int32 bias.</summary>
    /// <param name="geometry">Shapes, strides, dilations and padding offsets.</param>
    /// <param name="input">NHWC input, <see cref="Conv2DGeometry.InputLength"/> elements.</param>
    /// <param name="filter">OHWI filter, <see cref="Conv2DGeometry.FilterLength"/> elements.</param>
    /// <param name="bias">One int32 per output channel, or empty when the op has no bias.</param>
    /// <param name="parameters">Requantization parameters from <see cref="QuantizedConvParams.Prepare"/>.</param>
    /// <param name="output">NHWC output, <see cref="Conv2DGeometry.OutputLength"/> elements.</param>
    public static void Run(in Conv2DGeometry geometry, ReadOnlySpan<sbyte> input, ReadOnlySpan<sbyte> filter,
        ReadOnlySpan<int> bias, QuantizedConvParams parameters, Span<sbyte> output)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate(sbyte.MinValue, sbyte.MaxValue, geometry.OutputChannels, sbyte.MinValue, sbyte.MaxValue);
        Quantized(geometry, input, filter, bias, parameters, output);
    }

    /// <summary>Legacy uint8: uint8 activations, uint8 per-tensor weights with a (usually non-zero) weight zero point.</summary>
    /// <inheritdoc cref="Run(in Conv2DGeometry, ReadOnlySpan{sbyte}, ReadOnlySpan{sbyte}, ReadOnlySpan{int}, QuantizedConvParams, Span{sbyte})"/>
    public static void Run(in Conv2DGeometry geometry, ReadOnlySpan<byte> input, ReadOnlySpan<byte> filter,
        ReadOnlySpan<int> bias, QuantizedConvParams parameters, Span<byte> output)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate(byte.MinValue, byte.MaxValue, geometry.OutputChannels, byte.MinValue, byte.MaxValue);
        Quantized(geometry, input, filter, bias, parameters, output);
    }

    /// <summary>float32 convolution: out = clamp(sum of in-image taps x * w + bias[oc], min, max).</summary>
    /// <param name="geometry">Shapes, strides, dilations and padding offsets.</param>
    /// <param name="input">NHWC input.</param>
    /// <param name="filter">OHWI filter.</param>
    /// <param name="bias">One float per output channel, or empty when the op has no bias.</param>
    /// <param name="outputMin">Lower clamp of the fused activation (-infinity for none).</param>
    /// <param name="outputMax">Upper clamp of the fused activation (+infinity for none).</param>
    /// <param name="output">NHWC output.</param>
    public static void Run(in Conv2DGeometry geometry, ReadOnlySpan<float> input, ReadOnlySpan<float> filter,
        ReadOnlySpan<float> bias, float outputMin, float outputMax, Span<float> output)
    {
        geometry.CheckSpans(input.Length, filter.Length, bias.Length, output.Length);
        if (!(outputMin <= outputMax)) throw new ArgumentException($"clamp range [{outputMin}, {outputMax}] is empty", nameof(outputMin));
        Conv2DGeometry g = geometry;
        int outPerGroup = g.OutputChannels / g.Groups;
        int o = 0;
        for (int b = 0; b < g.Batches; b++)
        for (int oy = 0; oy < g.OutputHeight; oy++)
        for (int ox = 0; ox < g.OutputWidth; ox++)
        for (int oc = 0; oc < g.OutputChannels; oc++)
        {
            int icBase = oc / outPerGroup * g.FilterInputChannels;
            float total = 0f;
            for (int ky = 0; ky < g.FilterHeight; ky++)
            {
                int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
                if ((uint)iy >= (uint)g.InputHeight) continue;
                for (int kx = 0; kx < g.FilterWidth; kx++)
                {
                    int ix = ox * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
                    if ((uint)ix >= (uint)g.InputWidth) continue;
                    int inOff = ((b * g.InputHeight + iy) * g.InputWidth + ix) * g.InputChannels + icBase;
                    int fOff = ((oc * g.FilterHeight + ky) * g.FilterWidth + kx) * g.FilterInputChannels;
                    for (int ic = 0; ic < g.FilterInputChannels; ic++)
                        total += input[inOff + ic] * filter[fOff + ic];
                }
            }
            // TFLite's reference adds the bias after the taps, then clamps.
            if (!bias.IsEmpty) total += bias[oc];
            output[o++] = MathF.Min(MathF.Max(total, outputMin), outputMax);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Quantized<T>(in Conv2DGeometry geometry, ReadOnlySpan<T> input, ReadOnlySpan<T> filter,
        ReadOnlySpan<int> bias, QuantizedConvParams p, Span<T> output)
        where T : unmanaged, IBinaryInteger<T>
    {
        geometry.CheckSpans(input.Length, filter.Length, bias.Length, output.Length);
        Conv2DGeometry g = geometry;
        int zpIn = p.InputZeroPoint, zpW = p.WeightZeroPoint;
        int outPerGroup = g.OutputChannels / g.Groups;
        int o = 0;
        for (int b = 0; b < g.Batches; b++)
        for (int oy = 0; oy < g.OutputHeight; oy++)
        for (int ox = 0; ox < g.OutputWidth; ox++)
        for (int oc = 0; oc < g.OutputChannels; oc++)
        {
            int icBase = oc / outPerGroup * g.FilterInputChannels;
            int acc = 0;
            for (int ky = 0; ky < g.FilterHeight; ky++)
            {
                int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
                if ((uint)iy >= (uint)g.InputHeight) continue; // padded row: contributes nothing
                for (int kx = 0; kx < g.FilterWidth; kx++)
                {
                    int ix = ox * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
                    if ((uint)ix >= (uint)g.InputWidth) continue;
                    int inOff = ((b * g.InputHeight + iy) * g.InputWidth + ix) * g.InputChannels + icBase;
                    int fOff = ((oc * g.FilterHeight + ky) * g.FilterWidth + kx) * g.FilterInputChannels;
                    for (int ic = 0; ic < g.FilterInputChannels; ic++)
                        acc += (int.CreateTruncating(input[inOff + ic]) - zpIn) * (int.CreateTruncating(filter[fOff + ic]) - zpW);
                }
            }
            if (!bias.IsEmpty) acc += bias[oc];
            output[o++] = T.CreateTruncating(p.Requantize(acc, oc));
        }
    }
}
