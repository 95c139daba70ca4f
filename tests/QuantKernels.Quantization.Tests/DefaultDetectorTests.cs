using System.Globalization;
using QuantKernels.Runtime;
using QuantKernels.Vision;

namespace QuantKernels.Quantization.Tests;

/// <summary>
/// The shipped int8 detector (testdata/models/detector, written by <c>qk quantize --ssd-postprocess</c>) against the
/// float model it came from: float detections were computed once by Vision's Detector on the float model in our
/// runtime and committed (float_detections.tsv); the int8 model runs here through the same Detector.
/// </summary>
public class DefaultDetectorTests
{
    private static string Int8Model => TestData.Path("models", "detector", "ssd_mobilenetv2_oidv4_int8.tflite");
    private static string FloatModel => TestData.Path("models", "object_detection_ssd_mobilenetv2_oidv4_fp16.tflite");

    private sealed record Expected(string Image, string Label, float Score, BoundingBox Box);

    private static List<Expected> FloatDetections()
    {
        var list = new List<Expected>();
        foreach (string line in File.ReadLines(TestData.Path("models", "detector", "float_detections.tsv")))
        {
            if (line.StartsWith('#')) continue;
            var cells = line.Split('\t');
            foreach (string d in cells.Skip(1).Where(c => c.Length > 0))
            {
                var p = d.Split('|');
                var b = p[2].Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                list.Add(new Expected(cells[0], p[0], float.Parse(p[1], CultureInfo.InvariantCulture), new BoundingBox(b[0], b[1], b[2], b[3])));
            }
        }
        return list;
    }

    private static readonly Lazy<Dictionary<string, IReadOnlyList<Detection>>> Int8Detections = new(() =>
    {
        using var detector = Detector.Load(Int8Model, null, new DetectorOptions { ScoreThreshold = 0.4f });
        Assert.Equal(DetectorKind.PostProcessed, detector.Kind);
        return FloatDetections().Select(e => e.Image).Distinct()
            .ToDictionary(image => image, image => detector.Detect(TestData.Path("images", image)));
    });

    private static double BestIoU(Expected e) =>
        Int8Detections.Value[e.Image].Where(d => d.Label == e.Label && d.Score >= 0.4f).Select(d => (double)d.Box.IoU(e.Box)).DefaultIfEmpty(0).Max();

    [Fact]
    public void At_least_90_percent_of_confident_float_detections_have_an_int8_match()
    {
        var confident = FloatDetections().Where(e => e.Score >= 0.6f).ToList();
        Assert.True(confident.Count >= 7, $"only {confident.Count} float detections >= 0.6 in the expectations");
        var missed = confident.Where(e => BestIoU(e) < 0.5).ToList();
        Assert.True(missed.Count <= confident.Count / 10, $"missed: {string.Join("; ", missed)}");
    }

    [Theory]
    [InlineData("dog.jpg", "Dog", 122, 216, 325, 552)]
    [InlineData("dog.jpg", "Bicycle", 134, 123, 567, 476)]
    [InlineData("dog.jpg", "Car", 461, 82, 698, 170)]
    [InlineData("person.jpg", "Person", 188, 100, 270, 370)]
    [InlineData("person.jpg", "Dog", 67, 261, 207, 351)]
    public void Finds_the_issue_boxes_with_IoU_at_least_0_8(string image, string label, float x0, float y0, float x1, float y1) =>
        Assert.True(BestIoU(new Expected(image, label, 1f, new BoundingBox(x0, y0, x1, y1))) >= 0.8);

    [Theory]
    [InlineData("car1.jpg", "Car")]
    [InlineData("chelsea.png", "Cat")]
    public void Finds_the_float_models_box_with_IoU_at_least_0_8(string image, string label)
    {
        var e = FloatDetections().Single(d => d.Image == image && d.Label == label);
        Assert.True(BestIoU(e) >= 0.8, $"{e}: best IoU {BestIoU(e)}");
    }

    [Fact]
    public void Int8_file_is_about_half_the_fp16_file_and_under_a_third_of_its_float32_weights()
    {
        long int8 = new FileInfo(Int8Model).Length;
        long fp16 = new FileInfo(FloatModel).Length;
        using var model = TfLiteModel.FromFile(FloatModel);
        using var interpreter = new Interpreter(model);
        interpreter.AllocateTensors();
        long float32Weights = interpreter.FoldedConstantBytes; // the fp16 weights dequantized: what a float32 file holds
        Assert.True(int8 < 0.6 * fp16, $"{int8} bytes vs fp16 file {fp16}");
        Assert.True(int8 < float32Weights / 3, $"{int8} bytes vs float32 weights {float32Weights}");
    }
}
