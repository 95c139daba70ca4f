using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using QuantKernels.Datasets;
using QuantKernels.Datasets.Canvas;
using QuantKernels.Datasets.Evaluation;
using QuantKernels.Datasets.Voc;
using QuantKernels.Vision.Voc;

namespace QuantKernels.Cli;

/// <summary>
/// <c>qk eval MODEL.tflite --data fashion-mnist|VOC_DIR [--json]</c>: runs a detector over a test split in our runtime
/// and prints per-class AP@0.5, AP@[.5:.95] and their means (COCO-style, 101-point interpolation).
/// </summary>
public static class EvalCommand
{
    /// <summary>Settings of one evaluation; <paramref name="Count"/> null means the default (1000 canvases, a VOC folder's whole test split).</summary>
    public sealed record Settings(string Model, string Data, int? Count, InputRange Range, int Threads, bool Json, string? FashionMnistDir);

    /// <summary>Creates the command.</summary>
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var model = CommonOptions.Model();
        var data = new Option<string>("--data")
        {
            Description = "'fashion-mnist' (the fixed test canvases drawn from Fashion-MNIST's test split) or a VOC folder",
            HelpName = "fashion-mnist|DIR",
            Required = true,
        };
        var count = CommonOptions.IntAtLeast("--count", 1, FashionCanvasSplits.DefaultTestCount, "Test images to evaluate: fashion-mnist canvases, or the first N of a VOC folder's test split (default: all of it)");
        var range = new Option<string>("--input-range")
        {
            Description = "Real range of a float input for pixels 0..255: '0,1' (default; QuantKernels' trained models), '-1,1' or '0,255'",
            DefaultValueFactory = _ => "0,1",
        };
        var threads = CommonOptions.Threads();
        var json = new Option<bool>("--json") { Description = "Print {\"map50\": .., \"map\": .., \"classes\": [..]} (fractions)" };
        var dir = new Option<string?>("--fashion-mnist-dir") { Description = "Folder of the Fashion-MNIST IDX files (default /usr/share/datasets/fashion-mnist)" };
        var command = new Command("eval", "Score a detector's mAP on a test split in the QuantKernels runtime")
        {
            model, data, count, range, threads, json, dir,
        };
        command.SetAction(r => CliErrors.Guard(stderr, () => Execute(
            new Settings(r.GetValue(model)!, r.GetValue(data)!, r.GetResult(count) is { Implicit: false } ? r.GetValue(count) : null, ParseRange(r.GetValue(range)!), r.GetValue(threads),
                r.GetValue(json), r.GetValue(dir)), stdout)));
        return command;
    }

    /// <summary>Maps an <c>--input-range</c> word to its range.</summary>
    public static InputRange ParseRange(string text) => text.Replace(" ", "") switch
    {
        "0,1" => InputRange.ZeroToOne,
        "-1,1" => InputRange.MinusOneToOne,
        "0,255" => InputRange.ZeroTo255,
        _ => throw new UsageException($"--input-range must be '0,1', '-1,1' or '0,255', not '{text}'"),
    };

    /// <summary>Runs the evaluation and prints the result.</summary>
    public static int Execute(Settings s, TextWriter stdout)
    {
        using var runner = new TfliteDetectorRunner(s.Model, s.Range, s.Threads);
        IDetectionDataset data;
        if (s.Data == "fashion-mnist")
        {
            if (runner.Width != runner.Height) throw new CliException($"fashion-mnist canvases are square; the model input is {runner.Width}x{runner.Height}");
            data = FashionCanvasSplits.Test(runner.Width, s.Count ?? FashionCanvasSplits.DefaultTestCount, s.FashionMnistDir);
        }
        else if (Directory.Exists(s.Data))
        {
            // The test split stretched to the model input, as training on the folder saw it.
            var voc = VocDetectionDataset.Open(s.Data, VocSplit.Test, runner.Width, runner.Height);
            data = s.Count is int n ? DatasetViews.Take(voc, n) : voc;
        }
        else
        {
            throw new UsageException($"--data must be 'fashion-mnist' or an existing VOC folder, not '{s.Data}'");
        }
        var result = DetectorEvaluation.Evaluate(data, runner.Detect);
        if (s.Json) stdout.WriteLine(ToJson(result));
        else Print(result, Path.GetFileName(s.Model), stdout);
        return ExitCodes.Success;
    }

    /// <summary>The JSON form: means and per-class APs as fractions (null where a class has no ground truth).</summary>
    public static string ToJson(EvaluationResult r)
    {
        static double? F(double v) => double.IsNaN(v) ? null : Math.Round(v, 6);
        return JsonSerializer.Serialize(new
        {
            map50 = F(r.Map50),
            map = F(r.Map),
            images = r.Images,
            classes = r.Classes.Select(c => new { name = c.Name, objects = c.GroundTruthCount, detections = c.DetectionCount, ap50 = F(c.Ap50), ap75 = F(c.Ap75), ap = F(c.Ap) }),
        });
    }

    private static void Print(EvaluationResult r, string model, TextWriter o)
    {
        static string P(double v) => double.IsNaN(v) ? "   -" : (100 * v).ToString("F1", CultureInfo.InvariantCulture).PadLeft(5);
        o.WriteLine($"qk eval: {model} on {r.Images} images (AP in %, COCO 101-point interpolation)");
        o.WriteLine($"{"class",-14} {"objects",7} {"dets",6} {"AP50",5} {"AP75",5} {"AP",5}");
        foreach (var c in r.Classes)
            o.WriteLine($"{c.Name,-14} {c.GroundTruthCount,7} {c.DetectionCount,6} {P(c.Ap50)} {P(c.Ap75)} {P(c.Ap)}");
        o.WriteLine($"mAP@0.5 {P(r.Map50).Trim()}  mAP@[.5:.95] {P(r.Map).Trim()}");
    }
}
