using System.CommandLine;
using System.Globalization;
using QuantKernels.Kernels.Detection.Anchors;
using QuantKernels.Quantization;
using QuantKernels.Vision.Preprocessing;

namespace QuantKernels.Cli;

/// <summary>
/// <c>qk quantize FLOAT.tflite --calibration DIR --out INT8.tflite</c>: post-training int8 quantization, calibrated on
/// the images in DIR (resized into the model's input with its normalisation), optionally appending an SSD post-process.
/// </summary>
public static class QuantizeCommand
{
    /// <summary>Settings of one quantization.</summary>
    public sealed record Settings(string Model, string CalibrationDir, string Out, int MaxImages, InputNormalization Normalization,
        ResizeMode Resize, bool CalibratedInputRange, bool Int8Input, bool Int8Outputs, SsdSettings? Ssd);

    /// <summary>The <c>--ssd-postprocess</c> settings.</summary>
    public sealed record SsdSettings(int MaxDetections, float ScoreThreshold, float IouThreshold, bool RegularNms, bool ScoresAreLogits);

    /// <summary>Creates the command writing progress and its summary to <paramref name="stdout"/>, errors to <paramref name="stderr"/>.</summary>
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var model = CommonOptions.Model();
        var calibration = new Option<string>("--calibration") { Description = "Folder of calibration images (JPEG/PNG/BMP, searched recursively)", HelpName = "DIR", Required = true };
        var output = new Option<string>("--out") { Description = "Path of the int8 .tflite to write", HelpName = "FILE", Required = true };
        var maxImages = CommonOptions.IntAtLeast("--max-images", 1, 200, "Use at most this many calibration images (in path order)");
        var normalization = new Option<InputNormalization>("--input-normalization")
        {
            Description = "Pixel normalisation of the model's input: minus-one-to-one (p/127.5-1, default), zero-to-one (p/255), identity, or MEAN/STD",
            HelpName = "minus-one-to-one|zero-to-one|identity|MEAN/STD",
            DefaultValueFactory = _ => InputNormalization.MinusOneToOne,
            CustomParser = r =>
            {
                string text = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
                if (CalibrationImages.ParseNormalization(text) is { } n) return n;
                r.AddError($"--input-normalization must be minus-one-to-one, zero-to-one, identity or MEAN/STD, not '{text}'");
                return default;
            },
        };
        var resize = new Option<ResizeMode>("--resize") { Description = "How images fit the input: stretch (default) or letterbox", HelpName = "stretch|letterbox", DefaultValueFactory = _ => ResizeMode.Stretch };
        var calibratedInput = new Option<bool>("--calibrated-input-range") { Description = "Quantize the input with its calibrated range instead of the full range the normalisation gives pixels 0..255" };
        var int8Input = new Option<bool>("--int8-input") { Description = "Make the graph input int8 (callers quantize); default keeps it float32 with a QUANTIZE op" };
        var int8Outputs = new Option<bool>("--int8-outputs") { Description = "Leave the raw outputs int8; default dequantizes them to float32 (ignored with --ssd-postprocess)" };
        var ssd = new Option<bool>("--ssd-postprocess") { Description = "Append LOGISTIC and TFLite_Detection_PostProcess (SSD MobileNet v2 300x300 anchors, box coder 10,10,5,5)" };
        var maxDet = CommonOptions.IntAtLeast("--max-detections", 1, 50, "With --ssd-postprocess: detections kept after NMS");
        var score = new Option<float>("--score-threshold") { Description = "With --ssd-postprocess: scores below this never enter NMS (default 0.3)", HelpName = "S", DefaultValueFactory = _ => 0.3f };
        var iou = new Option<float>("--iou-threshold") { Description = "With --ssd-postprocess: NMS IoU threshold (default 0.5)", HelpName = "T", DefaultValueFactory = _ => 0.5f };
        var nms = new Option<string>("--nms") { Description = "With --ssd-postprocess: regular (per class, default) or fast (class-agnostic over each anchor's best class)", HelpName = "regular|fast", DefaultValueFactory = _ => "regular" };
        nms.AcceptOnlyFromAmong("regular", "fast");
        var probabilities = new Option<bool>("--scores-are-probabilities") { Description = "With --ssd-postprocess: the class output is already sigmoid scores (no LOGISTIC appended)" };

        var command = new Command("quantize", "Post-training int8 quantization of a float model, calibrated on images")
        {
            model, calibration, output, maxImages, normalization, resize, calibratedInput, int8Input, int8Outputs,
            ssd, maxDet, score, iou, nms, probabilities,
        };
        command.SetAction(result => CliErrors.Guard(stderr, () =>
        {
            float s = result.GetValue(score), t = result.GetValue(iou);
            if (!(s >= 0f && s < 1f)) throw new UsageException($"--score-threshold must be in [0, 1), not {s}");
            if (!(t > 0f && t <= 1f)) throw new UsageException($"--iou-threshold must be in (0, 1], not {t}");
            var ssdSettings = result.GetValue(ssd)
                ? new SsdSettings(result.GetValue(maxDet), s, t, result.GetValue(nms) == "regular", !result.GetValue(probabilities))
                : null;
            return Execute(new Settings(result.GetValue(model)!, result.GetValue(calibration)!, result.GetValue(output)!,
                result.GetValue(maxImages), result.GetValue(normalization), result.GetValue(resize), result.GetValue(calibratedInput),
                result.GetValue(int8Input), result.GetValue(int8Outputs), ssdSettings), stdout);
        }));
        return command;
    }

    /// <summary>Runs the command; throws on errors (the caller maps them to messages).</summary>
    public static int Execute(Settings s, TextWriter stdout)
    {
        if (!File.Exists(s.Model)) throw new FileNotFoundException($"model file not found: {s.Model}", s.Model);
        var files = CalibrationImages.Find(s.CalibrationDir, s.MaxImages);
        if (files.Count == 0) throw new CliException($"no calibration images ({string.Join(", ", CalibrationImages.Extensions)}) in {s.CalibrationDir}");

        using var quantizer = new PostTrainingQuantizer(File.ReadAllBytes(s.Model), s.Model);
        var spec = new ModelInputSpec { Normalization = s.Normalization, Resize = s.Resize };
        int used = CalibrationImages.Feed(quantizer, files, spec, (done, total, file, error) =>
            stdout.WriteLine(error is null
                ? $"calibrating: {done}/{total} {Path.GetFileName(file)}"
                : $"calibrating: {done}/{total} {Path.GetFileName(file)} skipped: {CliErrors.OneLine(error)}"));
        if (used == 0) throw new CliException($"none of the {files.Count} calibration images in {s.CalibrationDir} could be read");

        var options = new QuantizationOptions
        {
            Int8Inputs = s.Int8Input,
            FloatOutputs = !s.Int8Outputs,
            InputRange = s.CalibratedInputRange ? null : CalibrationImages.RangeOf(s.Normalization),
            SsdPostProcess = s.Ssd is null ? null : SsdOptions(s.Ssd),
            Description = $"QuantKernels post-training int8 quantization of {Path.GetFileName(s.Model)} ({used} calibration images)",
        };
        var result = quantizer.Build(options);
        string? dir = Path.GetDirectoryName(Path.GetFullPath(s.Out));
        if (dir is not null) Directory.CreateDirectory(dir);
        File.WriteAllBytes(s.Out, result.Model);
        WriteSummary(stdout, s, result, used);
        return ExitCodes.Success;
    }

    private static SsdPostProcessOptions SsdOptions(SsdSettings s) => new()
    {
        Anchors = MultipleGridAnchorGenerator.Generate(MultipleGridAnchorOptions.SsdMobileNetV2_300),
        MaxDetections = s.MaxDetections,
        ScoreThreshold = s.ScoreThreshold,
        IouThreshold = s.IouThreshold,
        UseRegularNms = s.RegularNms,
        ScoresAreLogits = s.ScoresAreLogits,
    };

    private static void WriteSummary(TextWriter o, Settings s, QuantizationResult r, int images)
    {
        var inv = CultureInfo.InvariantCulture;
        o.WriteLine($"qk quantize: {Path.GetFileName(s.Model)} -> {s.Out}");
        o.WriteLine($"  calibration: {images} image(s)");
        o.WriteLine($"  ops quantized: {r.QuantizedOpCount} ({string.Join(", ", r.QuantizedOps.Select(kv => $"{kv.Key} {kv.Value}"))})");
        o.WriteLine($"  ops folded (constant, e.g. fp16 DEQUANTIZE): {r.FoldedOps}");
        foreach (string added in r.AddedOps) o.WriteLine($"  added: {added}");
        o.WriteLine($"  size: {Formatting.Bytes(r.FloatModelBytes)} -> {Formatting.Bytes(r.Model.LongLength)} bytes " +
                    $"({((double)r.Model.LongLength / r.FloatModelBytes).ToString("P1", inv)} of the float file)");
        foreach (string w in r.Warnings) o.WriteLine($"  warning: {w}");
    }
}
