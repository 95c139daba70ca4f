namespace QuantKernels.Quantization;

/// <summary>How <see cref="PostTrainingQuantizer.Build"/> writes the int8 model.</summary>
public sealed record QuantizationOptions
{
    /// <summary>
    /// Int8 graph inputs (callers quantize with the input's scale and zero point). Default false: the inputs stay float32
    /// and a QUANTIZE op at the start converts them, so the int8 model is a drop-in replacement for the float one.
    /// </summary>
    public bool Int8Inputs { get; init; }

    /// <summary>Dequantize the graph outputs back to float32 (default true); false leaves them int8.</summary>
    public bool FloatOutputs { get; init; } = true;

    /// <summary>
    /// The real range of every graph input when it is known (e.g. [-1, 1] for images normalised p/127.5 - 1);
    /// null uses the calibrated range.
    /// </summary>
    public ActivationRange? InputRange { get; init; }

    /// <summary>Append LOGISTIC and TFLite_Detection_PostProcess to an SSD's raw outputs (null: do not).</summary>
    public SsdPostProcessOptions? SsdPostProcess { get; init; }

    /// <summary>Model description written into the file.</summary>
    public string Description { get; init; } = "QuantKernels post-training quantization";
}
