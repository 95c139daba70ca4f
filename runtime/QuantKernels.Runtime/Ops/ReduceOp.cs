using QuantKernels.Kernels;
using QuantKernels.Kernels.Reduce;

namespace QuantKernels.Runtime.Ops;

/// <summary>MEAN and SUM over constant axes, keep_dims or not; float32, int8, uint8 (and int16 where the kernel allows).</summary>
internal sealed class ReduceOp(bool isSum) : OpKernel
{
    private int[] _axes = [];
    private int[] _inShape = [];
    private QuantizedReduceParams _p;
    private bool _tfliteSum;      // Xnnpack convention SUM: TFLite's own kernel (the delegate does not take SUM)
    private bool _tfliteSumEqual; // ... with identical in/out quantization: raw values summed in T
    private float _sumScale, _sumBias;
    private int _outZeroPoint, _count;
    private IsaPath? _heightWidthPath; // int8/uint8 over exactly H and W of a 4-D input: the vectorized kernel

    /// <summary>The ISA path of the vectorized H,W reduction, or null when Invoke walks the axes generically.</summary>
    internal IsaPath? Path => _heightWidthPath;

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
        _tfliteSum = false;
        if (input.Type != TensorType.Float32)
        {
            OpHelpers.RequireQuantized(context, input, "input");
            OpHelpers.RequireQuantized(context, output, "output");
            var (qmin, qmax) = OpHelpers.TypeRange(output.Type);
            // XNNPACK (and so TFLite's CPU default) takes quantized MEAN only over H and W of a 4-D tensor;
            // every other MEAN, and every SUM, runs TFLite's own kernel, which the Reference parameters
            // reproduce for MEAN (pinned by testdata/oracle-ops mean_* probes).
            bool xnnpackMean = !isSum && input.Rank == 4 && axes.Length == 2 && axes.Contains(1) && axes.Contains(2);
            var convention = isSum || xnnpackMean ? context.Convention : Kernels.Quantization.RequantConvention.Reference;
            if (isSum && context.Convention == Kernels.Quantization.RequantConvention.Xnnpack)
            {
                // TFLite's own SUM (what the oracle runs; testdata/oracle-ops/FINDINGS.md): with identical in/out
                // quantization it sums the stored values in T; otherwise round(sum*s + bias) + zo; both narrow
                // without saturation (they wrap modulo 2^8).
                _tfliteSum = true;
                _count = ReduceShape.ReducedCount(_inShape, _axes);
                _tfliteSumEqual = input.Scale == output.Scale && input.ZeroPoint == output.ZeroPoint;
                _sumScale = input.Scale / output.Scale;
                _sumBias = -input.ZeroPoint * _sumScale * _count;
                _outZeroPoint = output.ZeroPoint;
            }
            _p = isSum
                ? QuantizedReduceParams.Prepare(context.Convention, true, ReduceShape.ReducedCount(_inShape, _axes),
                    input.Scale, input.ZeroPoint, output.Scale, output.ZeroPoint, qmin, qmax)
                : QuantizedReduceParams.PrepareMean(convention, _inShape, _axes, keepDims,
                    input.Scale, input.ZeroPoint, output.Scale, output.ZeroPoint, qmin, qmax);
        }
        bool heightWidth = input.Rank == 4 && axes.Distinct().Count() == 2 && axes.Contains(1) && axes.Contains(2);
        _heightWidthPath = heightWidth && !_tfliteSum && input.Type is TensorType.Int8 or TensorType.UInt8 ? Dispatch.Select(context.IsaPath) : null;
    }

    public override void Invoke(OpContext context)
    {
        var input = context.Input(0);
        var output = context.Output(0);
        if (_tfliteSum)
        {
            if (input.Type == TensorType.Int8) TfliteSum(input.AsReadOnlySpan<sbyte>(), output.AsSpan<sbyte>());
            else if (input.Type == TensorType.UInt8) TfliteSum(input.AsReadOnlySpan<byte>(), output.AsSpan<byte>());
            else TfliteSum(input.AsReadOnlySpan<short>(), output.AsSpan<short>());
            return;
        }
        if (_heightWidthPath is { } path)
        {
            if (input.Type == TensorType.Int8)
                ReduceHeightWidthSimd.Run(path, input.AsReadOnlySpan<sbyte>(), _inShape[0], _inShape[1], _inShape[2], _inShape[3], output.AsSpan<sbyte>(), in _p);
            else
                ReduceHeightWidthSimd.Run(path, input.AsReadOnlySpan<byte>(), _inShape[0], _inShape[1], _inShape[2], _inShape[3], output.AsSpan<byte>(), in _p);
            return;
        }
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

    private void TfliteSum<T>(ReadOnlySpan<T> input, Span<T> output) where T : unmanaged, System.Numerics.IBinaryInteger<T>
        => ReduceMeanSum.QuantizedSumTflite(input, _inShape, _axes, output, _tfliteSumEqual, _sumScale, _sumBias, _outZeroPoint);
}
