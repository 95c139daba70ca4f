using QuantKernels.Kernels;
using QuantKernels.Kernels.Convolution;
using QuantKernels.Kernels.Layout;
using QuantKernels.Kernels.Pooling;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Runtime.Ops;

/// <summary>
/// AVERAGE_POOL_2D and MAX_POOL_2D. Quantized pools keep the input's scale and zero point (TFLite requires equal
/// input/output parameters); average pool is TFLite's own integer kernel in both conventions (the oracle runs it too).
/// </summary>
internal sealed class Pool2DOp(bool average) : OpKernel
{
    private Nhwc _in, _out;
    private Pool2DParams _p;
    private int _qmin, _qmax;
    private float _fmin, _fmax;

    private IsaPath _path;

    /// <summary>The ISA path of the quantized average pool and of max pool (chosen once at Prepare).</summary>
    internal IsaPath Path => _path;

    public override void Prepare(OpContext context)
    {
        context.RequireCounts(1, 1, 1);
        _path = Dispatch.Select(context.IsaPath);
        var input = context.Input(0);
        var output = context.Output(0);
        context.RequireType(input, "input", TensorType.Float32, TensorType.Int8, TensorType.UInt8);
        if (input.Rank != 4) throw context.Error($"input {input} must have rank 4 (NHWC)");
        if (output.Type != input.Type) throw context.Error($"output type {TensorTypes.Name(output.Type)} differs from input {TensorTypes.Name(input.Type)}");
        var o = context.Options<tflite.Pool2DOptions>(tflite.BuiltinOptions.Pool2DOptions) ?? throw context.Error("missing Pool2DOptions");
        ConvParamsBuilder.RequirePositive(context, o.StrideH, "stride_h");
        ConvParamsBuilder.RequirePositive(context, o.StrideW, "stride_w");
        ConvParamsBuilder.RequirePositive(context, o.FilterHeight, "filter_height");
        ConvParamsBuilder.RequirePositive(context, o.FilterWidth, "filter_width");
        var padding = ConvParamsBuilder.Padding(context, o.Padding);
        var (outH, padTop) = Padding.Compute(input.Dim(1), o.FilterHeight, o.StrideH, 1, padding);
        var (outW, padLeft) = Padding.Compute(input.Dim(2), o.FilterWidth, o.StrideW, 1, padding);
        _in = new Nhwc(input.Dim(0), input.Dim(1), input.Dim(2), input.Dim(3));
        _out = new Nhwc(_in.N, outH, outW, _in.C);
        _p = new Pool2DParams(o.StrideH, o.StrideW, o.FilterHeight, o.FilterWidth, padTop, padLeft);
        context.SetOutputShape(0, [_out.N, _out.H, _out.W, _out.C]);
        var activation = OpHelpers.Fused(context, o.FusedActivationFunction);
        if (input.Type == TensorType.Float32)
        {
            (_fmin, _fmax) = ActivationRange.Float(activation);
        }
        else
        {
            OpHelpers.RequireQuantized(context, input, "input");
            if (output.Quantization.IsQuantized && (output.Scale != input.Scale || output.ZeroPoint != input.ZeroPoint))
                throw context.Unsupported($"output quantization ({output.Scale}, {output.ZeroPoint}) differs from the input's ({input.Scale}, {input.ZeroPoint})");
            var (min, max) = OpHelpers.TypeRange(input.Type);
            (_qmin, _qmax) = ActivationRange.Quantized(activation, input.Scale, input.ZeroPoint, min, max);
        }
    }

    public override void Invoke(OpContext context)
    {
        var input = context.Input(0);
        var output = context.Output(0);
        switch (input.Type)
        {
            case TensorType.Float32:
                if (average) AveragePool2D.Float(input.AsReadOnlySpan<float>(), _in, output.AsSpan<float>(), _out, in _p, _fmin, _fmax);
                else MaxPoolSimd.Float(_path, input.AsReadOnlySpan<float>(), _in, output.AsSpan<float>(), _out, in _p, _fmin, _fmax);
                break;
            case TensorType.Int8:
                if (average) AveragePoolSimd.Quantized(_path, input.AsReadOnlySpan<sbyte>(), _in, output.AsSpan<sbyte>(), _out, in _p, _qmin, _qmax);
                else MaxPoolSimd.Quantized(_path, input.AsReadOnlySpan<sbyte>(), _in, output.AsSpan<sbyte>(), _out, in _p, _qmin, _qmax);
                break;
            default:
                if (average) AveragePoolSimd.Quantized(_path, input.AsReadOnlySpan<byte>(), _in, output.AsSpan<byte>(), _out, in _p, _qmin, _qmax);
                else MaxPoolSimd.Quantized(_path, input.AsReadOnlySpan<byte>(), _in, output.AsSpan<byte>(), _out, in _p, _qmin, _qmax);
                break;
        }
    }
}
