namespace QuantKernels.Vision.Preprocessing;

/// <summary>How an image is fitted into the model's input.</summary>
public enum ResizeMode
{
    /// <summary>Scaled independently along each axis to fill the input (aspect ratio not kept).</summary>
    Stretch,

    /// <summary>Scaled uniformly to fit, centred, the rest filled with the pad colour.</summary>
    Letterbox,
}
