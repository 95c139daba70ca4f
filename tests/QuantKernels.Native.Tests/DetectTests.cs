using System.Globalization;
using System.Text;
using QuantKernels.Vision;
using SixLabors.ImageSharp.PixelFormats;

namespace QuantKernels.Native.Tests;

/// <summary>detect.c (qk_detector_* on an RGB buffer with padded rows) finds the same detections, to the printed
/// digit, as the managed Detector on the same pixels.</summary>
public sealed class DetectTests
{
    public static TheoryData<string> Targets => NativeTargets.Selected();

    [Theory]
    [MemberData(nameof(Targets))]
    public void Ssd_on_dog_jpg_matches_the_managed_detector(string target) =>
        Compare(target, "object_detection_ssd_mobilenetv2_oidv4_fp16.tflite", "object_detection_ssd_mobilenetv2_oidv4_labelmap.txt", "dog.jpg", minimum: 3);

    [Theory]
    [MemberData(nameof(Targets))]
    public void BlazeFace_on_astronaut_png_matches_the_managed_detector(string target) =>
        Compare(target, "face_detection_short_range.tflite", labels: null, "astronaut.png", minimum: 1);

    private static void Compare(string target, string modelFile, string? labels, string imageFile, int minimum)
    {
        string model = NativeTargets.Model(modelFile);
        string? labelsPath = labels is null ? null : NativeTargets.Model(labels);
        using var image = new ImageLoader().Load(Path.Combine(NativeTargets.RepoRoot, "testdata", "images", imageFile));
        var rgb = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(rgb);
        string ppm = Path.Combine(Path.GetTempPath(), $"qk-native-{Environment.ProcessId}-{Path.GetFileNameWithoutExtension(imageFile)}.ppm");
        using (var f = File.Create(ppm))
        {
            f.Write(Encoding.ASCII.GetBytes($"P6\n{image.Width} {image.Height}\n255\n"));
            f.Write(rgb);
        }

        var (code, stdout, stderr) = NativeTargets.Run(target, "detect", [model, labelsPath ?? "-", ppm, "--pad", "7"]);
        Assert.True(code == 0, $"detect exited {code}: {stderr}");

        using var detector = Detector.Load(model, labelsPath);
        var found = detector.Detect(rgb, image.Width, image.Height);
        Assert.True(found.Count >= minimum, $"the managed detector found {found.Count} objects in {imageFile}, expected at least {minimum}");
        var expected = new List<string> { $"detections {found.Count}" };
        for (int i = 0; i < found.Count; i++)
        {
            var d = found[i];
            expected.Add(string.Join(' ', "det", i.ToString(CultureInfo.InvariantCulture), d.ClassIndex.ToString(CultureInfo.InvariantCulture),
                F(d.Score), F(d.Box.XMin), F(d.Box.YMin), F(d.Box.XMax), F(d.Box.YMax), d.Label));
        }
        Assert.Equal(expected, stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static string F(float v) => ((double)v).ToString("F6", CultureInfo.InvariantCulture);
}
