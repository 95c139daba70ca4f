namespace QuantKernels.Vision;

/// <summary>Class names, one per line of a labels file (index = line number, from 0).</summary>
public static class LabelMap
{
    /// <summary>Labels files larger than this are refused (1 MiB).</summary>
    public const long MaxFileBytes = 1 << 20;

    /// <summary>Reads a labels file: one name per line, surrounding whitespace trimmed, trailing blank lines dropped.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is over <see cref="MaxFileBytes"/> or holds no label.</exception>
    public static string[] Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"labels file not found: {path}", path);
        if (info.Length > MaxFileBytes) throw new InvalidDataException($"{path}: labels file is {info.Length} bytes, over the {MaxFileBytes}-byte limit");
        var lines = File.ReadAllLines(path).Select(l => l.Trim()).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        if (lines.Count == 0) throw new InvalidDataException($"{path}: labels file holds no label");
        return [.. lines];
    }

    /// <summary>
    /// The labels file beside a model when none is given: MODEL.txt, MODEL_labels.txt, MODEL_labelmap.txt, the same
    /// with a trailing _fp16/_int8/_quant/_float removed from MODEL, then labels.txt and labelmap.txt; null when none exists.
    /// </summary>
    public static string? FindBeside(string modelPath)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(modelPath)) ?? ".";
        string stem = Path.GetFileNameWithoutExtension(modelPath);
        var stems = new List<string> { stem };
        foreach (string suffix in new[] { "_fp16", "_int8", "_quant", "_float", "_uint8" })
            if (stem.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) stems.Add(stem[..^suffix.Length]);
        var names = stems.SelectMany(s => new[] { s + ".txt", s + "_labels.txt", s + "_labelmap.txt" }).Concat(["labels.txt", "labelmap.txt"]);
        return names.Select(n => Path.Combine(dir, n)).FirstOrDefault(File.Exists);
    }

    /// <summary>Whether a label names the background class ("???", "background", "__background__").</summary>
    public static bool IsBackground(string label) =>
        label is "???" || label.Equals("background", StringComparison.OrdinalIgnoreCase) || label.Equals("__background__", StringComparison.OrdinalIgnoreCase);
}
