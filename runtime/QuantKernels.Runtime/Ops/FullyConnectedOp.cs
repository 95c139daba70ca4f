using QuantKernels.Kernels;
using QuantKernels.Kernels.Convolution;
using QuantKernels.Kernels.FullyConnected;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Runtime.Ops;

/// <summary>
/// FULLY_CONNECTED: weights [N,K]; the input is read as [elements/K, K]; output [rows, N], or the input's shape with
/// the last dimension replaced by N when keep_num_dims is set. Quantized ops with constant weights (and bias) are
/// packed at Prepare and run through <see cref="FullyConnectedInt8Packed"/> on the path <see cref="Dispatch.Select"/>
/// picks; others run <see cref="FullyConnectedReference"/>.
/// </summary>
internal sealed class FullyConnectedOp : OpKernel
{
    /// <summary>Multiply-accumulates per part at least (2M, ~25 us on one AVX-VNNI thread). A batch-1 classifier head such
    /// as FC 1024->1000 (1M MACs, ~10 us) stays on the calling thread: split over 2 threads it took 1.7-2x as long on
    /// the shared 2-core machine (bench/README.md, 2026-11-25), where waking or waiting for a worker costs about as much
    /// as the layer. 1024->1000 with 5 or more rows splits over blocks of output channels.</summary>
    private const long MinMacsPerPart = 1L << 21;

    private int _batches, _inputDepth, _outputDepth;
    private QuantizedConvParams? _params;
    private PackedInt8Runner? _packed;
    private float _min, _max;

    /// <summary>The ISA path of the packed kernel, or null when Invoke runs the scalar reference.</summary>
    internal IsaPath? Path => _packed?.Kernel.Path;

    /// <summary>Parts each Invoke splits the packed layer into over blocks of output channels (1: the calling thread alone).</summary>
    internal int Parts => _packed?.Parts ?? 1;

    public override void Prepare(OpContext context)
    {
        context.RequireCounts(2, 3, 1);
        var input = context.Input(0);
        var weights = context.Input(1);
        var bias = context.OptionalInput(2);
        var output = context.Output(0);
        context.RequireType(input, "input", TensorType.Float32, TensorType.Int8, TensorType.UInt8);
        if (weights.Rank != 2) throw context.Error($"weights {weights} must have rank 2 [N,K]");
        var o = context.Options<tflite.FullyConnectedOptions>(tflite.BuiltinOptions.FullyConnectedOptions);
        if (o is { WeightsFormat: not tflite.FullyConnectedOptionsWeightsFormat.DEFAULT })
            throw context.Unsupported($"weights format {o.Value.WeightsFormat}");
        _outputDepth = weights.Dim(0);
        _inputDepth = weights.Dim(1);
        if (_inputDepth < 1 || input.ElementCount % _inputDepth != 0)
            throw context.Error($"input {input} has {input.ElementCount} elements, not a multiple of the weights' depth {_inputDepth}");
        _batches = (int)(input.ElementCount / _inputDepth);
        bool keepDims = o?.KeepNumDims ?? false;
        if (keepDims)
        {
            if (input.Rank < 1 || input.Dim(input.Rank - 1) != _inputDepth)
                throw context.Error($"keep_num_dims needs the input's last dimension ({input}) to equal K={_inputDepth}");
            var shape = input.Shape.ToArray();
            shape[^1] = _outputDepth;
            context.SetOutputShape(0, shape);
        }
        else
        {
            context.SetOutputShape(0, [_batches, _outputDepth]);
        }
        var activation = OpHelpers.Fused(context, o?.FusedActivationFunction ?? tflite.ActivationFunctionType.NONE);
        if (input.Type == TensorType.Float32)
        {
            context.RequireType(weights, "weights", TensorType.Float32);
            if (bias is not null) context.RequireType(bias, "bias", TensorType.Float32);
            (_min, _max) = ActivationRange.Float(activation);
            _params = null;
        }
        else
        {
            _params = ConvParamsBuilder.Build(context, input, weights, bias, output, activation, _outputDepth, channelAxis: 0);
        }
        _packed = null;
        if (_params is not null && weights.IsConstant && (bias is null || bias.IsConstant))
        {
            IsaPath path = Dispatch.Select(context.IsaPath);
            ReadOnlySpan<int> biasData = bias is null ? default : bias.AsReadOnlySpan<int>();
            FullyConnectedInt8Packed kernel = input.Type == TensorType.Int8
                ? FullyConnectedInt8Packed.Create(_inputDepth, _outputDepth, weights.AsReadOnlySpan<sbyte>(), biasData, _params, path)
                : FullyConnectedInt8Packed.Create(_inputDepth, _outputDepth, weights.AsReadOnlySpan<byte>(), biasData, _params, path);
            _packed = new PackedInt8Runner(kernel, (long)_batches * _inputDepth * _outputDepth, MinMacsPerPart, context);
        }
    }

    public override void Invoke(OpContext context)
    {
        var input = context.Input(0);
        var weights = context.Input(1);
        var bias = context.OptionalInput(2);
        var output = context.Output(0);
        if (_packed is not null)
        {
            _packed.Run(input, output, context.Pool);
            return;
        }
        switch (input.Type)
        {
            case TensorType.Float32:
                FullyConnectedReference.Run(_batches, _inputDepth, _outputDepth, input.AsReadOnlySpan<float>(), weights.AsReadOnlySpan<float>(),
                    bias is null ? default : bias.AsReadOnlySpan<float>(), _min, _max, output.AsSpan<float>());
                break;
            case TensorType.Int8:
                FullyConnectedReference.Run(_batches, _inputDepth, _outputDepth, input.AsReadOnlySpan<sbyte>(), weights.AsReadOnlySpan<sbyte>(),
                    bias is null ? default : bias.AsReadOnlySpan<int>(), _params!, output.AsSpan<sbyte>());
                break;
            default:
                FullyConnectedReference.Run(_batches, _inputDepth, _outputDepth, input.AsReadOnlySpan<byte>(), weights.AsReadOnlySpan<byte>(),
                    bias is null ? default : bias.AsReadOnlySpan<int>(), _params!, output.AsSpan<byte>());
                break;
        }
    }
}
