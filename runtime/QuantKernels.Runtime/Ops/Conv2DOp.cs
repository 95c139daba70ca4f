using QuantKernels.Kernels.Convolution;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Runtime.Ops;

/// <summary>CONV_2D: NHWC input, OHWI filter, optional bias; float32, int8 (per-channel) and uint8.</summary>
internal sealed class Conv2DOp : OpKernel
{
    private Conv2DGeometry _geometry;
    private QuantizedConvParams? _params;
    private float _min, _max;

    public override void Prepare(OpContext context)
    {
        context.RequireCounts(2, 3, 1);
        var input = context.Input(0);
        var filter = context.Input(1);
        var bias = context.OptionalInput(2);
        var output = context.Output(0);
        context.RequireType(input, "input", TensorType.Float32, TensorType.Int8, TensorType.UInt8);
        if (input.Rank != 4) throw context.Error($"input {input} must have rank 4 (NHWC)");
        if (filter.Rank != 4) throw context.Error($"filter {filter} must have rank 4 (OHWI)");

        var o = context.Options<tflite.Conv2DOptions>(tflite.BuiltinOptions.Conv2DOptions) ?? throw context.Error("missing Conv2DOptions");
        int strideH = o.StrideH, strideW = o.StrideW, dilH = o.DilationHFactor, dilW = o.DilationWFactor;
        ConvParamsBuilder.RequirePositive(context, strideH, "stride_h");
        ConvParamsBuilder.RequirePositive(context, strideW, "stride_w");
        ConvParamsBuilder.RequirePositive(context, dilH, "dilation_h_factor");
        ConvParamsBuilder.RequirePositive(context, dilW, "dilation_w_factor");
        int outC = filter.Dim(0), fh = filter.Dim(1), fw = filter.Dim(2), fic = filter.Dim(3);
        if (fic < 1 || input.Dim(3) % fic != 0 || outC % (input.Dim(3) / fic) != 0)
            throw context.Error($"filter {filter} does not fit input {input}: {input.Dim(3)} input channels, filter takes {fic}");
        _geometry = Conv2DGeometry.Create(input.Dim(0), input.Dim(1), input.Dim(2), input.Dim(3), outC, fh, fw, fic,
            strideH, strideW, dilH, dilW, ConvParamsBuilder.Padding(context, o.Padding));
        context.SetOutputShape(0, [_geometry.Batches, _geometry.OutputHeight, _geometry.OutputWidth, outC]);
        var activation = OpHelpers.Fused(context, o.FusedActivationFunction);

        if (input.Type == TensorType.Float32)
        {
            context.RequireType(filter, "filter", TensorType.Float32);
            if (bias is not null) context.RequireType(bias, "bias", TensorType.Float32);
            (_min, _max) = ActivationRange.Float(activation);
            _params = null;
        }
        else
        {
            _params = ConvParamsBuilder.Build(context, input, filter, bias, output, activation, outC, channelAxis: 0);
        }
    }

    public override void Invoke(OpContext context)
    {
        var input = context.Input(0);
        var filter = context.Input(1);
        var bias = context.OptionalInput(2);
        var output = context.Output(0);
        switch (input.Type)
        {
            case TensorType.Float32:
                Conv2DReference.Run(in _geometry, input.AsReadOnlySpan<float>(), filter.AsReadOnlySpan<float>(),
                    bias is null ? default : bias.AsReadOnlySpan<float>(), _min, _max, output.AsSpan<float>());
                break;
            case TensorType.Int8:
                Conv2DReference.Run(in _geometry, input.AsReadOnlySpan<sbyte>(), filter.AsReadOnlySpan<sbyte>(),
                    bias is null ? default : bias.AsReadOnlySpan<int>(), _params!, output.AsSpan<sbyte>());
                break;
            default:
                Conv2DReference.Run(in _geometry, input.AsReadOnlySpan<byte>(), filter.AsReadOnlySpan<byte>(),
                    bias is null ? default : bias.AsReadOnlySpan<int>(), _params!, output.AsSpan<byte>());
                break;
        }
    }
}
