using QuantKernels.Kernels;
using QuantKernels.Kernels.Elementwise;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Runtime.Ops;

/// <summary>
/// ADD, SUB, MUL, DIV, FLOOR_DIV, MAXIMUM, MINIMUM with TFLite broadcasting: float32, int32, int64, and quantized
/// int8/uint8 (ADD/SUB/MUL/MAXIMUM/MINIMUM; DIV uint8) in the interpreter's convention.
/// </summary>
internal sealed class BinaryOp(BinaryOperation operation) : OpKernel
{
    private FusedActivation _activation;
    private QuantizedAddParams _add;
    private QuantizedMulParams _mul;
    private QuantizedDivParams _div;
    private IsaPath? _addPath; // same-shape int8/uint8 ADD/SUB in the Xnnpack convention: the vectorized kernel

    /// <summary>The ISA path of the vectorized ADD/SUB, or null when Invoke runs the broadcasting scalar kernel.</summary>
    internal IsaPath? Path => _addPath;

    /// <summary>The ISA path float32 inputs run on (FloatBinarySimd), chosen at preparation.</summary>
    internal IsaPath FloatPath => _floatPath;
    private IsaPath _floatPath;

    public override void Prepare(OpContext context)
    {
        context.RequireCounts(2, 2, 1);
        var a = context.Input(0);
        var b = context.Input(1);
        var output = context.Output(0);
        context.RequireType(a, "input", TensorType.Float32, TensorType.Int32, TensorType.Int64, TensorType.Int8, TensorType.UInt8);
        if (b.Type != a.Type) throw context.Error($"inputs have different types: {TensorTypes.Name(a.Type)} and {TensorTypes.Name(b.Type)}");
        if (output.Type != a.Type) throw context.Error($"output type {TensorTypes.Name(output.Type)} differs from the inputs' {TensorTypes.Name(a.Type)}");
        context.SetOutputShape(0, OpHelpers.BroadcastShape(context, a.Shape, b.Shape));
        if (a.Rank > Broadcast.MaxRank || b.Rank > Broadcast.MaxRank)
            throw context.Unsupported($"broadcasting beyond rank {Broadcast.MaxRank}");

        var act = operation switch
        {
            BinaryOperation.Add => context.Options<tflite.AddOptions>(tflite.BuiltinOptions.AddOptions)?.FusedActivationFunction,
            BinaryOperation.Sub => context.Options<tflite.SubOptions>(tflite.BuiltinOptions.SubOptions)?.FusedActivationFunction,
            BinaryOperation.Mul => context.Options<tflite.MulOptions>(tflite.BuiltinOptions.MulOptions)?.FusedActivationFunction,
            BinaryOperation.Div => context.Options<tflite.DivOptions>(tflite.BuiltinOptions.DivOptions)?.FusedActivationFunction,
            _ => null,
        };
        _activation = OpHelpers.Fused(context, act ?? tflite.ActivationFunctionType.NONE);
        if (_activation is FusedActivation.Tanh or FusedActivation.SignBit)
            throw context.Unsupported($"fused activation {_activation}");

        _addPath = null;
        _floatPath = Dispatch.Select(context.IsaPath);
        if (a.Type is TensorType.Int8 or TensorType.UInt8)
        {
            OpHelpers.RequireQuantized(context, a, "input 0");
            OpHelpers.RequireQuantized(context, b, "input 1");
            OpHelpers.RequireQuantized(context, output, "output");
            bool int8 = a.Type == TensorType.Int8;
            switch (operation)
            {
                case BinaryOperation.Add:
                case BinaryOperation.Sub:
                    _add = int8
                        ? QuantizedAdd.Prepare<sbyte>(context.Convention, a.Scale, a.ZeroPoint, b.Scale, b.ZeroPoint, output.Scale, output.ZeroPoint, _activation, operation == BinaryOperation.Sub)
                        : QuantizedAdd.Prepare<byte>(context.Convention, a.Scale, a.ZeroPoint, b.Scale, b.ZeroPoint, output.Scale, output.ZeroPoint, _activation, operation == BinaryOperation.Sub);
                    if (QuantizedAddSimd.Supports(in _add) && a.Shape.SequenceEqual(b.Shape)) _addPath = Dispatch.Select(context.IsaPath);
                    break;
                case BinaryOperation.Mul:
                    _mul = int8
                        ? QuantizedMul.Prepare<sbyte>(context.Convention, a.Scale, a.ZeroPoint, b.Scale, b.ZeroPoint, output.Scale, output.ZeroPoint, _activation)
                        : QuantizedMul.Prepare<byte>(context.Convention, a.Scale, a.ZeroPoint, b.Scale, b.ZeroPoint, output.Scale, output.ZeroPoint, _activation);
                    break;
                case BinaryOperation.Div:
                    if (int8) throw context.Unsupported("int8 DIV (TFLite has uint8 DIV only)");
                    _div = QuantizedDiv.Prepare(context.Convention, a.Scale, a.ZeroPoint, b.Scale, b.ZeroPoint, output.Scale, output.ZeroPoint, _activation);
                    break;
                case BinaryOperation.Maximum:
                case BinaryOperation.Minimum:
                    break;
                default:
                    throw context.Unsupported($"quantized {operation}");
            }
        }
    }

    public override void Invoke(OpContext context)
    {
        var a = context.Input(0);
        var b = context.Input(1);
        var output = context.Output(0);
        switch (a.Type)
        {
            case TensorType.Float32:
                FloatBinarySimd.Run(_floatPath, operation, a.Shape, a.AsReadOnlySpan<float>(), b.Shape, b.AsReadOnlySpan<float>(), output.Shape, output.AsSpan<float>(), _activation);
                break;
            case TensorType.Int32:
                BinaryArithmetic.Int32(operation, a.Shape, a.AsReadOnlySpan<int>(), b.Shape, b.AsReadOnlySpan<int>(), output.Shape, output.AsSpan<int>(), _activation);
                break;
            case TensorType.Int64:
                BinaryArithmetic.Int64(operation, a.Shape, a.AsReadOnlySpan<long>(), b.Shape, b.AsReadOnlySpan<long>(), output.Shape, output.AsSpan<long>(), _activation);
                break;
            case TensorType.Int8:
                Quantized<sbyte>(a, b, output);
                break;
            default:
                Quantized<byte>(a, b, output);
                break;
        }
    }

    private void Quantized<T>(Tensor a, Tensor b, Tensor output) where T : unmanaged
    {
        var x = a.AsReadOnlySpan<T>();
        var y = b.AsReadOnlySpan<T>();
        var o = output.AsSpan<T>();
        switch (operation)
        {
            case BinaryOperation.Add:
            case BinaryOperation.Sub:
                if (_addPath is { } path)
                {
                    QuantizedAddSimd.Run(path, in _add, x, y, o);
                    break;
                }
                QuantizedAdd.Invoke(in _add, a.Shape, x, b.Shape, y, output.Shape, o);
                break;
            case BinaryOperation.Mul:
                QuantizedMul.Invoke(in _mul, a.Shape, x, b.Shape, y, output.Shape, o);
                break;
            case BinaryOperation.Div:
                QuantizedDiv.Invoke(in _div, a.Shape, a.AsReadOnlySpan<byte>(), b.Shape, b.AsReadOnlySpan<byte>(), output.Shape, output.AsSpan<byte>());
                break;
            default:
                QuantizedMinMax.Invoke(operation == BinaryOperation.Maximum, a.Shape, x, b.Shape, y, output.Shape, o);
                break;
        }
    }
}
