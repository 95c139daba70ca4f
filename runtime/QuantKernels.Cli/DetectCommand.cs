using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using QuantKernels.Vision;
using QuantKernels.Vision.Drawing;

namespace QuantKernels.Cli;

/// <summary>
/// <c>qk detect IMAGE... [--model default|face|PATH] [--labels FILE] [--threshold 0.5] [--json] [--out DIR] [--threads N] [--timing]</c>:
/// detects objects in photos and prints one line per detection (image, label, score, box in pixels), or JSON.
/// An image that cannot be decoded is reported on stderr and the others are still processed (exit code 1 at the end).
/// </summary>
public static class DetectCommand
{
    /// <summary>Settings of one invocation.</summary>
    public sealed record Settings(IReadOnlyList<string> Images, string Model, string? Labels, float Threshold, bool Json,
        string? OutDir, int Threads, bool Timing);

    /// <summary>Creates the command writing results to <paramref name="stdout"/> and errors to <paramref name="stderr"/>.</summary>
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var images = new Argument<string[]>("IMAGE") { Description = "JPEG, PNG or BMP photos", Arity = ArgumentArity.OneOrMore };
        var model = new Option<string>("--model")
        {
            Description = "'default' (the bundled SSD MobileNet v2, Open Images 24 classes), 'face' (BlazeFace) or a .tflite path",
            HelpName = "default|face|PATH",
            DefaultValueFactory = _ => "default",
        };
        var labels = new Option<string?>("--labels") { Description = "Labels file, one class name per line (default: found beside the model)", HelpName = "FILE" };
        var threshold = new Option<float>("--threshold") { Description = "Minimum score, 0-1 (default 0.5)", HelpName = "SCORE", DefaultValueFactory = _ => 0.5f };
        threshold.Validators.Add(r =>
        {
            if (r.Errors.Any() || r.Tokens.Count == 0) return;
            if (float.TryParse(r.Tokens[^1].Value, CultureInfo.InvariantCulture, out float v) && !(v >= 0 && v <= 1))
                r.AddError($"--threshold must be between 0 and 1, not {r.Tokens[^1].Value}");
        });
        var json = new Option<bool>("--json") { Description = "Print [{\"image\", \"detections\": [{\"label\", \"score\", \"box\"}]}] instead of lines" };
        var outDir = new Option<string?>("--out") { Description = "Write annotated images (boxes and labels) into this directory", HelpName = "DIR" };
        var threads = CommonOptions.Threads();
        var timing = new Option<bool>("--timing") { Description = "Print decode/preprocess/inference/post-process milliseconds per image" };
        var command = new Command("detect", "Detect objects (or faces) in photos")
        {
            images, model, labels, threshold, json, outDir, threads, timing,
        };
        command.SetAction(r => CliErrors.Guard(stderr, () => Execute(
            new Settings(r.GetValue(images)!, r.GetValue(model)!, r.GetValue(labels), r.GetValue(threshold), r.GetValue(json),
                r.GetValue(outDir), r.GetValue(threads), r.GetValue(timing)),
            stdout, stderr)));
        return command;
    }

    /// <summary>Runs the command; model errors throw (the caller maps them), image errors are reported per image.</summary>
    public static int Execute(Settings s, TextWriter stdout, TextWriter stderr)
    {
        string modelPath = BundledModels.Resolve(s.Model);
        if (s.Labels is not null && !File.Exists(s.Labels)) throw new CliException($"labels file not found: {s.Labels}");
        using var detector = Detector.Load(modelPath, s.Labels, new DetectorOptions { ScoreThreshold = s.Threshold, Threads = s.Threads });
        if (s.OutDir is not null) Directory.CreateDirectory(s.OutDir);

        var results = new List<(string Image, IReadOnlyList<Detection> Detections)>();
        int failures = 0;
        foreach (string path in s.Images)
        {
            IReadOnlyList<Detection> found;
            try
            {
                long start = Stopwatch.GetTimestamp();
                using var image = detector.LoadImage(path);
                double decodeMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                found = detector.Detect(image);
                var t = detector.LastTiming with { DecodeMs = decodeMs };
                if (s.OutDir is not null)
                {
                    DetectionRenderer.Draw(image, found);
                    DetectionRenderer.Save(image, AnnotatedPath(s.OutDir, path));
                }
                if (s.Timing) (s.Json ? stderr : stdout).WriteLine(TimingLine(path, t));
            }
            catch (ImageLoadException e)
            {
                CliErrors.Write(stderr, e.Message);
                failures++;
                continue;
            }
            results.Add((path, found));
            if (!s.Json) WriteLines(stdout, path, found);
        }
        if (s.Json) WriteJson(stdout, results);
        return failures == 0 ? ExitCodes.Success : ExitCodes.RuntimeError;
    }

    /// <summary>DIR/NAME.png, or NAME.jpg for JPEG inputs.</summary>
    public static string AnnotatedPath(string outDir, string imagePath)
    {
        string ext = Path.GetExtension(imagePath).ToLowerInvariant() is ".jpg" or ".jpeg" ? ".jpg" : ".png";
        return Path.Combine(outDir, Path.GetFileNameWithoutExtension(imagePath) + ext);
    }

    /// <summary>One line per detection: image, label, score, box [xmin, ymin, xmax, ymax] in whole pixels.</summary>
    public static void WriteLines(TextWriter stdout, string image, IReadOnlyList<Detection> found)
    {
        if (found.Count == 0) stdout.WriteLine($"{image}  (no detections)");
        foreach (var d in found)
            stdout.WriteLine(FormattableString.Invariant(
                $"{image}  {d.Label}  {d.Score:0.00}  [{d.Box.XMin:0}, {d.Box.YMin:0}, {d.Box.XMax:0}, {d.Box.YMax:0}]"));
    }

    /// <summary>The stage times of one image.</summary>
    public static string TimingLine(string image, DetectionTiming t) => FormattableString.Invariant(
        $"{image}  timing: decode {t.DecodeMs:0.0} ms, preprocess {t.PreprocessMs:0.0} ms, inference {t.InferenceMs:0.0} ms, post-process {t.PostProcessMs:0.0} ms");

    /// <summary>
    /// <c>[{"image": path, "detections": [{"label": "Dog", "score": 0.91, "box": [xmin, ymin, xmax, ymax]}]}]</c>; scores
    /// rounded to 4 decimals, boxes to 0.1 pixel.
    /// </summary>
    public static void WriteJson(TextWriter stdout, IReadOnlyList<(string Image, IReadOnlyList<Detection> Detections)> results)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartArray();
            foreach (var (image, detections) in results)
            {
                w.WriteStartObject();
                w.WriteString("image", image);
                w.WriteStartArray("detections");
                foreach (var d in detections)
                {
                    w.WriteStartObject();
                    w.WriteString("label", d.Label);
                    w.WriteNumber("score", Math.Round((double)d.Score, 4));
                    w.WriteStartArray("box");
                    foreach (float v in new[] { d.Box.XMin, d.Box.YMin, d.Box.XMax, d.Box.YMax }) w.WriteNumberValue(Math.Round((double)v, 1));
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        stdout.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
