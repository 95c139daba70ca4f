using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace QuantKernels.Datasets.Voc;

/// <summary>One annotated image of a VOC-style folder.</summary>
/// <param name="ImagePath">Path of the JPEG (JPEGImages/filename).</param>
/// <param name="Width">Image width from the annotation.</param>
/// <param name="Height">Image height from the annotation.</param>
/// <param name="Objects">Objects with boxes normalised to the image.</param>
/// <param name="Id">The annotation file's name without extension (the id ImageSets/Main/*.txt lists).</param>
public sealed record VocImage(string ImagePath, int Width, int Height, IReadOnlyList<LabeledBox> Objects, string Id = "");

/// <summary>
/// The annotations of a Pascal-VOC-style folder: <c>Annotations/*.xml</c> (filename, size, objects with name,
/// difficult and bndbox in pixels) beside <c>JPEGImages/</c>, and optionally <c>class_names.txt</c> (one name a line).
/// Decoding the JPEGs is left to the caller (the runtime has no image codec).
/// <para>
/// Labels are 0-based over the object classes, without a background class: a leading background entry of
/// <c>class_names.txt</c> (<c>_background_</c>, <c>__background__</c>, <c>background</c> or <c>???</c>, as the label
/// maps of SSD models have) is dropped, so label i is the class TFLite_Detection_PostProcess reports as i. Object
/// names match a class name exactly, or else ignoring case, spaces and punctuation (VOC's <c>pottedplant</c> and
/// <c>tvmonitor</c> are the label map's <c>potted plant</c> and <c>tv/monitor</c>).
/// </para>
/// </summary>
public sealed class VocFolder
{
    /// <summary>Most annotation files read; bounds work on a wrong folder.</summary>
    public const int MaxImages = 1_000_000;

    private VocFolder(string directory, IReadOnlyList<string> classNames, IReadOnlyList<VocImage> images)
    {
        Directory = directory;
        ClassNames = classNames;
        Images = images;
    }

    /// <summary>The folder the annotations were read from.</summary>
    public string Directory { get; }

    /// <summary>Class names; labels index into this list.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The annotated images, sorted by annotation file name.</summary>
    public IReadOnlyList<VocImage> Images { get; }

    /// <summary>
    /// Reads the folder. Class names come from <c>class_names.txt</c> when present (objects of other classes are then
    /// an error), else from the annotations, sorted ordinally.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder or its Annotations folder is missing.</exception>
    /// <exception cref="InvalidDataException">An annotation is malformed (the message names the file).</exception>
    public static VocFolder Load(string directory)
    {
        string annotations = Path.Combine(directory, "Annotations");
        if (!System.IO.Directory.Exists(annotations))
            throw new DirectoryNotFoundException($"'{directory}' is not a VOC-style folder: '{annotations}' does not exist");
        var files = System.IO.Directory.EnumerateFiles(annotations, "*.xml").Take(MaxImages + 1).Order(StringComparer.Ordinal).ToList();
        if (files.Count > MaxImages) throw new InvalidDataException($"{annotations}: more than {MaxImages} annotation files");
        if (files.Count == 0) throw new InvalidDataException($"{annotations}: no .xml annotation files");

        string namesFile = Path.Combine(directory, "class_names.txt");
        List<string>? fixedNames = File.Exists(namesFile)
            ? File.ReadAllLines(namesFile).Select(l => l.Trim()).Where(l => l.Length > 0).ToList()
            : null;
        if (fixedNames is [var first, ..] && IsBackground(first)) fixedNames.RemoveAt(0);
        var parsed = files.Select(f => Parse(f, directory)).ToList();
        var names = fixedNames ?? parsed.SelectMany(p => p.Objects.Select(o => o.Name)).Distinct().Order(StringComparer.Ordinal).ToList();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var loose = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < names.Count; i++)
        {
            index.TryAdd(names[i], i);
            loose.TryAdd(Loose(names[i]), i);
        }

        var images = new List<VocImage>(parsed.Count);
        foreach (var p in parsed)
        {
            var objects = new List<LabeledBox>(p.Objects.Count);
            foreach (var o in p.Objects)
            {
                if (!index.TryGetValue(o.Name, out int label) && !loose.TryGetValue(Loose(o.Name), out label))
                    throw new InvalidDataException($"{p.File}: class '{o.Name}' is not in {namesFile}");
                objects.Add(new LabeledBox(label, o.Box, o.Difficult));
            }
            images.Add(new VocImage(p.ImagePath, p.Width, p.Height, objects, Path.GetFileNameWithoutExtension(p.File)));
        }
        return new VocFolder(directory, names, images);
    }

    /// <summary>Whether a class name is a label map's background entry (dropped from the head of class_names.txt).</summary>
    public static bool IsBackground(string name) => name is "???" || name.Equals("_background_", StringComparison.OrdinalIgnoreCase)
        || name.Equals("__background__", StringComparison.OrdinalIgnoreCase) || name.Equals("background", StringComparison.OrdinalIgnoreCase);

    // Lower-case letters and digits only: "tv/monitor" and "tvmonitor" are the same class.
    private static string Loose(string name) => new([.. name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);

    private sealed record RawObject(string Name, BoundingBox Box, bool Difficult);

    private sealed record RawAnnotation(string File, string ImagePath, int Width, int Height, List<RawObject> Objects);

    private static RawAnnotation Parse(string file, string directory)
    {
        XElement root;
        try
        {
            // No DTD processing, bounded input: annotation files are small.
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, MaxCharactersInDocument = 10_000_000 };
            using var reader = XmlReader.Create(file, settings);
            root = XElement.Load(reader);
        }
        catch (XmlException e)
        {
            throw new InvalidDataException($"{file}: not well-formed XML ({e.Message})", e);
        }
        string filename = Text(root, "filename", file);
        if (filename.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || filename is "." or "..")
            throw new InvalidDataException($"{file}: filename '{filename}' is not a plain file name");
        var size = root.Element("size") ?? throw new InvalidDataException($"{file}: no <size> element");
        int width = (int)Number(size, "width", file), height = (int)Number(size, "height", file);
        if (width <= 0 || height <= 0) throw new InvalidDataException($"{file}: image size {width}x{height} is not positive");
        var objects = new List<RawObject>();
        foreach (var o in root.Elements("object"))
        {
            string name = Text(o, "name", file);
            var b = o.Element("bndbox") ?? throw new InvalidDataException($"{file}: object '{name}' has no <bndbox>");
            double x0 = Number(b, "xmin", file), y0 = Number(b, "ymin", file), x1 = Number(b, "xmax", file), y1 = Number(b, "ymax", file);
            if (!(x1 > x0 && y1 > y0)) throw new InvalidDataException($"{file}: object '{name}' has an empty box ({x0},{y0})-({x1},{y1})");
            string? difficult = o.Element("difficult")?.Value.Trim();
            objects.Add(new RawObject(name,
                new BoundingBox((float)(x0 / width), (float)(y0 / height), (float)(x1 / width), (float)(y1 / height)),
                difficult is "1" or "true"));
        }
        return new RawAnnotation(file, Path.Combine(directory, "JPEGImages", filename), width, height, objects);
    }

    private static string Text(XElement e, string name, string file)
    {
        string? v = e.Element(name)?.Value.Trim();
        return string.IsNullOrEmpty(v) ? throw new InvalidDataException($"{file}: missing or empty <{name}>") : v;
    }

    private static double Number(XElement e, string name, string file)
    {
        string v = Text(e, name, file);
        return double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d)
            ? d
            : throw new InvalidDataException($"{file}: <{name}> '{v}' is not a number");
    }
}
