namespace QuantKernels.Datasets;

/// <summary>
/// One image of a detection data set: interleaved RGB bytes (height x width x 3, row-major) and its objects.
/// </summary>
public sealed class DetectionSample
{
    /// <summary>Creates a sample; <paramref name="rgb"/> must hold exactly width * height * 3 bytes.</summary>
    public DetectionSample(int width, int height, byte[] rgb, IReadOnlyList<LabeledBox> objects)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(rgb);
        ArgumentNullException.ThrowIfNull(objects);
        if (rgb.Length != (long)width * height * 3)
            throw new ArgumentException($"rgb holds {rgb.Length} bytes; a {width}x{height} RGB image needs {(long)width * height * 3}", nameof(rgb));
        Width = width;
        Height = height;
        Rgb = rgb;
        Objects = objects;
    }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Interleaved RGB pixels, row-major.</summary>
    public byte[] Rgb { get; }

    /// <summary>The objects in the image, boxes normalised to it.</summary>
    public IReadOnlyList<LabeledBox> Objects { get; }
}
