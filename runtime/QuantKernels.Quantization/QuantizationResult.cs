namespace QuantKernels.Quantization;

/// <summary>The int8 model written by <see cref="PostTrainingQuantizer.Build"/> and what was done to get it.</summary>
public sealed record QuantizationResult
{
    /// <summary>The <c>.tflite</c> bytes.</summary>
    public required byte[] Model { get; init; }

    /// <summary>Size of the float model it came from.</summary>
    public required long FloatModelBytes { get; init; }

    /// <summary>Calibration samples the activation ranges came from.</summary>
    public required int CalibrationSamples { get; init; }

    /// <summary>Operators of the float model now running in int8, by name.</summary>
    public required IReadOnlyDictionary<string, int> QuantizedOps { get; init; }

    /// <summary>Operators of the float model computed once at quantization (e.g. DEQUANTIZE of fp16 weights) and dropped.</summary>
    public required int FoldedOps { get; init; }

    /// <summary>Operators added (QUANTIZE of inputs, DEQUANTIZE of outputs, LOGISTIC, the post-process op).</summary>
    public required IReadOnlyList<string> AddedOps { get; init; }

    /// <summary>Non-fatal findings (clamped biases, conflicting fixed parameters).</summary>
    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>Total number of quantized operators.</summary>
    public int QuantizedOpCount => QuantizedOps.Values.Sum();
}
