namespace QuantKernels.Vision;

/// <summary>Limits applied to untrusted images before and while decoding.</summary>
public sealed record ImageLoadOptions
{
    /// <summary>Images whose header announces more pixels (width * height) are refused before decoding; default 50 MP.</summary>
    public long MaxPixels { get; init; } = 50_000_000;

    /// <summary>Files larger than this are refused before reading; default 256 MiB.</summary>
    public long MaxFileBytes { get; init; } = 256L << 20;

    /// <summary>The default limits.</summary>
    public static ImageLoadOptions Default { get; } = new();
}
