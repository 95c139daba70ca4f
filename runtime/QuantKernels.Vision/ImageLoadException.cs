namespace QuantKernels.Vision;

/// <summary>
/// An image could not be loaded: the file is missing or unreadable, its format is not JPEG, PNG or BMP, its header
/// announces more pixels than allowed, or its contents are corrupt. The message names the image and the reason;
/// <see cref="Exception.InnerException"/> holds the decoder's own error when there was one.
/// </summary>
public sealed class ImageLoadException : Exception
{
    /// <summary>Creates the exception for the image named <paramref name="source"/>.</summary>
    public ImageLoadException(string source, string reason, Exception? inner = null)
        : base($"{source}: {reason}", inner)
    {
        Source = source;
        Reason = reason;
    }

    /// <summary>The image's path or the name given to an in-memory image.</summary>
    public new string Source { get; }

    /// <summary>Why it could not be loaded.</summary>
    public string Reason { get; }
}
