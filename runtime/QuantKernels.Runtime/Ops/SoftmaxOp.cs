using QuantKernels.Kernels.Activations;

namespace QuantKernels.Runtime.Ops;

/// <summary>
/// SOFTMAX over the last axis with beta. Quantized outputs must be (1/256, -128) int8 or (1/256, 0) uint8; the
/// Xnnpack convention is TFLite's own table-based kernel (what the oracle runs), Reference the gemmlowp one.
/// </summary>
internal sealed class SoftmaxOp : OpKernel
{
    private readonly float[] _table = new float[Softmax.TableSize];
    private QuantizedSoftmaxParams _p;
    private int _depth;
    private float _beta;

    public override void Prepare(OpContext context)
    {
        context.RequireCounts(1, 1, 1);
        var input = context.Input(0);
        var output = context.Output(0);
        context.RequireType(input, "input", TensorType.Float32, TensorType.Int8, TensorType.UInt8);
        if (output.Type != input.Type) throw context.Error($"output type {TensorTypes.Name(output.Type)} differs from input {TensorTypes.Name(input.Type)}");
        if (input.Rank < 1) throw context.Error($"input {input} must have rank 1 or more");
        context.SetOutputShape(0, input.Shape);
        _depth = input.Dim(input.Rank - 1);
        _beta = context.Options<tflite.SoftmaxOptions>(tflite.BuiltinOptions.SoftmaxOptions)?.Beta ?? 1f;
        if (input.Type == TensorType.Float32) return;
        OpHelpers.RequireQuantized(context, input, "input");
        OpHelpers.RequireQuantized(context, output, "output");
        _p = input.Type == TensorType.Int8
            ? Softmax.Prepare<sbyte>(context.Convention, input.Scale, _beta, output.Scale, output.ZeroPoint, _table)
            : Softmax.Prepare<byte>(context.Convention, input.Scale, _beta, output.Scale, output.ZeroPoint, _table);
    }

    public override void Invoke(OpContext context)
    {
        var input = context.Input(0);
        var output = context.Output(0);
        if (_depth == 0) return;
        switch (input.Type)
        {
            case TensorType.Float32: Softmax.Float(input.AsReadOnlySpan<float>(), output.AsSpan<float>(), _depth, _beta); break;
            case TensorType.Int8: Softmax.Quantized(in _p, _table, input.AsReadOnlySpan<sbyte>(), output.AsSpan<sbyte>(), _depth); break;
            default: Softmax.Quantized(in _p, _table, input.AsReadOnlySpan<byte>(), output.AsSpan<byte>(), _depth); break;
        }
    }
}
