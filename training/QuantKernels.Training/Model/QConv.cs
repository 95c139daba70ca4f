using QuantKernels.Kernels.Quantization;
using QuantKernels.Training.Quantization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace QuantKernels.Training.Model;

/// <summary>
/// A convolution as TFLite will run it: TFLite SAME padding (the odd pixel after), optional batch norm folded into
/// the weights (Jacob et al. 2018, section 3.2), optional ReLU6, and fake quantization of the folded weights per output
/// channel and of the output per tensor (where TFLite requantizes). Depthwise when <c>groups == inChannels == outChannels</c>.
/// </summary>
public sealed class QConv : nn.Module<Tensor, Tensor>
{
    private const double BnEps = 1e-3;
    private const double BnMomentum = 0.01;

    private readonly Parameter _weight;
    private readonly Parameter? _gamma, _beta, _bias;
    private readonly Tensor? _runningMean, _runningVar, _batches;
    private readonly RangeObserver? _output;
    private readonly QuantState _state;

    /// <summary>Creates the layer. Without batch norm it has a plain bias. <paramref name="observeOutput"/> adds an output range observer.</summary>
    public QConv(string name, QuantState state, int inChannels, int outChannels, int kernel, int stride, int groups,
        bool batchNorm, bool relu6, bool observeOutput) : base(name)
    {
        _state = state;
        InChannels = inChannels;
        OutChannels = outChannels;
        Kernel = kernel;
        Stride = stride;
        Groups = groups;
        Relu6 = relu6;
        HasBatchNorm = batchNorm;
        var w = empty(outChannels, inChannels / groups, kernel, kernel);
        nn.init.kaiming_normal_(w, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
        _weight = new Parameter(w);
        register_parameter("weight", _weight);
        if (batchNorm)
        {
            _gamma = new Parameter(ones(outChannels));
            _beta = new Parameter(zeros(outChannels));
            register_parameter("gamma", _gamma);
            register_parameter("beta", _beta);
            _runningMean = zeros(outChannels);
            _runningVar = ones(outChannels);
            register_buffer("running_mean", _runningMean);
            register_buffer("running_var", _runningVar);
            _batches = zeros(1);
            register_buffer("batches_seen", _batches);
        }
        else
        {
            _bias = new Parameter(zeros(outChannels));
            register_parameter("bias", _bias);
        }
        if (observeOutput)
        {
            _output = new RangeObserver("output", state);
            register_module("output", _output);
        }
    }

    /// <summary>
    /// Initialises a head (no batch norm): small weights and the given biases, e.g. RetinaNet's prior -log((1 - p) / p)
    /// on class logits so the first steps are not dominated by the easy background.
    /// </summary>
    public void InitHead(Func<int, float> bias)
    {
        if (_bias is null) throw new InvalidOperationException($"{GetName()} has batch norm, not a head bias");
        using var _ = no_grad();
        nn.init.normal_(_weight, 0, 0.01);
        var values = Enumerable.Range(0, OutChannels).Select(bias).ToArray();
        _bias.copy_(tensor(values));
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Square kernel side.</summary>
    public int Kernel { get; }

    /// <summary>Stride (both axes).</summary>
    public int Stride { get; }

    /// <summary>Convolution groups (InChannels for depthwise).</summary>
    public int Groups { get; }

    /// <summary>Whether ReLU6 follows.</summary>
    public bool Relu6 { get; }

    /// <summary>Whether batch norm is folded into the weights.</summary>
    public bool HasBatchNorm { get; }

    /// <summary>Whether this is a depthwise convolution.</summary>
    public bool IsDepthwise => Groups > 1 && Groups == InChannels && InChannels == OutChannels;

    /// <summary>
    /// The observer of this layer's input (set by the model). With it, the bias is fake-quantized onto the int32 grid
    /// of scale input scale x weight scale[c], as the exported model stores it.
    /// </summary>
    public RangeObserver? InputObserver { get; set; }

    /// <summary>The output range observer, when the layer has one.</summary>
    public RangeObserver? Output => _output;

    /// <summary>The raw (unfolded) weight parameter.</summary>
    public Parameter Weight => _weight;

    /// <summary>
    /// The weight and bias with batch norm folded in using the running statistics: what the exported model holds
    /// (before weight quantization). Detached copies.
    /// </summary>
    public (Tensor Weight, Tensor Bias) Folded()
    {
        using var _ = no_grad();
        if (!HasBatchNorm) return (_weight.detach().clone(), _bias!.detach().clone());
        var s = _gamma!.detach() / (_runningVar! + BnEps).sqrt();
        var w = _weight.detach() * s.view(-1, 1, 1, 1);
        var b = _beta!.detach() - _runningMean! * s;
        return (w, b);
    }

    /// <summary>
    /// For a head (no output observer of its own): the observer of the tensor its output is concatenated into, whose
    /// range the exported conv writes with. Used by the exact inference forward.
    /// </summary>
    public RangeObserver? ConcatOutput { get; set; }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        if (!training && _state.FloatParts == QuantPart.None && QuantizesWeights && _state.QuantizeActivations &&
            InputObserver is not null && (_output ?? ConcatOutput) is not null)
            return ExactForward(x);
        x = PadSame(x);
        Tensor y;
        if (!HasBatchNorm)
        {
            if (QuantizesWeights)
            {
                var (w, scales) = FakeQuant.PerChannelSymmetric(_weight);
                y = F.conv2d(x, w, QuantizeBias(_bias!, scales), strides: [Stride, Stride], groups: Groups);
            }
            else
            {
                y = F.conv2d(x, _weight, _bias, strides: [Stride, Stride], groups: Groups);
            }
        }
        else if (training && !_state.FreezeBatchNorm)
        {
            // Batch statistics from the float convolution; running statistics updated as in batch norm, with a
            // cumulative average over the first batches, then the usual momentum: the statistics are close to the
            // network's even when batch norm freezes early (short runs).
            var y0 = F.conv2d(x, _weight, strides: [Stride, Stride], groups: Groups);
            var seen = _batches!.data<float>();
            double m = Math.Max(BnMomentum, 1.0 / (seen[0] + 1));
            seen[0] += 1;
            if (!QuantizesWeights)
            {
                // libtorch's fused batch norm (statistics, normalisation and the running update with the unbiased
                // variance in one kernel, forward and backward): the float phase's steps ran ~3x slower than frozen
                // ones with the same statistics written out op by op.
                y = F.batch_norm(y0, _runningMean!, _runningVar!, _gamma!, _beta!, training: true, momentum: m, eps: BnEps);
            }
            else
            {
                var (variance, mean) = torch.var_mean(y0, [0L, 2L, 3L], unbiased: false);
                using (no_grad())
                {
                    long n = y0.numel() / OutChannels;
                    _runningMean!.mul_(1 - m).add_(mean.detach() * m);
                    _runningVar!.mul_(1 - m).add_(variance.detach() * (m * n / Math.Max(1, n - 1)));
                }
                var batchStd = (variance + BnEps).sqrt();
                // Jacob et al.: fold with the running std (stable quantization grid), then correct the output to the
                // batch std while the statistics still move, and use the batch mean in the bias.
                var runningStd = (_runningVar! + BnEps).sqrt();
                var wq = FakeQuant.PerChannelSymmetric(_weight * (_gamma! / runningStd).view(-1, 1, 1, 1)).Weight;
                var conv = F.conv2d(x, wq, strides: [Stride, Stride], groups: Groups);
                y = conv * (runningStd / batchStd).view(1, -1, 1, 1) + (_beta! - _gamma! * mean / batchStd).view(1, -1, 1, 1);
            }
        }
        else
        {
            // Frozen statistics (or inference): exactly the folded weight and bias the export writes.
            var s = _gamma! / (_runningVar! + BnEps).sqrt();
            var w = _weight * s.view(-1, 1, 1, 1);
            var b = _beta! - _runningMean! * s;
            if (QuantizesWeights)
            {
                (w, var scales) = FakeQuant.PerChannelSymmetric(w);
                b = QuantizeBias(b, scales);
            }
            y = F.conv2d(x, w, b, strides: [Stride, Stride], groups: Groups);
        }
        if (Relu6) y = y.clamp(0, 6);
        return _output is null ? y : _output.forward(y);
    }

    /// <summary>
    /// The fake-quant forward of a frozen layer evaluated exactly: input grid indices, int8 weights and the int32 bias
    /// (the export's arithmetic) are convolved in float64, where every integer sum is exact, and requantized as the
    /// runtime does. The float32 forward computes the same function with rounding error, which decides ties differently now and then; those one-step
    /// differences then propagate through the network (measured end to end: half of the test images had some detection
    /// differ from the int8 runtime's). Inference only (no gradient).
    /// </summary>
    private Tensor ExactForward(Tensor x)
    {
        using var _ = no_grad();
        var input = InputObserver!.Range;
        var output = (_output ?? ConcatOutput)!.Range;
        var (w, b) = Folded();
        using var scope = NewDisposeScope();
        // The export's weight and bias arithmetic.
        var (q, scales) = FakeQuant.PerChannelInt8(w);
        var channelScales = scales.data<float>().ToArray();
        var bias = tensor(FakeQuant.Int32Bias(b.data<float>().ToArray(), input.Scale, channelScales).Select(v => (double)v).ToArray());
        // Grid indices (q - zero point) of the input; padding is 0 there, as TFLite pads with the zero point.
        var xi = (PadSame(x) / input.Scale).round_().to_type(ScalarType.Float64);
        var acc = F.conv2d(xi, q.to_type(ScalarType.Float64), bias, strides: [Stride, Stride], groups: Groups);
        // The runtime's (and the oracle's, XNNPACK's) requantization: Fp32Requantize.Scale per channel and the product
        // (float)acc * scale in float32, rounded half to even (../shared/oracle/CONVENTIONS.md); the fused RELU6 clamp
        // as TFLite's CalculateActivationRangeQuantized.
        var multiplier = tensor(channelScales.Select(ws => Fp32Requantize.Scale(input.Scale, ws, output.Scale)).ToArray());
        var (lo, hi) = QuantKernels.Kernels.Quantization.ActivationRange.Quantized(Relu6 ? FusedActivation.Relu6 : FusedActivation.None,
            output.Scale, output.ZeroPoint, QuantRange.QMin, QuantRange.QMax);
        var y = (acc.to_type(ScalarType.Float32) * multiplier.view(1, -1, 1, 1)).round_().add_(output.ZeroPoint).clamp_(lo, hi).sub_(output.ZeroPoint);
        w.Dispose();
        b.Dispose();
        return y.to_type(ScalarType.Float64).mul_((double)output.Scale).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    private bool QuantizesWeights => _state.QuantizeWeights && (_state.FloatParts & QuantPart.Weights) == 0;

    private Tensor QuantizeBias(Tensor bias, Tensor weightScales)
    {
        if (InputObserver is null || !_state.QuantizeActivations || (_state.FloatParts & QuantPart.Weights) != 0) return bias;
        var step = weightScales * InputObserver.Range.Scale;
        Tensor q;
        using (no_grad()) q = (bias / step).round_().mul_(step);
        return q.add_(bias.sub(bias.detach()));
    }

    private Tensor PadSame(Tensor x)
    {
        // TFLite SAME: total = max((out - 1) * stride + k - in, 0), before = total / 2, the odd pixel after.
        int h = (int)x.shape[2], w = (int)x.shape[3];
        int PadTotal(int size) => Math.Max(((size + Stride - 1) / Stride - 1) * Stride + Kernel - size, 0);
        int th = PadTotal(h), tw = PadTotal(w);
        if (th == 0 && tw == 0) return x;
        return F.pad(x, [tw / 2, tw - tw / 2, th / 2, th - th / 2]);
    }
}
