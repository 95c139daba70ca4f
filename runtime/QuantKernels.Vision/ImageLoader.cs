using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace QuantKernels.Vision;

/// <summary>
/// Decodes untrusted JPEG, PNG and BMP images into RGB with their EXIF orientation applied. Only those three
/// decoders are registered; the header is identified first and images over <see cref="ImageLoadOptions.MaxPixels"/>
/// are refused before any pixel memory is allocated; the allocator refuses any single buffer larger than the
/// pixel cap needs. Every failure surfaces as an <see cref="ImageLoadException"/> naming the image.
/// </summary>
public sealed class ImageLoader
{
    private readonly Configuration _configuration;

    /// <summary>Creates a loader with the given limits (defaults when null).</summary>
    public ImageLoader(ImageLoadOptions? options = null)
    {
        Options = options ?? ImageLoadOptions.Default;
        if (Options.MaxPixels <= 0) throw new ArgumentException($"MaxPixels {Options.MaxPixels} must be positive", nameof(options));
        if (Options.MaxFileBytes <= 0) throw new ArgumentException($"MaxFileBytes {Options.MaxFileBytes} must be positive", nameof(options));
        // The largest buffer a decoder legitimately needs is a few bytes per pixel of the capped image (e.g. RGBA32 or
        // JPEG component planes); anything larger comes from a lying header and is refused by the allocator.
        long limitMb = Math.Clamp(Options.MaxPixels * 8 / (1 << 20) + 16, 16, int.MaxValue / 2);
        _configuration = new Configuration(new JpegConfigurationModule(), new PngConfigurationModule(), new BmpConfigurationModule())
        {
            MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions
            {
                AllocationLimitMegabytes = (int)limitMb,
                MaximumPoolSizeMegabytes = 32,
            }),
            PreferContiguousImageBuffers = true,
        };
    }

    /// <summary>The limits in force.</summary>
    public ImageLoadOptions Options { get; }

    /// <summary>Loads an image file.</summary>
    /// <exception cref="ImageLoadException">The file is missing, unreadable, too large, not JPEG/PNG/BMP, or corrupt.</exception>
    public Image<Rgb24> Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            if (stream.Length > Options.MaxFileBytes)
                throw new ImageLoadException(path, $"file is {stream.Length} bytes, over the {Options.MaxFileBytes}-byte limit");
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }
        catch (ImageLoadException) { throw; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ImageLoadException(path, e is FileNotFoundException or DirectoryNotFoundException ? "file not found" : $"cannot read the file ({e.Message})", e);
        }
        return Load(bytes, path);
    }

    /// <summary>Loads an encoded image held in memory; <paramref name="name"/> names it in errors.</summary>
    /// <exception cref="ImageLoadException">The bytes are not a JPEG/PNG/BMP image within the limits, or are corrupt.</exception>
    public Image<Rgb24> Load(byte[] encoded, string name = "<memory>")
    {
        ArgumentNullException.ThrowIfNull(encoded);
        ArgumentNullException.ThrowIfNull(name);
        if (encoded.Length == 0) throw new ImageLoadException(name, "the file is empty (0 bytes)");
        if (encoded.Length > Options.MaxFileBytes)
            throw new ImageLoadException(name, $"{encoded.Length} bytes, over the {Options.MaxFileBytes}-byte limit");
        IImageInfo? info;
        try
        {
            info = Image.Identify(_configuration, encoded, out _);
        }
        catch (Exception e) when (IsDecoderFailure(e))
        {
            throw new ImageLoadException(name, $"invalid image header ({e.Message})", e);
        }
        if (info is null) throw new ImageLoadException(name, "not a JPEG, PNG or BMP image");
        if (info.Width <= 0 || info.Height <= 0)
            throw new ImageLoadException(name, $"header announces an empty image ({info.Width}x{info.Height})");
        long pixels = (long)info.Width * info.Height;
        if (pixels > Options.MaxPixels)
            throw new ImageLoadException(name, $"{info.Width}x{info.Height} = {pixels} pixels, over the {Options.MaxPixels}-pixel limit");

        if (TruncationCheck.Problem(encoded) is { } problem) throw new ImageLoadException(name, problem);

        Image<Rgb24>? image = null;
        try
        {
            image = Image.Load<Rgb24>(_configuration, encoded);
            image.Mutate(x => x.AutoOrient());
            return image;
        }
        catch (Exception e) when (IsDecoderFailure(e))
        {
            image?.Dispose();
            throw new ImageLoadException(name, $"corrupt or unsupported image data ({e.Message})", e);
        }
    }

    /// <summary>
    /// Everything a decoder may throw on hostile bytes: its documented format errors and, since decoders are not
    /// perfect, the runtime exceptions a malformed stream can trigger inside them.
    /// </summary>
    private static bool IsDecoderFailure(Exception e) => e is SixLabors.ImageSharp.ImageFormatException
        or InvalidMemoryOperationException or NotSupportedException or ArgumentException or InvalidOperationException
        or IndexOutOfRangeException or NullReferenceException or OverflowException or ArithmeticException or IOException
        or OutOfMemoryException or EndOfStreamException;
}
