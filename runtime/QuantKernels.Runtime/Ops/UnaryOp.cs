using QuantKernels.Kernels.Activations;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Runtime.Ops;

/// <summary>The element-wise unary ops this runtime runs.</summary>
internal enum UnaryKind { Relu, Relu6, ReluN1To1, LeakyRelu, HardSwish, Logistic, Tanh, Abs, Neg, Sqrt }

/// <summary>
/// RELU, RELU6, RELU_N1_TO_1, LEAKY_RELU, HARD_SWISH, LOGISTIC, TANH, ABS, NEG, SQRT. Float32 computes directly;
/// int8/uint8 build a 256-entry table once at Prepare (the kernels' tables reproduce TFLite/XNNPACK exactly) and
/// look every element up at Invoke.
/// </summary>
internal sealed class UnaryOp(UnaryKind kind) : OpKernel
{
    private readonly byte[] _table = new byte[256];
    private float _alpha;
    private Kernels.IsaPath _path;

    /// <summary>The ISA path of the float clamp-like activations (chosen at preparation).</summary>
    internal Kernels.IsaPath Path => _path;

    public override void Prepare(OpContext context)
    {
        _path = Kernels.Dispatch.Select(context.IsaPath);
        context.RequireCounts(1, 1, 1);
        var input = context.Input(0);
        var output = context.Output(0);
        context.RequireType(input, "input", TensorType.Float32, TensorType.Int8, TensorType.UInt8);
        if (output.Type != input.Type) throw context.Error($"output type {TensorTypes.Name(output.Type)} differs from input {TensorTypes.Name(input.Type)}");
        context.SetOutputShape(0, input.Shape);
        if (kind == UnaryKind.LeakyRelu)
            _alpha = context.Options<tflite.LeakyReluOptions>(tflite.BuiltinOptions.LeakyReluOptions)?.Alpha ?? 0.2f;
        if (input.Type == TensorType.Float32) return;

        OpHelpers.RequireQuantized(context, input, "input");
        OpHelpers.RequireQuantized(context, output, "output");
        if (input.Type == TensorType.Int8) BuildTable<sbyte>(context, input, output);
        else BuildTable<byte>(context, input, output);
    }

    private void BuildTable<T>(OpContext context, Tensor input, Tensor output) where T : unmanaged
    {
        var conv = context.Convention;
        float si = input.Scale, so = output.Scale;
        int zi = input.ZeroPoint, zo = output.ZeroPoint;
        switch (kind)
        {
            case UnaryKind.Relu: QuantizedActivations.PrepareRelu<T>(FusedActivation.Relu, si, zi, so, zo, _table); break;
            case UnaryKind.Relu6: QuantizedActivations.PrepareRelu<T>(FusedActivation.Relu6, si, zi, so, zo, _table); break;
            case UnaryKind.ReluN1To1: QuantizedActivations.PrepareRelu<T>(FusedActivation.ReluN1To1, si, zi, so, zo, _table); break;
            case UnaryKind.LeakyRelu: QuantizedActivations.PrepareLeakyRelu<T>(conv, _alpha, si, zi, so, zo, _table); break;
            case UnaryKind.HardSwish: QuantizedActivations.PrepareHardSwish<T>(conv, si, zi, so, zo, _table); break;
            case UnaryKind.Abs: QuantizedActivations.PrepareAbs<T>(si, zi, so, zo, _table); break;
            case UnaryKind.Logistic:
                RequireFixedOutput(context, output, QuantizedActivations.ProbabilityOutput<T>());
                QuantizedActivations.PrepareLogistic<T>(conv, si, zi, _table);
                break;
            case UnaryKind.Tanh:
                RequireFixedOutput(context, output, QuantizedActivations.TanhOutput<T>());
                QuantizedActivations.PrepareTanh<T>(conv, si, zi, _table);
                break;
            default:
                throw context.Unsupported($"quantized {kind}");
        }
    }

    private static void RequireFixedOutput(OpContext context, Tensor output, (float Scale, int ZeroPoint) expected)
    {
        if (output.Scale != expected.Scale || output.ZeroPoint != expected.ZeroPoint)
            throw context.Unsupported($"output quantization ({output.Scale}, {output.ZeroPoint}); TFLite requires ({expected.Scale}, {expected.ZeroPoint})");
    }

    public override void Invoke(OpContext context)
    {
        var input = context.Input(0);
        var output = context.Output(0);
        switch (input.Type)
        {
            case TensorType.Float32:
                RunFloat(input.AsReadOnlySpan<float>(), output.AsSpan<float>());
                break;
            case TensorType.Int8:
                QuantizedLut.Apply<sbyte>(_table, input.AsReadOnlySpan<sbyte>(), output.AsSpan<sbyte>());
                break;
            default:
                QuantizedLut.Apply<byte>(_table, input.AsReadOnlySpan<byte>(), output.AsSpan<byte>());
                break;
        }
    }

    private void RunFloat(ReadOnlySpan<float> x, Span<float> y)
    {
        switch (kind)
        {
            case UnaryKind.Relu: FloatActivationsSimd.Relu(_path, x, y); break;
            case UnaryKind.Relu6: FloatActivationsSimd.Relu6(_path, x, y); break;
            case UnaryKind.ReluN1To1: FloatActivationsSimd.ReluN1To1(_path, x, y); break;
            case UnaryKind.LeakyRelu: FloatActivationsSimd.LeakyRelu(_path, x, y, _alpha); break;
            case UnaryKind.HardSwish: FloatActivationsSimd.HardSwish(_path, x, y); break;
            case UnaryKind.Logistic: FloatActivations.Logistic(x, y); break;
            case UnaryKind.Tanh: FloatActivations.Tanh(x, y); break;
            case UnaryKind.Abs: FloatActivations.Abs(x, y); break;
            case UnaryKind.Neg: FloatActivations.Neg(x, y); break;
            default: FloatActivations.Sqrt(x, y); break;
        }
    }
}
