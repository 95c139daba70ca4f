using System.Globalization;
using System.Xml.Linq;
using QuantKernels.Datasets;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace QuantKernels.Vision.Voc;

/// <summary>
/// Writes detection samples as a VOC-style folder that <see cref="VocDetectionDataset"/> reads back: JPEGImages/ID.jpg
/// (or ID.png, lossless), Annotations/ID.xml (boxes in pixels) and class_names.txt; ids are <c>000000</c>, <c>000001</c>, ...
/// </summary>
public static class VocFolderWriter
{
    /// <summary>
    /// Writes the first <paramref name="count"/> images of <paramref name="data"/> (all when null) into
    /// <paramref name="directory"/> as JPEGs of <paramref name="quality"/> (1-100), or as PNGs when it is null. With
    /// <paramref name="backgroundEntry"/>, class_names.txt starts with <c>_background_</c> as SSD label maps do.
    /// </summary>
    public static void Write(IDetectionDataset data, string directory, int? count = null, int? quality = 95, bool backgroundEntry = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (quality is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(quality), quality, "JPEG quality must be 1-100");
        int n = Math.Min(count ?? data.Count, data.Count);
        string images = Path.Combine(directory, "JPEGImages"), annotations = Path.Combine(directory, "Annotations");
        Directory.CreateDirectory(images);
        Directory.CreateDirectory(annotations);
        File.WriteAllLines(Path.Combine(directory, "class_names.txt"), backgroundEntry ? ["_background_", .. data.ClassNames] : data.ClassNames);
        var jpeg = new JpegEncoder { Quality = quality };
        for (int i = 0; i < n; i++)
        {
            var s = data.Get(i);
            string id = i.ToString("D6", CultureInfo.InvariantCulture), file = id + (quality is null ? ".png" : ".jpg");
            using (var image = Image.LoadPixelData<Rgb24>(s.Rgb, s.Width, s.Height))
            {
                if (quality is null) image.SaveAsPng(Path.Combine(images, file));
                else image.SaveAsJpeg(Path.Combine(images, file), jpeg);
            }
            Annotation(file, s, data.ClassNames).Save(Path.Combine(annotations, id + ".xml"));
        }
    }

    private static XElement Annotation(string fileName, DetectionSample s, IReadOnlyList<string> classNames)
    {
        static string P(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
        return new XElement("annotation",
            new XElement("filename", fileName),
            new XElement("size", new XElement("width", s.Width), new XElement("height", s.Height), new XElement("depth", 3)),
            s.Objects.Select(o => new XElement("object",
                new XElement("name", classNames[o.Label]),
                new XElement("difficult", o.Difficult ? 1 : 0),
                new XElement("bndbox",
                    new XElement("xmin", P(o.Box.XMin * s.Width)), new XElement("ymin", P(o.Box.YMin * s.Height)),
                    new XElement("xmax", P(o.Box.XMax * s.Width)), new XElement("ymax", P(o.Box.YMax * s.Height))))));
    }
}
