using QuantKernels.Datasets.Canvas;
using QuantKernels.Datasets.Evaluation;
using QuantKernels.Datasets.FashionMnist;
using QuantKernels.Runtime;

namespace QuantKernels.Datasets.Tests;

/// <summary>
/// The detectors qk-train's full run produced (training/models): the int8 model scores above a floor on the first
/// test canvases in our runtime, and on one canvas its four outputs are byte-identical to what real TFLite (the
/// WebAssembly oracle) computed. training/models/oracle holds that canvas's pixels (RGB bytes; the model input is
/// pixels / 255) and the oracle's outputs, made with
/// <c>node /work/oracle/tflite_wasm_run.js fashion_ssd_int8.tflite --iters 1 --in DIR --out DIR</c>.
/// </summary>
public class ShippedFashionDetectorTests(ITestOutputHelper output)
{
    private static readonly Lazy<string> Models = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "training", "models");
            if (File.Exists(Path.Combine(candidate, "fashion_ssd_int8.tflite"))) return candidate;
        }
        throw new DirectoryNotFoundException($"training/models not found above {AppContext.BaseDirectory}");
    });

    private static string Model(string file) => Path.Combine(Models.Value, file);

    [Fact]
    public void Int8_detector_reaches_its_accuracy_floor_on_the_first_test_canvases()
    {
        if (!File.Exists(Path.Combine(FashionMnistSet.DefaultDirectory, "t10k-images-idx3-ubyte.gz")))
            Assert.Skip("dataset-fashion-mnist is not installed");
        using var runner = new TfliteDetectorRunner(Model("fashion_ssd_int8.tflite"));
        var result = DetectorEvaluation.Evaluate(FashionCanvasSplits.Test(runner.Width, count: 100), runner.Detect);
        output.WriteLine($"int8 on 100 test canvases: mAP@0.5 {result.Map50:P1}, mAP@[.5:.95] {result.Map:P1}");
        // Measured 58.3% on these 100 canvases (training/README.md); the floor leaves room for a retrained model.
        Assert.True(result.Map50 >= MinMap50, $"mAP@0.5 {result.Map50:P1} is below the floor {MinMap50:P0}");
    }

    [Fact]
    public void Float_detector_loads_and_detects()
    {
        using var runner = new TfliteDetectorRunner(Model("fashion_ssd_float.tflite"));
        var pixels = File.ReadAllBytes(Path.Combine(Models.Value, "oracle", "canvas0_rgb.bin"));
        var sample = new DetectionSample(runner.Width, runner.Height, pixels, []);
        Assert.Contains(runner.Detect(sample), d => d.Score >= 0.5f);
    }

    [Fact]
    public void Int8_detector_gives_real_TFLite_outputs_byte_for_byte()
    {
        string dir = Path.Combine(Models.Value, "oracle");
        using var model = TfLiteModel.FromFile(Model("fashion_ssd_int8.tflite"));
        using var interpreter = new Interpreter(model);
        interpreter.AllocateTensors();
        var pixels = File.ReadAllBytes(Path.Combine(dir, "canvas0_rgb.bin"));
        var input = interpreter.GetInputTensor(0).AsSpan<float>();
        Assert.Equal(pixels.Length, input.Length);
        for (int i = 0; i < pixels.Length; i++) input[i] = pixels[i] / 255f;
        interpreter.Invoke();
        Assert.Equal(4, interpreter.OutputCount);
        for (int i = 0; i < 4; i++)
            Assert.Equal(File.ReadAllBytes(Path.Combine(dir, $"output_{i}.bin")), interpreter.GetOutputTensor(i).Bytes.ToArray());
        Assert.True(interpreter.GetOutputTensor(3).ToArray<float>()[0] >= 1, "no detections on canvas 0");
    }

    private const double MinMap50 = 0.40;
}
