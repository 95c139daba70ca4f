namespace QuantKernels.Vision;

/// <summary>
/// Maps a model's foreground class number to a labels-file index and name. Whether the file lists the background
/// first is decided once: it does when it has one line more than the model has foreground classes, or when its
/// first line is a background name ("???", "background").
/// </summary>
internal sealed class ClassNames
{
    private readonly string[] _labels;
    private readonly string[] _fallback;

    /// <param name="labels">The labels file's lines, or empty.</param>
    /// <param name="foregroundClasses">Classes the model reports, without background.</param>
    public ClassNames(string[] labels, int foregroundClasses)
    {
        _labels = labels;
        Offset = labels.Length == foregroundClasses + 1 || (labels.Length > 0 && LabelMap.IsBackground(labels[0])) ? 1 : 0;
        // Built once so naming a detection never allocates.
        _fallback = [.. Enumerable.Range(0, foregroundClasses + 1).Select(i => $"class {i}")];
    }

    /// <summary>1 when the labels list the background first, else 0.</summary>
    public int Offset { get; }

    /// <summary>The labels-file index of foreground class <paramref name="c"/> (0-based).</summary>
    public int Index(int c) => c + Offset;

    /// <summary>The name of foreground class <paramref name="c"/>; "class N" (N its index) when the file has no such line.</summary>
    public string Name(int c)
    {
        int i = Index(c);
        if ((uint)i < (uint)_labels.Length) return _labels[i];
        return (uint)i < (uint)_fallback.Length ? _fallback[i] : $"class {i}";
    }
}
