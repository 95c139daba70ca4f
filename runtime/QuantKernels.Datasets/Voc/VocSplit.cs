namespace QuantKernels.Datasets.Voc;

/// <summary>Which images of a VOC-style folder a data set holds.</summary>
public enum VocSplit
{
    /// <summary>Training images: <c>ImageSets/Main/trainval.txt</c>, else <c>train.txt</c>, else every image not in the test split.</summary>
    Train,

    /// <summary>Test images: <c>ImageSets/Main/test.txt</c>, else <c>val.txt</c>, else (no split files at all) every
    /// 10th image by annotation file name, starting with the first (indices 0, 10, 20, ...).</summary>
    Test,

    /// <summary>Every annotated image.</summary>
    All,
}

/// <summary>Chooses the images of a <see cref="VocSplit"/> (see its members for the rules).</summary>
public static class VocSplits
{
    /// <summary>In a folder without split files, image i (in annotation-name order) is a test image when i % this == 0.</summary>
    public const int TestEvery = 10;

    /// <summary>Most ids read from one split file.</summary>
    private const int MaxIds = VocFolder.MaxImages;

    /// <summary>The images of <paramref name="split"/>, in annotation-name order.</summary>
    /// <exception cref="InvalidDataException">A split file lists an id without annotation (the message names both).</exception>
    public static IReadOnlyList<VocImage> Select(VocFolder folder, VocSplit split)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (split == VocSplit.All) return folder.Images;
        string sets = Path.Combine(folder.Directory, "ImageSets", "Main");
        var train = ReadIds(folder, sets, "trainval.txt") ?? ReadIds(folder, sets, "train.txt");
        var test = ReadIds(folder, sets, "test.txt") ?? ReadIds(folder, sets, "val.txt");
        var images = folder.Images;
        if (train is null && test is null)
            return [.. images.Where((_, i) => (i % TestEvery == 0) == (split == VocSplit.Test))];
        return split == VocSplit.Train
            ? [.. images.Where(im => train?.Contains(im.Id) ?? !test!.Contains(im.Id))]
            : [.. images.Where(im => test?.Contains(im.Id) ?? !train!.Contains(im.Id))];
    }

    private static HashSet<string>? ReadIds(VocFolder folder, string sets, string name)
    {
        string file = Path.Combine(sets, name);
        if (!File.Exists(file)) return null;
        // VOC's per-class files hold "id flag"; the main ones hold "id": the first word of a line is the id.
        var ids = File.ReadLines(file).Take(MaxIds + 1).Select(l => l.Trim().Split(' ', 2)[0]).Where(l => l.Length > 0).ToHashSet(StringComparer.Ordinal);
        if (ids.Count > MaxIds) throw new InvalidDataException($"{file}: more than {MaxIds} ids");
        var known = folder.Images.Select(im => im.Id).ToHashSet(StringComparer.Ordinal);
        if (ids.FirstOrDefault(id => !known.Contains(id)) is { } missing)
            throw new InvalidDataException($"{file}: image '{missing}' has no annotation in {Path.Combine(folder.Directory, "Annotations")}");
        return ids;
    }
}
