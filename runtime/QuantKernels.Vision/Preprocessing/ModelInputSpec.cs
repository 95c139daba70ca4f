namespace QuantKernels.Vision.Preprocessing;

/// <summary>What a model expects of its image input: how to fit the image and how to normalize pixels.</summary>
public sealed record ModelInputSpec
{
    /// <summary>Stretch (default) or letterbox.</summary>
    public ResizeMode Resize { get; init; } = ResizeMode.Stretch;

    /// <summary>Pixel normalization (default p / 127.5 - 1).</summary>
    public InputNormalization Normalization { get; init; } = InputNormalization.MinusOneToOne;

    /// <summary>Colour of the letterbox bars, as an RGB pixel value 0-255 (default black).</summary>
    public (byte R, byte G, byte B) PadColor { get; init; } = (0, 0, 0);

    /// <summary>Stretch with p / 127.5 - 1.</summary>
    public static ModelInputSpec Default { get; } = new();
}
