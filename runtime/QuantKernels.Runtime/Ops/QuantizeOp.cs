using QuantKernels.Kernels;
using QuantKernels.Kernels.Conversion;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Runtime.Ops;

/// <summary>
/// QUANTIZE: float32 -> int8/uint8/int16 (Xnnpack: multiply by 1/scale, round half to even; Reference: divide,
/// round half away), or requantize between quantized types (equal scales: an exact zero-point shift).
/// </summary>
internal sealed class QuantizeOp : OpKernel
{
    private enum Mode { FromFloat, Requantize, RequantizeXnnpack }

    private Mode _mode;
    private Requantize.Params _rp;
    private Requantize.XnnpackParams _xp;
    private IsaPath _path;

    /// <summary>The ISA path of the vectorized conversions (float32 or 8-bit -&gt; 8-bit), chosen once at Prepare.</summary>
    internal IsaPath Path => _path;

    public override void Prepare(OpContext context)
    {
        context.RequireCounts(1, 1, 1);
        var input = context.Input(0);
        var output = context.Output(0);
        context.RequireType(input, "input", TensorType.Float32, TensorType.Int8, TensorType.UInt8, TensorType.Int16);
        context.RequireType(output, "output", TensorType.Int8, TensorType.UInt8, TensorType.Int16);
        OpHelpers.RequireQuantized(context, output, "output");
        if (output.Quantization.IsPerAxis) throw context.Unsupported("per-axis quantized output");
        context.SetOutputShape(0, input.Shape);
        _path = Dispatch.Select(context.IsaPath);
        if (input.Type == TensorType.Float32)
        {
            _mode = Mode.FromFloat;
            return;
        }
        OpHelpers.RequireQuantized(context, input, "input");
        _rp = Requantize.Prepare(input.Scale, input.ZeroPoint, output.Scale, output.ZeroPoint);
        _mode = Mode.Requantize;
        // XNNPACK takes same-type requantization (its "convert" with a 2^-8..2^7 ratio); TFLite's own kernel does the rest.
        float ratio = input.Scale / output.Scale;
        if (context.Convention == RequantConvention.Xnnpack && input.Type == output.Type && input.Type != TensorType.Int16
            && ratio >= 1f / 256 && ratio <= 128f && (input.Scale != output.Scale || input.ZeroPoint != output.ZeroPoint))
        {
            _xp = Requantize.PrepareXnnpack(input.Scale, input.ZeroPoint, output.Scale, output.ZeroPoint);
            _mode = Mode.RequantizeXnnpack;
        }
    }

    public override void Invoke(OpContext context)
    {
        var input = context.Input(0);
        var output = context.Output(0);
        if (_mode == Mode.FromFloat)
        {
            var src = input.AsReadOnlySpan<float>();
            switch (output.Type)
            {
                case TensorType.Int8: QuantizeSimd.Run(_path, context.Convention, src, output.AsSpan<sbyte>(), output.Scale, output.ZeroPoint); break;
                case TensorType.UInt8: QuantizeSimd.Run(_path, context.Convention, src, output.AsSpan<byte>(), output.Scale, output.ZeroPoint); break;
                default: Quantize.Float(context.Convention, src, output.AsSpan<short>(), output.Scale, output.ZeroPoint); break;
            }
            return;
        }
        if (_mode == Mode.RequantizeXnnpack)
        {
            if (input.Type == TensorType.Int8) RequantizeSimd.RunXnnpack(_path, input.AsReadOnlySpan<sbyte>(), output.AsSpan<sbyte>(), in _xp);
            else RequantizeSimd.RunXnnpack(_path, input.AsReadOnlySpan<byte>(), output.AsSpan<byte>(), in _xp);
            return;
        }
        if (RequantizeSimd.IsZeroPointShift(in _rp) && input.Type != TensorType.Int16 && output.Type != TensorType.Int16)
        {
            // Equal scales (uint8 graph input -> int8, int8 -> uint8 graph output): a vectorized zero-point shift.
            if (input.Type == TensorType.Int8)
            {
                if (output.Type == TensorType.Int8) RequantizeSimd.RunZeroPointShift(_path, input.AsReadOnlySpan<sbyte>(), output.AsSpan<sbyte>(), in _rp);
                else RequantizeSimd.RunZeroPointShift(_path, input.AsReadOnlySpan<sbyte>(), output.AsSpan<byte>(), in _rp);
            }
            else if (output.Type == TensorType.Int8) RequantizeSimd.RunZeroPointShift(_path, input.AsReadOnlySpan<byte>(), output.AsSpan<sbyte>(), in _rp);
            else RequantizeSimd.RunZeroPointShift(_path, input.AsReadOnlySpan<byte>(), output.AsSpan<byte>(), in _rp);
            return;
        }
        switch (input.Type)
        {
            case TensorType.Int8: RequantizeTo(input.AsReadOnlySpan<sbyte>(), output); break;
            case TensorType.UInt8: RequantizeTo(input.AsReadOnlySpan<byte>(), output); break;
            default: RequantizeTo(input.AsReadOnlySpan<short>(), output); break;
        }
    }

    private void RequantizeTo<TIn>(ReadOnlySpan<TIn> src, Tensor output) where TIn : unmanaged, System.Numerics.IBinaryInteger<TIn>
    {
        switch (output.Type)
        {
            case TensorType.Int8: Requantize.Run(src, output.AsSpan<sbyte>(), in _rp); break;
            case TensorType.UInt8: Requantize.Run(src, output.AsSpan<byte>(), in _rp); break;
            default: Requantize.Run(src, output.AsSpan<short>(), in _rp); break;
        }
    }
}

/// <summary>DEQUANTIZE: int8/uint8/int16 -> float32 as scale*(q - zp) (8-bit vectorized, DequantizeSimd); float16 -> float32.</summary>
internal sealed class DequantizeOp : OpKernel
{
    private IsaPath _path;

    /// <summary>The ISA path chosen at preparation (tests assert it).</summary>
    internal IsaPath Path => _path;

    public override void Prepare(OpContext context)
    {
        context.RequireCounts(1, 1, 1);
        _path = Dispatch.Select(context.IsaPath);
        var input = context.Input(0);
        context.RequireType(input, "input", TensorType.Int8, TensorType.UInt8, TensorType.Int16, TensorType.Float16);
        context.RequireType(context.Output(0), "output", TensorType.Float32);
        if (input.Type != TensorType.Float16)
        {
            OpHelpers.RequireQuantized(context, input, "input");
            if (input.Quantization.IsPerAxis) throw context.Unsupported("per-axis quantized input (dequantize it per channel offline)");
        }
        context.SetOutputShape(0, input.Shape);
    }

    public override void Invoke(OpContext context)
    {
        var input = context.Input(0);
        var dst = context.Output(0).AsSpan<float>();
        switch (input.Type)
        {
            case TensorType.Float16: Dequantize.Half(input.AsReadOnlySpan<Half>(), dst); break;
            case TensorType.Int8: DequantizeSimd.Run(_path, input.AsReadOnlySpan<sbyte>(), dst, input.Scale, input.ZeroPoint); break;
            case TensorType.UInt8: DequantizeSimd.Run(_path, input.AsReadOnlySpan<byte>(), dst, input.Scale, input.ZeroPoint); break;
            default: Dequantize.Run(input.AsReadOnlySpan<short>(), dst, input.Scale, input.ZeroPoint); break;
        }
    }
}
