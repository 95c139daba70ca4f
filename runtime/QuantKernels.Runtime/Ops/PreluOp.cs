using QuantKernels.Kernels;
using QuantKernels.Kernels.Activations;
using QuantKernels.Kernels.Elementwise;

namespace QuantKernels.Runtime.Ops;

/// <summary>PRELU: alpha broadcast against the input; float32 (vectorized, FloatBinarySimd) and int8/uint8 (TFLite's reference PRELU).</summary>
internal sealed class PreluOp : OpKernel
{
    private QuantizedPreluParams _p;
    private IsaPath _path;

    /// <summary>The ISA path chosen at preparation (tests assert it).</summary>
    internal IsaPath Path => _path;

    public override void Prepare(OpContext context)
    {
        context.RequireCounts(2, 2, 1);
        var input = context.Input(0);
        var alpha = context.Input(1);
        var output = context.Output(0);
        context.RequireType(input, "input", TensorType.Float32, TensorType.Int8, TensorType.UInt8);
        if (alpha.Type != input.Type || output.Type != input.Type) throw context.Error("input, alpha and output must have the same type");
        var shape = OpHelpers.BroadcastShape(context, input.Shape, alpha.Shape);
        context.SetOutputShape(0, shape);
        _path = Dispatch.Select(context.IsaPath);
        if (input.Type == TensorType.Float32) return;
        OpHelpers.RequireQuantized(context, input, "input");
        OpHelpers.RequireQuantized(context, alpha, "alpha");
        OpHelpers.RequireQuantized(context, output, "output");
        _p = input.Type == TensorType.Int8
            ? QuantizedPrelu.Prepare<sbyte>(input.Scale, input.ZeroPoint, alpha.Scale, alpha.ZeroPoint, output.Scale, output.ZeroPoint)
            : QuantizedPrelu.Prepare<byte>(input.Scale, input.ZeroPoint, alpha.Scale, alpha.ZeroPoint, output.Scale, output.ZeroPoint);
    }

    public override void Invoke(OpContext context)
    {
        var input = context.Input(0);
        var alpha = context.Input(1);
        var output = context.Output(0);
        switch (input.Type)
        {
            case TensorType.Float32:
                FloatBinarySimd.Prelu(_path, input.Shape, input.AsReadOnlySpan<float>(), alpha.Shape, alpha.AsReadOnlySpan<float>(), output.Shape, output.AsSpan<float>());
                break;
            case TensorType.Int8:
                QuantizedPrelu.Invoke(in _p, input.Shape, input.AsReadOnlySpan<sbyte>(), alpha.Shape, alpha.AsReadOnlySpan<sbyte>(), output.Shape, output.AsSpan<sbyte>());
                break;
            default:
                QuantizedPrelu.Invoke(in _p, input.Shape, input.AsReadOnlySpan<byte>(), alpha.Shape, alpha.AsReadOnlySpan<byte>(), output.Shape, output.AsSpan<byte>());
                break;
        }
    }
}
