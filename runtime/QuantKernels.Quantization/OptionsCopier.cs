using Google.FlatBuffers;
using QuantKernels.Runtime.Writing;
using T = tflite.BuiltinOptions;

namespace QuantKernels.Quantization;

/// <summary>Re-creates an operator's builtin options table in a new model (the options do not change with quantization).</summary>
internal static class OptionsCopier
{
    /// <summary>A writer reproducing <paramref name="op"/>'s options, or null when it has none.</summary>
    /// <exception cref="NotSupportedException">The options type is one the quantizer does not copy.</exception>
    public static TfliteWriter.OptionsWriter? For(tflite.Operator op, string owner)
    {
        switch (op.BuiltinOptionsType)
        {
            case T.NONE:
                return null;
            case T.Conv2DOptions:
            {
                var o = op.BuiltinOptions<tflite.Conv2DOptions>()!.Value;
                var (pad, sw, sh, act, dw, dh) = (o.Padding, o.StrideW, o.StrideH, o.FusedActivationFunction, o.DilationWFactor, o.DilationHFactor);
                return b => (T.Conv2DOptions, tflite.Conv2DOptions.CreateConv2DOptions(b, pad, sw, sh, act, dw, dh).Value);
            }
            case T.DepthwiseConv2DOptions:
            {
                var o = op.BuiltinOptions<tflite.DepthwiseConv2DOptions>()!.Value;
                var (pad, sw, sh, m, act, dw, dh) = (o.Padding, o.StrideW, o.StrideH, o.DepthMultiplier, o.FusedActivationFunction, o.DilationWFactor, o.DilationHFactor);
                return b => (T.DepthwiseConv2DOptions, tflite.DepthwiseConv2DOptions.CreateDepthwiseConv2DOptions(b, pad, sw, sh, m, act, dw, dh).Value);
            }
            case T.FullyConnectedOptions:
            {
                var o = op.BuiltinOptions<tflite.FullyConnectedOptions>()!.Value;
                var (act, fmt, keep) = (o.FusedActivationFunction, o.WeightsFormat, o.KeepNumDims);
                return b => (T.FullyConnectedOptions, tflite.FullyConnectedOptions.CreateFullyConnectedOptions(b, act, fmt, keep).Value);
            }
            case T.Pool2DOptions:
            {
                var o = op.BuiltinOptions<tflite.Pool2DOptions>()!.Value;
                var (pad, sw, sh, fw, fh, act) = (o.Padding, o.StrideW, o.StrideH, o.FilterWidth, o.FilterHeight, o.FusedActivationFunction);
                return b => (T.Pool2DOptions, tflite.Pool2DOptions.CreatePool2DOptions(b, pad, sw, sh, fw, fh, act).Value);
            }
            case T.AddOptions:
            {
                var act = op.BuiltinOptions<tflite.AddOptions>()!.Value.FusedActivationFunction;
                return b => (T.AddOptions, tflite.AddOptions.CreateAddOptions(b, act).Value);
            }
            case T.SubOptions:
            {
                var act = op.BuiltinOptions<tflite.SubOptions>()!.Value.FusedActivationFunction;
                return b => (T.SubOptions, tflite.SubOptions.CreateSubOptions(b, act).Value);
            }
            case T.MulOptions:
            {
                var act = op.BuiltinOptions<tflite.MulOptions>()!.Value.FusedActivationFunction;
                return b => (T.MulOptions, tflite.MulOptions.CreateMulOptions(b, act).Value);
            }
            case T.ConcatenationOptions:
            {
                var o = op.BuiltinOptions<tflite.ConcatenationOptions>()!.Value;
                var (axis, act) = (o.Axis, o.FusedActivationFunction);
                return b => (T.ConcatenationOptions, tflite.ConcatenationOptions.CreateConcatenationOptions(b, axis, act).Value);
            }
            case T.ReshapeOptions:
            {
                var shape = op.BuiltinOptions<tflite.ReshapeOptions>()!.Value.GetNewShapeArray();
                return b =>
                {
                    var v = shape is null ? default : tflite.ReshapeOptions.CreateNewShapeVector(b, shape);
                    return (T.ReshapeOptions, tflite.ReshapeOptions.CreateReshapeOptions(b, v).Value);
                };
            }
            case T.SqueezeOptions:
            {
                var dims = op.BuiltinOptions<tflite.SqueezeOptions>()!.Value.GetSqueezeDimsArray();
                return b =>
                {
                    var v = dims is null ? default : tflite.SqueezeOptions.CreateSqueezeDimsVector(b, dims);
                    return (T.SqueezeOptions, tflite.SqueezeOptions.CreateSqueezeOptions(b, v).Value);
                };
            }
            case T.SoftmaxOptions:
            {
                float beta = op.BuiltinOptions<tflite.SoftmaxOptions>()!.Value.Beta;
                return b => (T.SoftmaxOptions, tflite.SoftmaxOptions.CreateSoftmaxOptions(b, beta).Value);
            }
            case T.ReducerOptions:
            {
                bool keep = op.BuiltinOptions<tflite.ReducerOptions>()!.Value.KeepDims;
                return b => (T.ReducerOptions, tflite.ReducerOptions.CreateReducerOptions(b, keep).Value);
            }
            case T.ResizeBilinearOptions:
            {
                var o = op.BuiltinOptions<tflite.ResizeBilinearOptions>()!.Value;
                var (align, half) = (o.AlignCorners, o.HalfPixelCenters);
                return b => (T.ResizeBilinearOptions, tflite.ResizeBilinearOptions.CreateResizeBilinearOptions(b, align, half).Value);
            }
            case T.ResizeNearestNeighborOptions:
            {
                var o = op.BuiltinOptions<tflite.ResizeNearestNeighborOptions>()!.Value;
                var (align, half) = (o.AlignCorners, o.HalfPixelCenters);
                return b => (T.ResizeNearestNeighborOptions, tflite.ResizeNearestNeighborOptions.CreateResizeNearestNeighborOptions(b, align, half).Value);
            }
            case T.PadOptions:
                return b => { tflite.PadOptions.StartPadOptions(b); return (T.PadOptions, tflite.PadOptions.EndPadOptions(b).Value); };
            case T.ExpandDimsOptions:
                return b => { tflite.ExpandDimsOptions.StartExpandDimsOptions(b); return (T.ExpandDimsOptions, tflite.ExpandDimsOptions.EndExpandDimsOptions(b).Value); };
            case T.MaximumMinimumOptions:
                return b => { tflite.MaximumMinimumOptions.StartMaximumMinimumOptions(b); return (T.MaximumMinimumOptions, tflite.MaximumMinimumOptions.EndMaximumMinimumOptions(b).Value); };
            case T.HardSwishOptions:
                return b => { tflite.HardSwishOptions.StartHardSwishOptions(b); return (T.HardSwishOptions, tflite.HardSwishOptions.EndHardSwishOptions(b).Value); };
            default:
                throw new NotSupportedException($"{owner}: builtin options {op.BuiltinOptionsType} are not copied by the quantizer");
        }
    }
}
