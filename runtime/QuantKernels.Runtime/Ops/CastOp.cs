using System.Numerics;
using QuantKernels.Kernels.Conversion;

namespace QuantKernels.Runtime.Ops;

/// <summary>CAST between float32, int8, uint8, int16, int32, int64 and bool.</summary>
internal sealed class CastOp : OpKernel
{
    private static readonly TensorType[] Types =
        [TensorType.Float32, TensorType.Int8, TensorType.UInt8, TensorType.Int16, TensorType.Int32, TensorType.Int64, TensorType.Bool];

    public override void Prepare(OpContext context)
    {
        context.RequireCounts(1, 1, 1);
        context.RequireType(context.Input(0), "input", Types);
        context.RequireType(context.Output(0), "output", Types);
        context.SetOutputShape(0, context.Input(0).Shape);
    }

    public override void Invoke(OpContext context)
    {
        var input = context.Input(0);
        var output = context.Output(0);
        switch (input.Type)
        {
            case TensorType.Float32: From(input.AsReadOnlySpan<float>(), output); break;
            case TensorType.Int8: From(input.AsReadOnlySpan<sbyte>(), output); break;
            case TensorType.UInt8: From(input.AsReadOnlySpan<byte>(), output); break;
            case TensorType.Int16: From(input.AsReadOnlySpan<short>(), output); break;
            case TensorType.Int32: From(input.AsReadOnlySpan<int>(), output); break;
            case TensorType.Int64: From(input.AsReadOnlySpan<long>(), output); break;
            default: FromBool(input.AsReadOnlySpan<bool>(), output); break;
        }
    }

    private static void From<TIn>(ReadOnlySpan<TIn> src, Tensor output) where TIn : unmanaged, INumberBase<TIn>
    {
        switch (output.Type)
        {
            case TensorType.Float32: Cast.Run(src, output.AsSpan<float>()); break;
            case TensorType.Int8: Cast.Run(src, output.AsSpan<sbyte>()); break;
            case TensorType.UInt8: Cast.Run(src, output.AsSpan<byte>()); break;
            case TensorType.Int16: Cast.Run(src, output.AsSpan<short>()); break;
            case TensorType.Int32: Cast.Run(src, output.AsSpan<int>()); break;
            case TensorType.Int64: Cast.Run(src, output.AsSpan<long>()); break;
            default: Cast.ToBool(src, output.AsSpan<bool>()); break;
        }
    }

    private static void FromBool(ReadOnlySpan<bool> src, Tensor output)
    {
        switch (output.Type)
        {
            case TensorType.Float32: Cast.FromBool(src, output.AsSpan<float>()); break;
            case TensorType.Int8: Cast.FromBool(src, output.AsSpan<sbyte>()); break;
            case TensorType.UInt8: Cast.FromBool(src, output.AsSpan<byte>()); break;
            case TensorType.Int16: Cast.FromBool(src, output.AsSpan<short>()); break;
            case TensorType.Int32: Cast.FromBool(src, output.AsSpan<int>()); break;
            case TensorType.Int64: Cast.FromBool(src, output.AsSpan<long>()); break;
            default: src.CopyTo(output.AsSpan<bool>()); break;
        }
    }
}
