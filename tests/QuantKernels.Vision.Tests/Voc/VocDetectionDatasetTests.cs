using QuantKernels.Datasets;
using QuantKernels.Datasets.Voc;
using QuantKernels.Vision.Voc;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using DataBox = QuantKernels.Datasets.BoundingBox;

namespace QuantKernels.Vision.Tests.Voc;

public sealed class VocDetectionDatasetTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "qk-voc-vision-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    /// <summary>A 200x100 grey JPEG with a red rectangle at x 50-100, y 20-60, annotated as a potted plant.</summary>
    private void WritePlantImage(string id)
    {
        Directory.CreateDirectory(Path.Combine(_dir, "JPEGImages"));
        Directory.CreateDirectory(Path.Combine(_dir, "Annotations"));
        using (var image = new Image<Rgb24>(200, 100, new Rgb24(128, 128, 128)))
        {
            for (int y = 20; y < 60; y++)
                for (int x = 50; x < 100; x++) image[x, y] = new Rgb24(255, 0, 0);
            image.SaveAsJpeg(Path.Combine(_dir, "JPEGImages", id + ".jpg"));
        }
        File.WriteAllText(Path.Combine(_dir, "Annotations", id + ".xml"),
            $"<annotation><filename>{id}.jpg</filename><size><width>200</width><height>100</height><depth>3</depth></size>" +
            "<object><name>pottedplant</name><difficult>0</difficult><bndbox><xmin>50</xmin><ymin>20</ymin><xmax>100</xmax><ymax>60</ymax></bndbox></object>" +
            "</annotation>");
    }

    [Fact]
    public void Images_are_decoded_and_stretched_to_the_side_with_boxes_unchanged_and_labels_without_background()
    {
        WritePlantImage("a");
        File.WriteAllLines(Path.Combine(_dir, "class_names.txt"), ["_background_", "dog", "potted plant"]);
        var data = VocDetectionDataset.Open(_dir, VocSplit.All, 40);
        Assert.Equal(["dog", "potted plant"], data.ClassNames);
        Assert.Equal(1, data.Count);
        var s = data.Get(0);
        Assert.Equal((40, 40, 40 * 40 * 3), (s.Width, s.Height, s.Rgb.Length));
        var o = Assert.Single(s.Objects);
        Assert.Equal(1, o.Label);
        Assert.Equal(new DataBox(0.25f, 0.2f, 0.5f, 0.6f), o.Box);
        // Inside the box: red; left of it: grey (the stretch keeps normalised positions).
        int inside = (16 * 40 + 15) * 3, outside = (16 * 40 + 4) * 3;
        Assert.InRange(s.Rgb[inside], 220, 255);
        Assert.InRange(s.Rgb[inside + 1], 0, 40);
        Assert.InRange(s.Rgb[outside], 110, 146);
        Assert.InRange(s.Rgb[outside + 1], 110, 146);
    }

    [Fact]
    public void Written_folder_reads_back_with_the_same_boxes_labels_and_pixels()
    {
        var samples = new InMemoryDataset(["a", "b", "c"], 3, 64, 48);
        VocFolderWriter.Write(samples, _dir, quality: 95, backgroundEntry: true);
        var data = VocDetectionDataset.Open(_dir, VocSplit.All, 64, 48);
        Assert.Equal(samples.ClassNames, data.ClassNames);
        Assert.Equal(3, data.Count);
        for (int i = 0; i < 3; i++)
        {
            var (want, got) = (samples.Get(i), data.Get(i));
            Assert.Equal(want.Objects.Select(o => (o.Label, o.Difficult)), got.Objects.Select(o => (o.Label, o.Difficult)));
            foreach (var (w, g) in want.Objects.Zip(got.Objects))
            {
                // Pixel coordinates are written with 2 decimals.
                Assert.Equal(w.Box.XMin, g.Box.XMin, 1e-3f);
                Assert.Equal(w.Box.YMax, g.Box.YMax, 1e-3f);
            }
            // Same size: no resampling, so only JPEG loss (quality 95, smooth image) separates the pixels.
            double meanError = want.Rgb.Zip(got.Rgb).Average(p => Math.Abs(p.First - p.Second));
            Assert.True(meanError < 3, $"image {i}: mean absolute error {meanError:F2} after a JPEG round trip");
        }
    }

    [Fact]
    public void Without_split_files_every_tenth_image_from_the_first_is_a_test_image()
    {
        VocFolderWriter.Write(new InMemoryDataset(["a"], 23, 16, 16), _dir);
        var test = new VocDetectionDataset(VocFolder.Load(_dir), VocSplit.Test, 16, 16);
        var train = new VocDetectionDataset(VocFolder.Load(_dir), VocSplit.Train, 16, 16);
        Assert.Equal(["000000", "000010", "000020"], test.Images.Select(im => im.Id));
        Assert.Equal(20, train.Count);
        Assert.Empty(train.Images.Select(im => im.Id).Intersect(test.Images.Select(im => im.Id)));
    }

    [Fact]
    public void Split_files_choose_the_images_trainval_before_train_and_test_before_val()
    {
        VocFolderWriter.Write(new InMemoryDataset(["a"], 6, 16, 16), _dir);
        string sets = Path.Combine(_dir, "ImageSets", "Main");
        Directory.CreateDirectory(sets);
        File.WriteAllLines(Path.Combine(sets, "val.txt"), ["000004", "000005"]);
        var folder = VocFolder.Load(_dir);
        Assert.Equal(["000004", "000005"], VocSplits.Select(folder, VocSplit.Test).Select(im => im.Id));
        Assert.Equal(["000000", "000001", "000002", "000003"], VocSplits.Select(folder, VocSplit.Train).Select(im => im.Id));
        File.WriteAllLines(Path.Combine(sets, "test.txt"), ["000001"]);
        File.WriteAllLines(Path.Combine(sets, "train.txt"), ["000000"]);
        File.WriteAllLines(Path.Combine(sets, "trainval.txt"), ["000002", "000003 1"]);
        Assert.Equal(["000001"], VocSplits.Select(folder, VocSplit.Test).Select(im => im.Id));
        Assert.Equal(["000002", "000003"], VocSplits.Select(folder, VocSplit.Train).Select(im => im.Id));
        File.WriteAllLines(Path.Combine(sets, "test.txt"), ["000009"]);
        var e = Assert.Throws<InvalidDataException>(() => VocSplits.Select(folder, VocSplit.Test));
        Assert.Contains("test.txt", e.Message);
        Assert.Contains("'000009'", e.Message);
    }

    [Fact]
    public void An_empty_split_is_an_error_naming_the_folder()
    {
        VocFolderWriter.Write(new InMemoryDataset(["a"], 1, 16, 16), _dir);
        var e = Assert.Throws<InvalidDataException>(() => VocDetectionDataset.Open(_dir, VocSplit.Train, 16));
        Assert.Contains(_dir, e.Message);
        Assert.Contains("train split has no images", e.Message);
    }

    [Fact]
    public void Malformed_and_missing_images_are_errors_naming_the_file()
    {
        VocFolderWriter.Write(new InMemoryDataset(["a"], 2, 16, 16), _dir);
        string bad = Path.Combine(_dir, "JPEGImages", "000000.jpg"), missing = Path.Combine(_dir, "JPEGImages", "000001.jpg");
        var jpeg = File.ReadAllBytes(bad);
        File.WriteAllBytes(bad, jpeg.AsSpan(0, jpeg.Length / 2).ToArray());
        File.Delete(missing);
        var data = VocDetectionDataset.Open(_dir, VocSplit.All, 16);
        var e = Assert.Throws<InvalidDataException>(() => data.Get(0));
        Assert.Contains(bad, e.Message);
        Assert.IsType<ImageLoadException>(e.InnerException);
        e = Assert.Throws<InvalidDataException>(() => data.Get(1));
        Assert.Contains(missing, e.Message);
        Assert.Contains("not found", e.Message);
        File.WriteAllText(bad, "not a jpeg at all");
        Assert.Contains(bad, Assert.Throws<InvalidDataException>(() => data.Get(0)).Message);
    }

    [Fact]
    public void Cached_images_are_decoded_once()
    {
        VocFolderWriter.Write(new InMemoryDataset(["a"], 1, 16, 16), _dir);
        var cached = VocDetectionDataset.Open(_dir, VocSplit.All, 8, cacheImages: true);
        var first = cached.Get(0);
        File.Delete(Path.Combine(_dir, "JPEGImages", "000000.jpg"));
        Assert.Same(first.Rgb, cached.Get(0).Rgb);
        Assert.Throws<InvalidDataException>(() => VocDetectionDataset.Open(_dir, VocSplit.All, 8).Get(0));
    }

    /// <summary>Smooth gradient images with two boxes each (the second one difficult).</summary>
    private sealed class InMemoryDataset(IReadOnlyList<string> classNames, int count, int width, int height) : IDetectionDataset
    {
        public IReadOnlyList<string> ClassNames => classNames;

        public int Count => count;

        public DetectionSample Get(int index)
        {
            var rgb = new byte[width * height * 3];
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    int p = (y * width + x) * 3;
                    (rgb[p], rgb[p + 1], rgb[p + 2]) = ((byte)(x * 255 / width), (byte)(y * 255 / height), (byte)(40 * index));
                }
            return new DetectionSample(width, height, rgb,
            [
                new LabeledBox(index % classNames.Count, new DataBox(0.1f, 0.2f, 0.5f + 0.05f * index, 0.7f)),
                new LabeledBox((index + 1) % classNames.Count, new DataBox(0.6f, 0.1f, 0.9f, 0.45f), Difficult: true),
            ]);
        }
    }
}
