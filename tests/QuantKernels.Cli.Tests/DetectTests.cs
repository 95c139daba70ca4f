using System.Text.Json;
using QuantKernels.Cli.Tests.Support;

namespace QuantKernels.Cli.Tests;

/// <summary><c>qk detect</c> on the photos in testdata/images with the bundled models.</summary>
public sealed class DetectTests
{
    private static string Image(string name) => Path.Combine(Path.GetDirectoryName(SharedModels.FolderOrSkip())!, "images", name);

    [Fact]
    public void Default_model_prints_one_line_per_detection_and_writes_annotated_images()
    {
        using var dir = new TempDir();
        var r = Qk.Run("detect", Image("dog.jpg"), Image("chelsea.png"), "--out", dir.Path, "--timing");
        Assert.True(r.ExitCode == 0, r.Stderr);
        string dog = Image("dog.jpg");
        Assert.Contains($"{dog}  Dog  0.74  [122, 216, 325, 552]\n", r.Stdout);
        Assert.Contains($"{dog}  Bicycle  0.67  ", r.Stdout);
        Assert.Contains($"{dog}  Car  0.67  ", r.Stdout);
        Assert.Contains($"{Image("chelsea.png")}  Cat  0.85  ", r.Stdout);
        Assert.Matches(@"dog\.jpg  timing: decode \d+\.\d ms, preprocess \d+\.\d ms, inference \d+\.\d ms, post-process \d+\.\d ms", r.Stdout);
        Assert.True(new FileInfo(dir["dog.jpg"]).Length > 10_000);
        Assert.True(new FileInfo(dir["chelsea.png"]).Length > 10_000);
    }

    [Fact]
    public void Json_has_the_documented_shape()
    {
        var r = Qk.Run("detect", "--model", "face", Image("astronaut.png"), "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout);
        var image = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.Equal(["image", "detections"], image.EnumerateObject().Select(p => p.Name));
        Assert.Equal(Image("astronaut.png"), image.GetProperty("image").GetString());
        var d = Assert.Single(image.GetProperty("detections").EnumerateArray());
        Assert.Equal(["label", "score", "box"], d.EnumerateObject().Select(p => p.Name));
        Assert.Equal("face", d.GetProperty("label").GetString());
        Assert.InRange(d.GetProperty("score").GetDouble(), 0.89, 0.95);
        double[] box = [.. d.GetProperty("box").EnumerateArray().Select(v => v.GetDouble())];
        Assert.Equal(4, box.Length);
        double[] expected = [177, 81, 272, 175];
        for (int i = 0; i < 4; i++) Assert.InRange(box[i], expected[i] - 4, expected[i] + 4);
    }

    [Fact]
    public void Bad_images_are_reported_one_line_each_and_the_good_ones_still_run()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir["empty.jpg"], []);
        File.WriteAllBytes(dir["cut.jpg"], File.ReadAllBytes(Image("dog.jpg"))[..100_000]);
        var noise = new byte[5000];
        new Random(3).NextBytes(noise);
        File.WriteAllBytes(dir["noise.png"], noise);

        var r = Qk.Run("detect", "--model", "face", dir["empty.jpg"], dir["cut.jpg"], Image("astronaut.png"), dir["noise.png"], dir["missing.bmp"]);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("astronaut.png  face  0.92  ", r.Stdout);
        var errors = r.ErrorLines;
        Assert.Equal(4, errors.Length);
        Assert.All(errors, e => Assert.StartsWith("qk: error: ", e));
        Assert.Contains(errors, e => e.Contains("empty.jpg") && e.Contains("empty"));
        Assert.Contains(errors, e => e.Contains("cut.jpg") && e.Contains("truncated"));
        Assert.Contains(errors, e => e.Contains("noise.png") && e.Contains("not a JPEG, PNG or BMP"));
        Assert.Contains(errors, e => e.Contains("missing.bmp") && e.Contains("not found"));
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    [Theory]
    [InlineData("--threshold", "1.5", "--threshold must be between 0 and 1")]
    [InlineData("--threads", "0", "--threads must be at least 1")]
    public void Bad_option_values_are_usage_errors(string option, string value, string expected)
    {
        Assert.Contains(expected, Qk.Run("detect", "x.jpg", option, value).AssertOneLineError(2));
    }

    [Fact]
    public void A_model_that_is_not_a_detector_is_one_clear_error()
    {
        var r = Qk.Run("detect", "--model", SharedModels.Get("mobilenet_v1_0.25_128_quant.tflite"), Image("dog.jpg"));
        Assert.Contains("not a recognised detection model", r.AssertOneLineError(1));
    }
}
