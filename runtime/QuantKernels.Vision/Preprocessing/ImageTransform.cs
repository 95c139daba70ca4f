namespace QuantKernels.Vision.Preprocessing;

/// <summary>
/// Where the source image landed in the model input: input pixel = source pixel * scale + offset, per axis.
/// Maps model outputs (normalized to the input) back to source pixels.
/// </summary>
/// <param name="SourceWidth">Source image width in pixels.</param>
/// <param name="SourceHeight">Source image height in pixels.</param>
/// <param name="InputWidth">Model input width.</param>
/// <param name="InputHeight">Model input height.</param>
/// <param name="ScaleX">Input pixels per source pixel, horizontally.</param>
/// <param name="ScaleY">Input pixels per source pixel, vertically.</param>
/// <param name="OffsetX">Left edge of the image content in the input (letterbox bar width).</param>
/// <param name="OffsetY">Top edge of the image content in the input (letterbox bar height).</param>
public readonly record struct ImageTransform(int SourceWidth, int SourceHeight, int InputWidth, int InputHeight,
    float ScaleX, float ScaleY, float OffsetX, float OffsetY)
{
    /// <summary>The transform fitting a source image into an input of the given size.</summary>
    public static ImageTransform Create(int sourceWidth, int sourceHeight, int inputWidth, int inputHeight, ResizeMode mode)
    {
        if (sourceWidth <= 0 || sourceHeight <= 0) throw new ArgumentException($"source size {sourceWidth}x{sourceHeight} must be positive");
        if (inputWidth <= 0 || inputHeight <= 0) throw new ArgumentException($"input size {inputWidth}x{inputHeight} must be positive");
        if (mode == ResizeMode.Stretch)
            return new(sourceWidth, sourceHeight, inputWidth, inputHeight,
                (float)inputWidth / sourceWidth, (float)inputHeight / sourceHeight, 0, 0);
        double s = Math.Min((double)inputWidth / sourceWidth, (double)inputHeight / sourceHeight);
        int w = Math.Clamp((int)Math.Round(sourceWidth * s), 1, inputWidth);
        int h = Math.Clamp((int)Math.Round(sourceHeight * s), 1, inputHeight);
        int ox = (inputWidth - w) / 2, oy = (inputHeight - h) / 2;
        return new(sourceWidth, sourceHeight, inputWidth, inputHeight, (float)w / sourceWidth, (float)h / sourceHeight, ox, oy);
    }

    /// <summary>The content rectangle inside the input: (x, y, width, height) in input pixels.</summary>
    public (int X, int Y, int Width, int Height) Content =>
        ((int)OffsetX, (int)OffsetY,
         Math.Clamp((int)Math.Round(SourceWidth * (double)ScaleX), 1, InputWidth),
         Math.Clamp((int)Math.Round(SourceHeight * (double)ScaleY), 1, InputHeight));

    /// <summary>A horizontal coordinate normalized to the input width (0-1), in source pixels, clamped to the image.</summary>
    public float ToSourceX(float normalizedX) => Math.Clamp((normalizedX * InputWidth - OffsetX) / ScaleX, 0f, SourceWidth);

    /// <summary>A vertical coordinate normalized to the input height (0-1), in source pixels, clamped to the image.</summary>
    public float ToSourceY(float normalizedY) => Math.Clamp((normalizedY * InputHeight - OffsetY) / ScaleY, 0f, SourceHeight);

    /// <summary>Maps a box normalized to the input as (ymin, xmin, ymax, xmax) into source pixels.</summary>
    public BoundingBox ToSource(float ymin, float xmin, float ymax, float xmax) =>
        new(ToSourceX(xmin), ToSourceY(ymin), ToSourceX(xmax), ToSourceY(ymax));
}
