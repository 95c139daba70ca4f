using QuantKernels.Datasets.Canvas;
using QuantKernels.Datasets.Evaluation;
using QuantKernels.Training.Evaluation;
using QuantKernels.Runtime;
using QuantKernels.Training.Export;
using QuantKernels.Training.Quantization;

namespace QuantKernels.Training.Tests;

public sealed class TrainExportRunTests(TinyTraining run, ITestOutputHelper output) : IClassFixture<TinyTraining>
{
    [Fact]
    public void Loss_falls()
    {
        run.RequireData();
        Assert.Equal(100, run.History.Count);
        double first = run.History.Take(10).Where(r => double.IsFinite(r[1])).Average(r => r[1]);
        double last = run.History.TakeLast(10).Where(r => double.IsFinite(r[1])).Average(r => r[1]);
        output.WriteLine($"loss: first 10 steps {first:F3}, last 10 steps {last:F3}");
        Assert.True(last < 0.75 * first, $"loss went from {first:F3} to {last:F3}");
        Assert.True(run.History.Count(r => !double.IsFinite(r[1])) <= 3, "more than 3 steps had a non-finite loss");
    }

    [Fact]
    public void Int8_export_runs_in_our_runtime_and_detects()
    {
        run.RequireData();
        string path = Path.Combine(run.Directory!, "model_int8.tflite");
        File.WriteAllBytes(path, TfliteExporter.Export(run.Model!, asFloat: false));
        using var runner = new TfliteDetectorRunner(path);
        var test = FashionCanvasSplits.Test(96, count: 8);
        int detections = 0;
        for (int i = 0; i < test.Count; i++)
        {
            var found = runner.Detect(test.Get(i));
            detections += found.Count;
            Assert.All(found, d => Assert.InRange(d.Label, 0, 9));
            Assert.All(found, d => Assert.InRange(d.Score, 0.05f, 1f));
        }
        Assert.True(detections > 0, "no detections on 8 test canvases");
    }

    [Fact]
    public void Int8_export_puts_the_class_logits_on_the_configured_fixed_range()
    {
        // Observed min/max ranges of the logits reached -177 in a long run (0.7 logit per step, -4 mAP@0.5); the export
        // must carry the configured range the fake-quant forward trained with, whatever the observer saw.
        run.RequireData();
        using var model = TfLiteModel.FromBytes(TfliteExporter.Export(run.Model!, asFloat: false), "tiny int8");
        using var interpreter = new Interpreter(model, new InterpreterOptions { PreserveAllTensors = true });
        interpreter.AllocateTensors();
        var logits = interpreter.FindTensor(TfliteExporter.ClassLogitsName)!;
        var cfg = run.Model!.Config;
        var expected = QuantRange.FromMinMax(cfg.ClassLogitMin, cfg.ClassLogitMax);
        Assert.Equal((-6f, 6f), (cfg.ClassLogitMin, cfg.ClassLogitMax));
        Assert.Equal(expected.Scale, logits.Scale);
        Assert.Equal(expected.ZeroPoint, logits.ZeroPoint);
        Assert.Equal(expected, run.Model.ClassOutput.Range);
    }

    [Fact]
    public void Float_export_runs_in_our_runtime()
    {
        run.RequireData();
        string path = Path.Combine(run.Directory!, "model_float.tflite");
        File.WriteAllBytes(path, TfliteExporter.Export(run.Model!, asFloat: true));
        using var runner = new TfliteDetectorRunner(path);
        Assert.Equal(96, runner.Width);
        Assert.NotEmpty(runner.Detect(FashionCanvasSplits.Test(96, count: 1).Get(0)));
    }

    [Fact]
    public void Runtime_int8_head_outputs_match_the_fake_quant_forward()
    {
        run.RequireData();
        var result = HeadComparison.Run(run.Model!, TfliteExporter.Export(run.Model!, asFloat: false), FashionCanvasSplits.Test(96, count: 4));
        output.WriteLine(result.ToString());
        var histogram = result.StepHistogram;
        long total = result.Outputs;
        Assert.Equal(4 * 4 * (96 / 16 * 96 / 16 + 96 / 32 * 96 / 32) * (4 + 11), total);
        // The trainer's inference forward evaluates the fake-quant graph exactly (integer sums in float64, the runtime's
        // float32 requantization), so every layer, every head output and every detection must agree.
        Assert.Equal(total, histogram[0]);
        Assert.All(result.Layers, l => Assert.Equal(0, l.Differing));
        Assert.All(result.IsolatedLayers, l => Assert.Equal(0, l.Differing));
        Assert.Equal(total, result.IsolatedHeadHistogram[0]);
        Assert.Equal(result.Images, result.SameDetections);
    }
}
