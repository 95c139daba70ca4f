using QuantKernels.Kernels.Convolution;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Runtime.Ops;

/// <summary>Builds the requantization parameters of conv-like ops (CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED) from their tensors.</summary>
internal static class ConvParamsBuilder
{
    public static QuantizedConvParams Build(OpContext context, Tensor input, Tensor filter, Tensor? bias, Tensor output,
        FusedActivation activation, int channels, int channelAxis)
    {
        OpHelpers.RequireQuantized(context, input, "input");
        OpHelpers.RequireQuantized(context, output, "output");
        if (filter.Type != input.Type && !(filter.Type == TensorType.Int8 && input.Type == TensorType.Int8))
            throw context.Unsupported($"filter type {TensorTypes.Name(filter.Type)} with input type {TensorTypes.Name(input.Type)} (hybrid ops are not supported)");
        if (output.Type != input.Type)
            throw context.Unsupported($"output type {TensorTypes.Name(output.Type)} differs from input type {TensorTypes.Name(input.Type)}");
        float[] scales = OpHelpers.ChannelScales(context, filter, channels, channelAxis);
        int weightZeroPoint = filter.Type == TensorType.UInt8 ? filter.ZeroPoint : 0;
        if (filter.Type == TensorType.UInt8) OpHelpers.RequireQuantized(context, filter, "filter");
        if (filter.Type == TensorType.Int8)
        {
            foreach (long zp in filter.Quantization.ZeroPoints)
                if (zp != 0) throw context.Unsupported($"int8 filter {filter} has a non-zero zero point {zp}");
        }
        if (bias is not null)
        {
            if (bias.Type != TensorType.Int32) throw context.Unsupported($"bias {bias} has type {TensorTypes.Name(bias.Type)}; expected int32");
            if (bias.ElementCount != channels) throw context.Error($"bias {bias} has {bias.ElementCount} values for {channels} output channels");
        }
        var (min, max) = OpHelpers.QuantizedActivationRange(context, activation, output);
        return QuantizedConvParams.Prepare(context.Convention, input.Scale, input.ZeroPoint, scales, weightZeroPoint,
            output.Scale, output.ZeroPoint, min, max, channels);
    }

    public static PaddingType Padding(OpContext context, tflite.Padding padding) => padding switch
    {
        tflite.Padding.SAME => PaddingType.Same,
        tflite.Padding.VALID => PaddingType.Valid,
        _ => throw context.Error($"unknown padding {(int)padding}"),
    };

    public static void RequirePositive(OpContext context, int value, string what)
    {
        if (value < 1) throw context.Error($"{what} is {value}; it must be at least 1");
    }
}
