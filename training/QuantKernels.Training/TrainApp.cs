using System.CommandLine;
using QuantKernels.Training.Export;
using QuantKernels.Training.Training;

namespace QuantKernels.Training;

/// <summary>
/// The <c>qk-train</c> command line: <c>train</c> (quantization-aware training into a checkpoint folder) and
/// <c>export</c> (checkpoint to an int8 or float <c>.tflite</c>), and the checks of a trained model: <c>eval</c>
/// (mAP of the trainer's own forward pass), <c>compare</c> (runtime vs fake quant) and <c>ptq</c> (post-training contrast). A separate executable so <c>qk</c> never loads TorchSharp.
/// </summary>
public static class TrainApp
{
    /// <summary>Runs qk-train with <paramref name="args"/>; returns 0 on success, 1 on errors, 2 on usage errors.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("qk-train: quantization-aware training of SSD-lite detectors and export to .tflite")
        {
            TrainCommand(stdout, stderr),
            ExportCommand(stdout, stderr),
            AnalysisCommands.Eval(stdout, stderr),
            AnalysisCommands.Compare(stdout, stderr),
            AnalysisCommands.Ptq(stdout, stderr),
            AnalysisCommands.Inspect(stdout, stderr),
        };
        var result = root.Parse(args);
        if (result.Errors.Count > 0 && result.Action is not System.CommandLine.Invocation.CommandLineAction { ClearsParseErrors: true })
        {
            stderr.WriteLine($"qk-train: error: {string.Join("; ", result.Errors.Select(e => e.Message))}");
            return 2;
        }
        return result.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
    }

    /// <summary>Runs <paramref name="action"/>, printing expected failures as one-line errors (exit code 1).</summary>
    internal static int Guard(TextWriter stderr, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException
                                      or NotSupportedException or InvalidOperationException)
        {
            stderr.WriteLine($"qk-train: error: {e.Message.ReplaceLineEndings(" ")}");
            return 1;
        }
    }

    private static Command TrainCommand(TextWriter stdout, TextWriter stderr)
    {
        var d = new TrainOptions();
        var data = new Option<string>("--data") { Description = "'fashion-mnist' (detection canvases) or a VOC folder", DefaultValueFactory = _ => d.Data };
        var fmnist = new Option<string?>("--fashion-mnist-dir") { Description = "Folder of the Fashion-MNIST IDX files (default /usr/share/datasets/fashion-mnist)" };
        var size = new Option<int>("--size") { Description = "Input side in pixels (multiple of 32)", DefaultValueFactory = _ => d.Size };
        var width = new Option<float>("--width") { Description = "Width multiplier", DefaultValueFactory = _ => d.Width };
        var maps = new Option<int>("--feature-maps") { Description = "Feature maps with heads (2-4)", DefaultValueFactory = _ => d.FeatureMaps };
        var epochs = new Option<int>("--epochs") { Description = "Epochs", DefaultValueFactory = _ => d.Epochs };
        var perEpoch = new Option<int>("--images-per-epoch") { Description = "Training canvases per epoch", DefaultValueFactory = _ => d.ImagesPerEpoch };
        var batch = new Option<int>("--batch") { Description = "Batch size", DefaultValueFactory = _ => d.BatchSize };
        var lr = new Option<double>("--lr") { Description = "Peak learning rate (AdamW)", DefaultValueFactory = _ => d.LearningRate };
        var warmup = new Option<int>("--warmup") { Description = "Warm-up steps", DefaultValueFactory = _ => d.WarmupSteps };
        var delay = new Option<double>("--quant-delay") { Description = "Fraction of steps in float before fake quantization", DefaultValueFactory = _ => d.QuantDelay };
        var freeze = new Option<double>("--freeze-bn") { Description = "Fraction of steps after which batch norm freezes", DefaultValueFactory = _ => d.FreezeBatchNorm };
        var jitter = new Option<double>("--scale-jitter") { Description = "Zoom-in augmentation: scale drawn from [1, 1 + F] (0: off)", DefaultValueFactory = _ => d.ScaleJitter };
        var seed = new Option<int>("--seed") { Description = "Seed", DefaultValueFactory = _ => d.Seed };
        var threads = new Option<int>("--threads") { Description = "Torch threads", DefaultValueFactory = _ => d.Threads };
        var maxSteps = new Option<int>("--max-steps") { Description = "Stop after this many steps (0: all)", DefaultValueFactory = _ => 0 };
        var logEvery = new Option<int>("--log-every") { Description = "Steps between progress lines", DefaultValueFactory = _ => d.LogEvery };
        var outDir = new Option<string>("--out") { Description = "Checkpoint folder (resumed when it holds one)", Required = true };
        var cmd = new Command("train", "Train an SSD-lite detector with quantization-aware training")
        {
            data, fmnist, size, width, maps, epochs, perEpoch, batch, lr, warmup, delay, freeze, jitter, seed, threads, maxSteps, logEvery, outDir,
        };
        cmd.SetAction(r => Guard(stderr, () =>
        {
            var o = new TrainOptions
            {
                Data = r.GetValue(data)!, FashionMnistDirectory = r.GetValue(fmnist), Size = r.GetValue(size), Width = r.GetValue(width),
                FeatureMaps = r.GetValue(maps), Epochs = r.GetValue(epochs), ImagesPerEpoch = r.GetValue(perEpoch), BatchSize = r.GetValue(batch),
                LearningRate = r.GetValue(lr), WarmupSteps = r.GetValue(warmup), QuantDelay = r.GetValue(delay), FreezeBatchNorm = r.GetValue(freeze),
                ScaleJitter = r.GetValue(jitter),
                Seed = r.GetValue(seed), Threads = r.GetValue(threads), MaxSteps = r.GetValue(maxSteps), LogEvery = r.GetValue(logEvery),
            };
            new Trainer(stdout).Train(o, r.GetValue(outDir)!);
            stdout.WriteLine($"qk-train: checkpoint written to {r.GetValue(outDir)}");
            return 0;
        }));
        return cmd;
    }

    private static Command ExportCommand(TextWriter stdout, TextWriter stderr)
    {
        var checkpoint = new Argument<string>("CHECKPOINT") { Description = "Checkpoint folder (or a file in it)" };
        var outFile = new Option<string>("--out") { Description = "Output .tflite", Required = true };
        var asFloat = new Option<bool>("--float") { Description = "Export float32 weights and activations (no quantization)" };
        var cmd = new Command("export", "Export a checkpoint to .tflite (int8 by default)") { checkpoint, outFile, asFloat };
        cmd.SetAction(r => Guard(stderr, () =>
        {
            var (model, _) = Trainer.Load(r.GetValue(checkpoint)!);
            var bytes = TfliteExporter.Export(model, r.GetValue(asFloat));
            File.WriteAllBytes(r.GetValue(outFile)!, bytes);
            stdout.WriteLine($"qk-train: wrote {r.GetValue(outFile)} ({bytes.Length} bytes, {(r.GetValue(asFloat) ? "float32" : "int8")})");
            return 0;
        }));
        return cmd;
    }
}
