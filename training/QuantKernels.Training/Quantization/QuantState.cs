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
