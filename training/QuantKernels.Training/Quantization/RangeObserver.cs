using TorchSharp;
using static TorchSharp.torch;

namespace QuantKernels.Training.Quantization;

/// <summary>
/// Tracks a tensor's range by exponential moving averages of its batch min and max (decay 0.999 by default, started
/// from the first batch), and fake-quantizes with the nudged range once quantization is on. The range lives in
/// buffers, so it is saved in checkpoints. A fixed range (LOGISTIC output, the input) is never updated.
/// </summary>
public sealed class RangeObserver : nn.Module<Tensor, Tensor>
{
    private readonly QuantState _state;
    private readonly Tensor _minMax; // [min, max, number of updates]

    /// <summary>Creates an observer with a learned (EMA) range.</summary>
    public RangeObserver(string name, QuantState state, QuantPart part = QuantPart.Activations) : base(name)
    {
        _state = state;
        Part = part;
        _minMax = zeros(3);
        register_buffer("min_max", _minMax);
    }

    /// <summary>Creates an observer with a fixed range.</summary>
    public RangeObserver(string name, QuantState state, QuantRange fixedRange) : this(name, state) => FixedRange = fixedRange;

    /// <summary>A range that replaces the observed one (and stops observation) when set.</summary>
    public QuantRange? FixedRange { get; set; }

    /// <summary>
    /// Pass the gradient for values outside the range too (a plain straight-through estimator) instead of zeroing it.
    /// </summary>
    public bool GradientOutsideRange { get; init; }

    /// <summary>Which quantization point this observer is (for <see cref="QuantState.FloatParts"/>).</summary>
    public QuantPart Part { get; }

    /// <summary>EMA decay per training step.</summary>
    public float Decay { get; init; } = 0.999f;

    /// <summary>The current nudged int8 parameters.</summary>
    public QuantRange Range
    {
        get
        {
            if (FixedRange is { } f) return f;
            var v = _minMax.data<float>();
            return QuantRange.FromMinMax(v[0], v[1]);
        }
    }

    /// <summary>Observes (in training) and, when quantization is active, fake-quantizes.</summary>
    public override Tensor forward(Tensor x)
    {
        if (FixedRange is null && training)
        {
            using (no_grad())
            {
                float lo = x.min().ToSingle(), hi = x.max().ToSingle();
                var v = _minMax.data<float>();
                // A non-finite batch (its loss is skipped too) must not poison the range for good.
                if (!float.IsFinite(lo) || !float.IsFinite(hi)) return _state.Quantizes(Part) ? FakeQuant.PerTensor(x, Range, maskOutside: !GradientOutsideRange) : x.alias();
                // TF's ExponentialMovingAverage with num_updates: decay min(d, (1 + n) / (10 + n)), so the range
                // follows the network early in training instead of staying near the untrained first batch.
                float n = v[2];
                float d = MathF.Min(Decay, (1 + n) / (10 + n));
                if (n == 0) { v[0] = lo; v[1] = hi; }
                else { v[0] = d * v[0] + (1 - d) * lo; v[1] = d * v[1] + (1 - d) * hi; }
                v[2] = n + 1;
            }
        }
        return _state.Quantizes(Part) ? FakeQuant.PerTensor(x, Range, maskOutside: !GradientOutsideRange) : x.alias();
    }
}
