using QuantKernels.Datasets;
using QuantKernels.Datasets.Voc;
using QuantKernels.Kernels;
using QuantKernels.Vision.Preprocessing;
using SixLabors.ImageSharp.PixelFormats;

namespace QuantKernels.Vision.Voc;

/// <summary>
/// One split of a VOC-style folder (JPEG + XML, see <see cref="VocFolder"/> and <see cref="VocSplit"/>) as a
/// detection data set: each image is decoded by <see cref="ImageLoader"/> (size limits, EXIF orientation) and
/// stretched to a fixed width x height with the antialiased bilinear resampler model inputs use, so the annotations'
/// normalised boxes stay valid as they are. Thread-safe; decodes on every <see cref="Get"/> unless images are cached.
/// </summary>
public sealed class VocDetectionDataset : IDetectionDataset
{
    private readonly IReadOnlyList<VocImage> _images;
    private readonly ImageLoader _loader;
    private readonly RgbResampler _resampler = new(Dispatch.Select(null));
    private readonly byte[]?[]? _cache;
    private readonly Lock _gate = new();
    private readonly float[] _row;

    /// <summary>
    /// The <paramref name="split"/> of <paramref name="folder"/> at <paramref name="width"/> x <paramref name="height"/>.
    /// <paramref name="cacheImages"/> keeps every resized image in memory (width * height * 3 bytes each), for training
    /// that reads each image many times.
    /// </summary>
    public VocDetectionDataset(VocFolder folder, VocSplit split, int width, int height, bool cacheImages = false, ImageLoader? loader = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        _images = VocSplits.Select(folder, split);
        _loader = loader ?? new ImageLoader();
        _cache = cacheImages ? new byte[]?[_images.Count] : null;
        _row = new float[width * 3];
        (Folder, Split, Width, Height) = (folder, split, width, height);
    }

    /// <summary>Reads the annotations of <paramref name="directory"/> and opens its <paramref name="split"/> at a square side.</summary>
    public static VocDetectionDataset Open(string directory, VocSplit split, int side, bool cacheImages = false) =>
        Open(directory, split, side, side, cacheImages);

    /// <summary>Reads the annotations of <paramref name="directory"/> and opens its <paramref name="split"/> at width x height.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder has no Annotations folder.</exception>
    /// <exception cref="InvalidDataException">An annotation or split file is malformed, or the split is empty.</exception>
    public static VocDetectionDataset Open(string directory, VocSplit split, int width, int height, bool cacheImages = false)
    {
        var data = new VocDetectionDataset(VocFolder.Load(directory), split, width, height, cacheImages);
        if (data.Count == 0) throw new InvalidDataException($"{directory}: the {split.ToString().ToLowerInvariant()} split has no images (see VocSplit for the rules)");
        return data;
    }

    /// <summary>The folder's annotations.</summary>
    public VocFolder Folder { get; }

    /// <summary>The split this data set holds.</summary>
    public VocSplit Split { get; }

    /// <summary>Width of every sample.</summary>
    public int Width { get; }

    /// <summary>Height of every sample.</summary>
    public int Height { get; }

    /// <summary>The images of the split, in annotation-name order.</summary>
    public IReadOnlyList<VocImage> Images => _images;

    /// <inheritdoc />
    public IReadOnlyList<string> ClassNames => Folder.ClassNames;

    /// <inheritdoc />
    public int Count => _images.Count;

    /// <inheritdoc />
    /// <exception cref="InvalidDataException">The image is missing, corrupt or over the loader's limits (the message names it).</exception>
    public DetectionSample Get(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var image = _images[index];
        byte[]? rgb = _cache?[index];
        if (rgb is null)
        {
            rgb = Decode(image.ImagePath);
            if (_cache is not null) _cache[index] = rgb;
        }
        return new DetectionSample(Width, Height, rgb, image.Objects);
    }

    private byte[] Decode(string path)
    {
        SixLabors.ImageSharp.Image<Rgb24> decoded;
        try
        {
            decoded = _loader.Load(path);
        }
        catch (ImageLoadException e)
        {
            // Callers of IDetectionDataset (qk eval, qk-train) report InvalidDataException as a bad input file.
            throw new InvalidDataException(e.Message, e);
        }
        using (decoded)
        {
            var rgb = new byte[Width * Height * 3];
            lock (_gate)
            {
                _resampler.Prepare(decoded.Width, decoded.Height, Width, Height);
                _resampler.AddImage(decoded);
                var row = _row.AsSpan();
                for (int y = 0; y < Height; y++)
                {
                    _resampler.GetRow(y, row);
                    var dst = rgb.AsSpan(y * Width * 3, Width * 3);
                    for (int i = 0; i < dst.Length; i++) dst[i] = (byte)Math.Clamp(MathF.Round(row[i]), 0f, 255f);
                }
            }
            return rgb;
        }
    }
}
