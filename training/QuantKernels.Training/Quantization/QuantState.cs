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

    /// <summary>Turns all fake quantization on or off.</summary>
    public void SetQuantized(bool on) => QuantizeWeights = QuantizeActivations = on;
}
