using QuantKernels.Kernels;
using QuantKernels.Kernels.Convolution;
using QuantKernels.Kernels.FloatConvolution;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Runtime.Ops;

/// <summary>
/// CONV_2D: NHWC input, OHWI filter, optional bias; float32, int8 (per-channel) and uint8.
/// Quantized convolutions with constant weights (and bias) and one group are packed at Prepare for the ISA path
/// <see cref="Dispatch.Select"/> picks and run through <see cref="Conv2DInt8Packed"/>; everything else runs
/// <see cref="Conv2DReference"/>.
/// </summary>
internal sealed class Conv2DOp : OpKernel
{
    /// <summary>Multiply-accumulates per part at least: smaller convs split into fewer parts (one: the calling thread
    /// alone), as waking the workers costs more than it saves.</summary>
    private const long MinMacsPerPart = 1L << 17;

    private Conv2DGeometry _geometry;
    private QuantizedConvParams? _params;
    private PackedInt8Runner? _packed;
    private FloatConvRunner? _float; // float32 with constant weights: the packed multiply-add kernel
    private float _min, _max;

    /// <summary>The ISA path of the packed float kernel, or null when a float Invoke runs the reference.</summary>
    internal IsaPath? FloatPath => _float?.Path;

    /// <summary>The ISA path of the packed kernel, or null when Invoke runs the scalar reference.</summary>
    internal IsaPath? Path => _packed?.Kernel.Path;

    /// <summary>Parts each Invoke splits the packed convolution into (1: the calling thread alone).</summary>
    internal int Parts => _packed?.Parts ?? 1;

    /// <summary>Whether parts split output channels rather than pixels (few output pixels, e.g. a classifier head).</summary>
    internal bool SplitsChannels => _packed?.Kernel is Conv2DInt8Packed { SplitsChannels: true };

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
        _packed = null;
        _float = null;
        if (input.Type == TensorType.Float32 && filter.IsConstant && (bias is null || bias.IsConstant) && Conv2DFloatPacked.Supports(_geometry))
        {
            var kernel = Conv2DFloatPacked.Create(_geometry, filter.AsReadOnlySpan<float>(), bias is null ? default : bias.AsReadOnlySpan<float>(),
                _min, _max, Dispatch.Select(context.IsaPath));
            long macs = (long)_geometry.OutputLength * fh * fw * fic;
            _float = FloatConvRunner.ForConv(kernel, macs, context);
        }
        if (_params is not null && filter.IsConstant && (bias is null || bias.IsConstant) && Conv2DInt8Packed.Supports(_geometry))
        {
            IsaPath path = Dispatch.Select(context.IsaPath);
            ReadOnlySpan<int> biasData = bias is null ? default : bias.AsReadOnlySpan<int>();
            Conv2DInt8Packed kernel = input.Type == TensorType.Int8
                ? Conv2DInt8Packed.Create(_geometry, filter.AsReadOnlySpan<sbyte>(), biasData, _params, path)
                : Conv2DInt8Packed.Create(_geometry, filter.AsReadOnlySpan<byte>(), biasData, _params, path);
            long macs = (long)_geometry.Batches * _geometry.OutputHeight * _geometry.OutputWidth * outC * fh * fw * fic;
            _packed = new PackedInt8Runner(kernel, macs, MinMacsPerPart, context);
        }
    }

    public override void Invoke(OpContext context)
    {
        var input = context.Input(0);
        var filter = context.Input(1);
        var bias = context.OptionalInput(2);
        var output = context.Output(0);
        if (_packed is not null)
        {
            _packed.Run(input, output, context.Pool);
            return;
        }
        if (_float is not null)
        {
            _float.Run(input, output, context.Pool);
            return;
        }
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
