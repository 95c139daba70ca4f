using System.CommandLine;
using System.Globalization;
using QuantKernels.Datasets.Canvas;
using QuantKernels.Datasets.Evaluation;
using QuantKernels.Training.Data;
using QuantKernels.Training.Evaluation;
using QuantKernels.Training.Export;
using QuantKernels.Training.Quantization;
using QuantKernels.Training.Training;
using TorchSharp;

namespace QuantKernels.Training;

/// <summary>
/// qk-train commands that check a trained checkpoint: <c>eval</c> (mAP of the trainer's forward pass, fake-quant or
/// float), <c>compare</c> (an int8 export in our runtime vs the fake-quant forward) and <c>ptq</c> (post-training int8
/// quantization of the same float weights, for contrast).
/// </summary>
internal static class AnalysisCommands
{
    private static Argument<string> CheckpointArgument() => new("CHECKPOINT") { Description = "Checkpoint folder (or a file in it)" };

    private static Option<int> CountOption(string name, int defaultValue, string description) =>
        new(name) { Description = description, DefaultValueFactory = _ => defaultValue };

    private static Option<string?> FashionDirOption() =>
        new("--fashion-mnist-dir") { Description = "Folder of the Fashion-MNIST IDX files (default /usr/share/datasets/fashion-mnist)" };

    private static int Positive(int value, string name) =>
        value >= 1 ? value : throw new ArgumentException($"{name} must be at least 1, not {value}");

    /// <summary><c>qk-train eval CHECKPOINT [--float] [--count N] [--json]</c>.</summary>
    public static Command Eval(TextWriter stdout, TextWriter stderr)
    {
        var checkpoint = CheckpointArgument();
        var asFloat = new Option<bool>("--float") { Description = "Turn fake quantization off (the float model the float export holds)" };
        var count = CountOption("--count", FashionCanvasSplits.DefaultTestCount, "Test canvases to evaluate");
        var json = new Option<bool>("--json") { Description = "Print {\"map50\": .., \"map\": ..} (fractions)" };
        var dir = FashionDirOption();
        var floatParts = new Option<QuantPart[]>("--float-part")
        {
            Description = "Keep these quantization points in float while the rest stays fake-quantized (analysis): Weights, Activations, BoxOutput, ClassOutput, Scores",
            AllowMultipleArgumentsPerToken = true,
        };
        var classRange = new Option<float[]>("--class-range")
        {
            Description = "Replace the class-logit output range with LO HI (analysis)", AllowMultipleArgumentsPerToken = true, Arity = new ArgumentArity(2, 2),
        };
        var cmd = new Command("eval", "mAP of the trainer's forward pass (fake-quant as trained, or --float) on the test split of the data it was trained on (Fashion-MNIST canvases or its VOC folder)")
        {
            checkpoint, asFloat, count, json, dir, floatParts, classRange,
        };
        cmd.SetAction(r => TrainApp.Guard(stderr, () =>
        {
            var (model, ck) = Trainer.Load(r.GetValue(checkpoint)!);
            using (model)
            {
                if (r.GetValue(asFloat)) model.State.SetQuantized(false);
                foreach (var part in r.GetValue(floatParts) ?? []) model.State.FloatParts |= part;
                if (r.GetValue(classRange) is [float lo, float hi]) model.ClassOutput.FixedRange = QuantRange.FromMinMax(lo, hi);
                using var detector = new TrainerDetector(model);
                var data = TrainingData.OpenTest(ck.Options.Data, model.Config.InputSize, Positive(r.GetValue(count), "--count"), r.GetValue(dir));
                var result = DetectorEvaluation.Evaluate(data, detector.Detect);
                string mode = !model.State.QuantizeActivations ? "float" : model.State.FloatParts == QuantPart.None ? "fake-quant" : $"fake-quant except {model.State.FloatParts}";
                var inv = CultureInfo.InvariantCulture;
                if (r.GetValue(json))
                    stdout.WriteLine(string.Create(inv, $"{{\"mode\": \"{mode}\", \"map50\": {result.Map50:F6}, \"map\": {result.Map:F6}, \"images\": {result.Images}}}"));
                else
                {
                    foreach (var c in result.Classes)
                        stdout.WriteLine(string.Create(inv, $"{c.Name,-14} AP50 {100 * c.Ap50,5:F1} AP {100 * c.Ap,5:F1}"));
                    stdout.WriteLine(string.Create(inv, $"qk-train eval ({mode} forward, {result.Images} images): mAP@0.5 {100 * result.Map50:F1}  mAP@[.5:.95] {100 * result.Map:F1}"));
                }
            }
            return 0;
        }));
        return cmd;
    }

    /// <summary><c>qk-train inspect CHECKPOINT</c>: every parameter and buffer with its range and non-finite count.</summary>
    public static Command Inspect(TextWriter stdout, TextWriter stderr)
    {
        var checkpoint = CheckpointArgument();
        var cmd = new Command("inspect", "List the checkpoint's parameters and buffers with their min, max and non-finite counts (to diagnose a diverged run)")
        {
            checkpoint,
        };
        cmd.SetAction(r => TrainApp.Guard(stderr, () =>
        {
            var (model, ck) = Trainer.Load(r.GetValue(checkpoint)!);
            using (model)
            {
                stdout.WriteLine($"step {ck.Step} of {ck.TotalSteps}");
                foreach (var (name, t) in model.state_dict())
                {
                    using var f = t.detach().to_type(TorchSharp.torch.ScalarType.Float32);
                    long bad = f.isfinite().logical_not().sum().ToInt64();
                    using var finite = f.nan_to_num(0, 0, 0);
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{name,-32} {string.Join("x", t.shape),-14} min {finite.min().ToSingle(),12:G5} max {finite.max().ToSingle(),12:G5} non-finite {bad}"));
                }
            }
            return 0;
        }));
        return cmd;
    }

    /// <summary><c>qk-train compare CHECKPOINT MODEL.tflite [--count N]</c>.</summary>
    public static Command Compare(TextWriter stdout, TextWriter stderr)
    {
        var checkpoint = CheckpointArgument();
        var modelPath = new Argument<string>("MODEL") { Description = "The checkpoint's int8 export (.tflite)" };
        var count = CountOption("--count", 100, "Test canvases to compare on");
        var dir = FashionDirOption();
        var cmd = new Command("compare", "Raw head outputs and detections of an int8 export in our runtime vs the trainer's fake-quant forward pass")
        {
            checkpoint, modelPath, count, dir,
        };
        cmd.SetAction(r => TrainApp.Guard(stderr, () =>
        {
            var (model, ck) = Trainer.Load(r.GetValue(checkpoint)!);
            using (model)
            {
                var data = TrainingData.OpenTest(ck.Options.Data, model.Config.InputSize, Positive(r.GetValue(count), "--count"), r.GetValue(dir));
                var result = HeadComparison.Run(model, File.ReadAllBytes(r.GetValue(modelPath)!), data);
                foreach (string line in result.LayerLines()) stdout.WriteLine($"  {line}");
                stdout.WriteLine($"  {result.IsolatedHeadLine()}");
                stdout.WriteLine($"qk-train compare: {result}");
            }
            return 0;
        }));
        return cmd;
    }

    /// <summary><c>qk-train ptq CHECKPOINT --out FILE [--calibration-images N]</c>.</summary>
    public static Command Ptq(TextWriter stdout, TextWriter stderr)
    {
        var checkpoint = CheckpointArgument();
        var outFile = new Option<string>("--out") { Description = "Output .tflite", Required = true };
        var images = CountOption("--calibration-images", 200, "Training canvases to calibrate on");
        var dir = FashionDirOption();
        var cmd = new Command("ptq", "Post-training int8 quantization of the checkpoint's float weights (qk quantize's quantizer), calibrated on training canvases")
        {
            checkpoint, outFile, images, dir,
        };
        cmd.SetAction(r => TrainApp.Guard(stderr, () =>
        {
            var (model, ck) = Trainer.Load(r.GetValue(checkpoint)!);
            using (model)
            {
                var calibration = TrainingData.OpenTrain(ck.Options with { FashionMnistDirectory = r.GetValue(dir) }, Positive(r.GetValue(images), "--calibration-images"), model.Config.InputSize);
                var result = PtqExporter.Export(model, calibration);
                File.WriteAllBytes(r.GetValue(outFile)!, result.Model);
                stdout.WriteLine($"qk-train: wrote {r.GetValue(outFile)} ({result.Model.Length} bytes, post-training int8, {calibration.Count} calibration canvases)");
                foreach (string w in result.Warnings) stdout.WriteLine($"  warning: {w}");
            }
            return 0;
        }));
        return cmd;
    }
}
