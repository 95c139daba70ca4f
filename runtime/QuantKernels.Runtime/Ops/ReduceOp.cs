using QuantKernels.Kernels.Reduce;

namespace QuantKernels.Runtime.Ops;

/// <summary>MEAN and SUM over constant axes, keep_dims or not; float32, int8, uint8 (and int16 where the kernel allows).</summary>
internal sealed class ReduceOp(bool isSum) : OpKernel
{
    private int[] _axes = [];
    private int[] _inShape = [];
    private QuantizedReduceParams _p;

    public override void Prepare(OpContext context)
    {
        context.RequireCounts(2, 2, 1);
        var input = context.Input(0);
        var output = context.Output(0);
        context.RequireType(input, "input", TensorType.Float32, TensorType.Int8, TensorType.UInt8, TensorType.Int16);
        if (output.Type != input.Type) throw context.Error($"output type {TensorTypes.Name(output.Type)} differs from input {TensorTypes.Name(input.Type)}");
        int[] axes = OpHelpers.ReadConstantInts(context, context.Input(1), "axes");
        for (int i = 0; i < axes.Length; i++) axes[i] = OpHelpers.Axis(context, axes[i], input.Rank);
        bool keepDims = context.Options<tflite.ReducerOptions>(tflite.BuiltinOptions.ReducerOptions)?.KeepDims ?? false;
        _axes = axes;
        _inShape = input.Shape.ToArray();
        Span<int> outShape = stackalloc int[Math.Max(1, input.Rank)];
        int rank = ReduceShape.ComputeOutputShape(_inShape, _axes, keepDims, outShape);
        context.SetOutputShape(0, outShape[..rank]);
        if (input.Type != TensorType.Float32)
        {
            OpHelpers.RequireQuantized(context, input, "input");
            OpHelpers.RequireQuantized(context, output, "output");
            var (qmin, qmax) = OpHelpers.TypeRange(output.Type);
            _p = isSum
                ? QuantizedReduceParams.Prepare(context.Convention, true, ReduceShape.ReducedCount(_inShape, _axes),
                    input.Scale, input.ZeroPoint, output.Scale, output.ZeroPoint, qmin, qmax)
                : QuantizedReduceParams.PrepareMean(context.Convention, _inShape, _axes, keepDims,
                    input.Scale, input.ZeroPoint, output.Scale, output.ZeroPoint, qmin, qmax);
        }
    }

    public override void Invoke(OpContext context)
    {
        var input = context.Input(0);
        var output = context.Output(0);
        switch (input.Type)
        {
            case TensorType.Float32:
                if (isSum) ReduceMeanSum.SumFloat(input.AsReadOnlySpan<float>(), _inShape, _axes, output.AsSpan<float>());
                else ReduceMeanSum.MeanFloat(input.AsReadOnlySpan<float>(), _inShape, _axes, output.AsSpan<float>());
                break;
            case TensorType.Int8:
                ReduceMeanSum.Quantized(input.AsReadOnlySpan<sbyte>(), _inShape, _axes, output.AsSpan<sbyte>(), in _p);
                break;
            case TensorType.UInt8:
                ReduceMeanSum.Quantized(input.AsReadOnlySpan<byte>(), _inShape, _axes, output.AsSpan<byte>(), in _p);
                break;
            default:
                ReduceMeanSum.Quantized(input.AsReadOnlySpan<short>(), _inShape, _axes, output.AsSpan<short>(), in _p);
                break;
        }
    }
}
