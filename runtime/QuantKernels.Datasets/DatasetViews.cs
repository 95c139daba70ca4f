namespace QuantKernels.Datasets;

/// <summary>Index views of a data set: its first images, or its images repeated to a longer length.</summary>
public static class DatasetViews
{
    /// <summary>The first <paramref name="count"/> images of <paramref name="data"/> (all of them when it has fewer).</summary>
    public static IDetectionDataset Take(IDetectionDataset data, int count)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return count >= data.Count ? data : new View(data, count);
    }

    /// <summary>
    /// <paramref name="count"/> images where image i is <paramref name="data"/>'s image i mod its count: a fixed set of
    /// images read as many times as a trainer's index range needs.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="data"/> is empty.</exception>
    public static IDetectionDataset Cycle(IDetectionDataset data, int count)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (data.Count == 0) throw new ArgumentException("cannot repeat an empty data set", nameof(data));
        return new View(data, count);
    }

    private sealed class View(IDetectionDataset inner, int count) : IDetectionDataset
    {
        public IReadOnlyList<string> ClassNames => inner.ClassNames;

        public int Count => count;

        public DetectionSample Get(int index)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
            return inner.Get(index % inner.Count);
        }
    }
}
