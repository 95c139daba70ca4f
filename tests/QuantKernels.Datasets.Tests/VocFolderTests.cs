using QuantKernels.Datasets.Voc;

namespace QuantKernels.Datasets.Tests;

public sealed class VocFolderTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "qk-voc-" + Guid.NewGuid().ToString("N"));

    public VocFolderTests() => Directory.CreateDirectory(Path.Combine(_dir, "Annotations"));

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private void Annotation(string name, string body) => File.WriteAllText(Path.Combine(_dir, "Annotations", name), body);

    private static string Xml(string objects) =>
        $"<annotation><filename>a.jpg</filename><size><width>200</width><height>100</height><depth>3</depth></size>{objects}</annotation>";

    private static string Obj(string name, string box, string difficult = "") =>
        $"<object><name>{name}</name><difficult>{difficult}</difficult><bndbox>{box}</bndbox></object>";

    [Fact]
    public void Boxes_are_normalised_and_classes_indexed()
    {
        Annotation("a.xml", Xml(Obj("dog", "<xmin>20</xmin><ymin>10</ymin><xmax>120.5</xmax><ymax>60</ymax>") +
                                Obj("cat", "<xmin>0</xmin><ymin>0</ymin><xmax>200</xmax><ymax>100</ymax>", "1")));
        var voc = VocFolder.Load(_dir);
        Assert.Equal(["cat", "dog"], voc.ClassNames);
        var img = Assert.Single(voc.Images);
        Assert.Equal(Path.Combine(_dir, "JPEGImages", "a.jpg"), img.ImagePath);
        Assert.Equal(new LabeledBox(1, new BoundingBox(0.1f, 0.1f, 0.6025f, 0.6f)), img.Objects[0]);
        Assert.True(img.Objects[1].Difficult);
    }

    [Fact]
    public void Class_names_file_fixes_the_label_order()
    {
        File.WriteAllLines(Path.Combine(_dir, "class_names.txt"), ["person", "dog", "cat"]);
        Annotation("a.xml", Xml(Obj("cat", "<xmin>0</xmin><ymin>0</ymin><xmax>2</xmax><ymax>2</ymax>")));
        Assert.Equal(2, VocFolder.Load(_dir).Images[0].Objects[0].Label);
        Annotation("b.xml", Xml(Obj("horse", "<xmin>0</xmin><ymin>0</ymin><xmax>2</xmax><ymax>2</ymax>")));
        Assert.Contains("'horse' is not in", Assert.Throws<InvalidDataException>(() => VocFolder.Load(_dir)).Message);
    }

    [Fact]
    public void A_leading_background_entry_is_dropped_and_names_match_ignoring_case_spaces_and_punctuation()
    {
        // The label map of /work/shared/images/voc: background first, "potted plant" and "tv/monitor" spelt with gaps.
        File.WriteAllLines(Path.Combine(_dir, "class_names.txt"), ["_background_", "aeroplane", "potted plant", "tv/monitor"]);
        Annotation("a.xml", Xml(Obj("tvmonitor", "<xmin>0</xmin><ymin>0</ymin><xmax>2</xmax><ymax>2</ymax>") +
                                Obj("pottedplant", "<xmin>0</xmin><ymin>0</ymin><xmax>2</xmax><ymax>2</ymax>") +
                                Obj("Aeroplane", "<xmin>0</xmin><ymin>0</ymin><xmax>2</xmax><ymax>2</ymax>")));
        var voc = VocFolder.Load(_dir);
        Assert.Equal(["aeroplane", "potted plant", "tv/monitor"], voc.ClassNames);
        Assert.Equal([2, 1, 0], voc.Images[0].Objects.Select(o => o.Label));
        Assert.Equal("a", voc.Images[0].Id);
        Assert.Equal(_dir, voc.Directory);
    }

    [Fact]
    public void Background_is_only_dropped_at_the_head_of_the_list()
    {
        File.WriteAllLines(Path.Combine(_dir, "class_names.txt"), ["cat", "background"]);
        Annotation("a.xml", Xml(Obj("cat", "<xmin>0</xmin><ymin>0</ymin><xmax>2</xmax><ymax>2</ymax>")));
        Assert.Equal(["cat", "background"], VocFolder.Load(_dir).ClassNames);
    }

    [Theory]
    [InlineData("<annotation><filename>a.jpg", "not well-formed")]
    [InlineData("<annotation><filename>a.jpg</filename></annotation>", "no <size>")]
    [InlineData("<annotation><filename>../x.jpg</filename><size><width>1</width><height>1</height></size></annotation>", "not a plain file name")]
    public void Malformed_annotations_name_the_file_and_the_problem(string xml, string message)
    {
        Annotation("bad.xml", xml);
        var e = Assert.Throws<InvalidDataException>(() => VocFolder.Load(_dir));
        Assert.Contains("bad.xml", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Empty_boxes_and_non_numbers_are_rejected()
    {
        Annotation("a.xml", Xml(Obj("dog", "<xmin>20</xmin><ymin>10</ymin><xmax>20</xmax><ymax>60</ymax>")));
        Assert.Contains("empty box", Assert.Throws<InvalidDataException>(() => VocFolder.Load(_dir)).Message);
        Annotation("a.xml", Xml(Obj("dog", "<xmin>x</xmin><ymin>10</ymin><xmax>20</xmax><ymax>60</ymax>")));
        Assert.Contains("not a number", Assert.Throws<InvalidDataException>(() => VocFolder.Load(_dir)).Message);
    }

    [Fact]
    public void A_folder_without_annotations_is_a_clear_error() =>
        Assert.Throws<DirectoryNotFoundException>(() => VocFolder.Load(Path.Combine(_dir, "nope")));
}
