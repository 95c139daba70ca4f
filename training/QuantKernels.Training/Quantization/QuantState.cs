namespace QuantKernels.Training.Quantization;

/// <summary>
/// The quantization switches one model's layers share (a per-model object, not global state): whether weights and
/// activations are fake-quantized yet (off during the float warm-up delay), and whether batch-norm statistics are frozen.
/// </summary>
public sealed class QuantState
{
    /// <summary>Weights fake-quantized per channel (int8 symmetric).</summary>
    public bool QuantizeWeights { get; set; }

    /// <summary>Activations fake-quantized per tensor with the observed ranges.</summary>
    public bool QuantizeActivations { get; set; }

    /// <summary>Batch norm uses (and no longer updates) its running statistics.</summary>
    public bool FreezeBatchNorm { get; set; }

    /// <summary>
    /// Parts kept in float while the rest is fake-quantized: an analysis switch (<c>qk-train eval --float-part</c>) that
    /// shows which quantization point costs the accuracy. Never set in training or export.
    /// </summary>
    public QuantPart FloatParts { get; set; }

    /// <summary>Whether the activation observer of <paramref name="part"/> fake-quantizes now.</summary>
    public bool Quantizes(QuantPart part) => QuantizeActivations && (FloatParts & part) == 0;

    /// <summary>Turns all fake quantization on or off.</summary>
    public void SetQuantized(bool on) => QuantizeWeights = QuantizeActivations = on;
}

/// <summary>Quantization points of the detector, for <see cref="QuantState.FloatParts"/>.</summary>
[Flags]
public enum QuantPart
{
    /// <summary>Nothing kept in float.</summary>
    None = 0,

    /// <summary>Backbone activations (the output of every fused conv + ReLU6).</summary>
    Activations = 1,

    /// <summary>The box-encoding output tensor.</summary>
    BoxOutput = 2,

    /// <summary>The class-logit output tensor.</summary>
    ClassOutput = 4,

    /// <summary>LOGISTIC's int8 output grid (1/256) on the scores.</summary>
    Scores = 8,

    /// <summary>The conv weights (per-channel int8) and the int32 bias grid.</summary>
    Weights = 16,
}
