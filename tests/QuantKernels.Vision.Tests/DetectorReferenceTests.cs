namespace QuantKernels.Vision.Tests;

/// <summary>
/// The detectors against the reference detections in issue 4 (the float Open Images SSD with per-class NMS at IoU 0.5
/// and score 0.5, and BlazeFace), on the photos in testdata/images.
/// </summary>
public class DetectorReferenceTests(DetectorFixture models) : IClassFixture<DetectorFixture>
{
    public static TheoryData<string, string, float, float[]> SsdReferences => new()
    {
        { "dog.jpg", "Dog", 0.74f, [122, 216, 325, 552] },
        { "dog.jpg", "Bicycle", 0.67f, [134, 123, 567, 476] },
        { "dog.jpg", "Car", 0.66f, [461, 82, 698, 170] },
        { "person.jpg", "Person", 0.63f, [188, 100, 270, 370] },
        { "person.jpg", "Dog", 0.67f, [67, 261, 207, 351] },
    };

    private static void Print(string image, IReadOnlyList<Detection> ds)
    {
        foreach (var d in ds) TestContext.Current.SendDiagnosticMessage($"{image}: {d}");
    }

    [Theory]
    [MemberData(nameof(SsdReferences))]
    public void Ssd_finds_the_reference_box(string image, string label, float score, float[] box)
    {
        var detector = models.Ssd;
        Assert.Equal(DetectorKind.Ssd, detector.Kind);
        var found = detector.Detect(TestData.Image(image));
        Print(image, found);
        var expected = new BoundingBox(box[0], box[1], box[2], box[3]);
        var match = found.Where(d => d.Label == label).OrderByDescending(d => d.Box.IoU(expected)).FirstOrDefault();
        Assert.True(match is not null, $"{image}: no {label} among {string.Join("; ", found)}");
        Assert.True(match.Box.IoU(expected) >= 0.9f, $"{image}: {match} vs expected {expected} (IoU {match.Box.IoU(expected):0.000})");
        Assert.InRange(match.Score, score - 0.03f, score + 0.03f);
    }

    [Theory]
    [InlineData("car1.jpg", "Car", 0.87f)]
    [InlineData("chelsea.png", "Cat", 0.85f)]
    public void Ssd_top_detection_is_the_reference_class(string image, string label, float score)
    {
        var detector = models.Ssd;
        var found = detector.Detect(TestData.Image(image));
        Print(image, found);
        Assert.NotEmpty(found);
        Assert.Equal(label, found[0].Label);
        Assert.InRange(found[0].Score, score - 0.03f, score + 0.03f);
    }

    [Fact]
    public void Blazeface_finds_the_astronauts_face_with_six_keypoints()
    {
        var detector = models.Face;
        Assert.Equal(DetectorKind.BlazeFace, detector.Kind);
        var found = detector.Detect(TestData.Image("astronaut.png"));
        Print("astronaut.png", found);
        var face = Assert.Single(found);
        Assert.Equal("face", face.Label);
        Assert.InRange(face.Score, 0.89f, 0.95f);
        var expected = new BoundingBox(177, 81, 272, 175);
        Assert.True(face.Box.IoU(expected) >= 0.9f, $"{face} vs {expected}");
        Assert.Equal(6, face.Keypoints.Count);
        foreach (var k in face.Keypoints)
            Assert.True(k.X >= expected.XMin - 20 && k.X <= expected.XMax + 20 && k.Y >= expected.YMin - 20 && k.Y <= expected.YMax + 20, $"keypoint {k} is off the face");
    }
}
