namespace QuantKernels.Vision;

/// <summary>Where the time of one <see cref="Detector"/> call went, in milliseconds (decode is 0 for already-decoded images).</summary>
public readonly record struct DetectionTiming(double DecodeMs, double PreprocessMs, double InferenceMs, double PostProcessMs)
{
    /// <summary>Sum of the four stages.</summary>
    public double TotalMs => DecodeMs + PreprocessMs + InferenceMs + PostProcessMs;
}
