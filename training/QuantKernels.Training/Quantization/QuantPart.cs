namespace QuantKernels.Training.Quantization;

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
