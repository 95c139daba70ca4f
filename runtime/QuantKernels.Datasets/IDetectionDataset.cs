namespace QuantKernels.Datasets;

/// <summary>An indexable detection data set (one split of it).</summary>
public interface IDetectionDataset
{
    /// <summary>Class names; labels index into this list.</summary>
    IReadOnlyList<string> ClassNames { get; }

    /// <summary>Number of images.</summary>
    int Count { get; }

    /// <summary>Image <paramref name="index"/> and its objects (the same sample every call for a given index).</summary>
    DetectionSample Get(int index);
}
