namespace QuantKernels.Datasets.FashionMnist;

/// <summary>Which of Fashion-MNIST's own splits to read.</summary>
public enum FashionMnistSplit
{
    /// <summary>The 60,000 training images (train-*).</summary>
    Train,

    /// <summary>The 10,000 test images (t10k-*).</summary>
    Test,
}

/// <summary>One split of Fashion-MNIST: 28x28 grey images (0 = background) and their class labels.</summary>
public sealed class FashionMnistSet
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package installs the files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>Image side in pixels.</summary>
    public const int ImageSize = 28;

    /// <summary>The ten class names, in label order.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle-boot"];

    private readonly byte[] _pixels;
    private readonly byte[] _labels;

    private FashionMnistSet(byte[] pixels, byte[] labels)
    {
        _pixels = pixels;
        _labels = labels;
    }

    /// <summary>Number of images.</summary>
    public int Count => _labels.Length;

    /// <summary>The 784 pixels of image <paramref name="index"/>, row-major.</summary>
    public ReadOnlySpan<byte> Image(int index) => _pixels.AsSpan(CheckIndex(index) * ImageSize * ImageSize, ImageSize * ImageSize);

    /// <summary>The class label (0-9) of image <paramref name="index"/>.</summary>
    public int Label(int index) => _labels[CheckIndex(index)];

    /// <summary>
    /// Loads a split from <paramref name="directory"/> (default: <see cref="DefaultDirectory"/>), reading
    /// <c>{train|t10k}-{images-idx3|labels-idx1}-ubyte</c> with or without <c>.gz</c>.
    /// </summary>
    /// <exception cref="FileNotFoundException">The files are missing (the message says how to install them).</exception>
    /// <exception cref="InvalidDataException">The files are malformed or disagree.</exception>
    public static FashionMnistSet Load(FashionMnistSplit split, string? directory = null)
    {
        directory ??= DefaultDirectory;
        string prefix = split == FashionMnistSplit.Train ? "train" : "t10k";
        string images = Find(directory, $"{prefix}-images-idx3-ubyte");
        string labels = Find(directory, $"{prefix}-labels-idx1-ubyte");
        var (imageDims, pixels) = IdxReader.Read(images);
        var (labelDims, labelBytes) = IdxReader.Read(labels);
        if (imageDims.Length != 3 || imageDims[1] != ImageSize || imageDims[2] != ImageSize)
            throw new InvalidDataException($"{images}: expected N x 28 x 28 images, found [{string.Join(", ", imageDims)}]");
        if (labelDims.Length != 1 || labelDims[0] != imageDims[0])
            throw new InvalidDataException($"{labels}: expected {imageDims[0]} labels, found [{string.Join(", ", labelDims)}]");
        for (int i = 0; i < labelBytes.Length; i++)
            if (labelBytes[i] >= ClassNames.Count)
                throw new InvalidDataException($"{labels}: label {labelBytes[i]} at index {i} is not a Fashion-MNIST class (0-9)");
        return new FashionMnistSet(pixels, labelBytes);
    }

    private static string Find(string directory, string stem)
    {
        foreach (var candidate in new[] { stem + ".gz", stem })
        {
            string path = Path.Combine(directory, candidate);
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException(
            $"Fashion-MNIST file '{stem}[.gz]' not found in '{directory}'. Install it with 'apt-get install dataset-fashion-mnist' " +
            "(Debian, installs /usr/share/datasets/fashion-mnist) or point to a folder holding the four IDX files.",
            Path.Combine(directory, stem));
    }

    private int CheckIndex(int index) =>
        (uint)index < (uint)Count ? index : throw new ArgumentOutOfRangeException(nameof(index), index, $"the split has {Count} images");
}
