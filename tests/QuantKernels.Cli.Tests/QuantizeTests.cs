using QuantKernels.Cli.Tests.Support;
using QuantKernels.Runtime;
using QuantKernels.Runtime.Writing;

namespace QuantKernels.Cli.Tests;

public sealed class QuantizeTests
{
    /// <summary>A float image model [1,8,8,3] -> CONV_2D 1x1 (3 -> 2, RELU) -> [1,8,8,2].</summary>
    private static string WriteImageModel(TempDir dir)
    {
        var w = new TfliteWriter();
        int x = w.AddTensor("image", TensorType.Float32, [1, 8, 8, 3]);
        int k = w.AddConstant("w", TensorType.Float32, [2, 1, 1, 3], new[] { 0.5f, -0.25f, 0.1f, 0.3f, 0.3f, 0.3f });
        int b = w.AddConstant("b", TensorType.Float32, [2], new[] { 0.1f, -0.2f });
        int y = w.AddTensor("features", TensorType.Float32, [1, 8, 8, 2]);
        w.AddOperator(tflite.BuiltinOperator.CONV_2D, [x, k, b], [y], bb => (tflite.BuiltinOptions.Conv2DOptions,
            tflite.Conv2DOptions.CreateConv2DOptions(bb, tflite.Padding.SAME, 1, 1, tflite.ActivationFunctionType.RELU).Value));
        w.SetInputs(x);
        w.SetOutputs(y);
        string path = dir["image_model.tflite"];
        File.WriteAllBytes(path, w.Build());
        return path;
    }

    private static string Photos(TempDir dir)
    {
        string images = Path.Combine(Path.GetDirectoryName(SharedModels.FolderOrSkip())!, "images");
        Directory.CreateDirectory(dir["photos"]);
        File.Copy(Path.Combine(images, "car1.jpg"), dir["photos/car1.jpg"]);
        File.Copy(Path.Combine(images, "chelsea.png"), dir["photos/chelsea.png"]);
        return dir["photos"];
    }

    [Fact]
    public void Quantizes_a_float_image_model_with_progress_and_summary()
    {
        using var dir = new TempDir();
        string model = WriteImageModel(dir);
        var r = Qk.Run("quantize", model, "--calibration", Photos(dir), "--out", dir["out/int8.tflite"]);

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("calibrating: 1/2 car1.jpg", r.Stdout);
        Assert.Contains("calibrating: 2/2 chelsea.png", r.Stdout);
        Assert.Contains("ops quantized: 1 (CONV_2D 1)", r.Stdout);
        Assert.Contains("added: QUANTIZE of input 'image'", r.Stdout);
        Assert.Contains("added: DEQUANTIZE of output 'features'", r.Stdout);
        Assert.Matches(@"size: [\d,]+ -> [\d,]+ bytes", r.Stdout);
        using var q = TfLiteModel.FromFile(dir["out/int8.tflite"]);
        var conv = q.Operators.Single(op => op.BuiltinCode == tflite.BuiltinOperator.CONV_2D);
        Assert.Equal(TensorType.Int8, q.Tensors[conv.Inputs[1]].Type);
        // p/127.5 - 1 covers [-1, 1]: the input's parameters come from the normalisation.
        Assert.Equal(2f / 255f, q.Tensors[conv.Inputs[0]].Quantization.Scale, 1e-7f);
    }

    [Fact]
    public void An_undecodable_image_is_skipped_and_reported()
    {
        using var dir = new TempDir();
        string model = WriteImageModel(dir);
        string photos = Photos(dir);
        File.WriteAllBytes(Path.Combine(photos, "broken.jpg"), [0xFF, 0xD8, 0xFF, 0x00, 0x01]);
        var r = Qk.Run("quantize", model, "--calibration", photos, "--out", dir["int8.tflite"], "--int8-input", "--int8-outputs");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("calibrating: 1/3 broken.jpg skipped:", r.Stdout);
        Assert.Contains("calibration: 2 image(s)", r.Stdout);
        using var q = TfLiteModel.FromFile(dir["int8.tflite"]);
        Assert.Equal(TensorType.Int8, q.Tensors[q.Inputs[0]].Type);
        Assert.Equal(TensorType.Int8, q.Tensors[q.Outputs[0]].Type);
    }

    [Fact]
    public void Missing_calibration_folder_is_one_clear_error()
    {
        using var dir = new TempDir();
        string model = WriteImageModel(dir);
        string line = Qk.Run("quantize", model, "--calibration", dir["nope"], "--out", dir["x.tflite"]).AssertOneLineError(ExitCodes.RuntimeError);
        Assert.Contains("calibration folder not found", line);
    }

    [Fact]
    public void Folder_without_images_is_one_clear_error()
    {
        using var dir = new TempDir();
        string model = WriteImageModel(dir);
        Directory.CreateDirectory(dir["empty"]);
        string line = Qk.Run("quantize", model, "--calibration", dir["empty"], "--out", dir["x.tflite"]).AssertOneLineError(ExitCodes.RuntimeError);
        Assert.Contains("no calibration images", line);
    }

    [Fact]
    public void Bad_normalization_is_a_usage_error()
    {
        using var dir = new TempDir();
        string model = WriteImageModel(dir);
        string line = Qk.Run("quantize", model, "--calibration", dir.Path, "--out", dir["x.tflite"], "--input-normalization", "sideways")
            .AssertOneLineError(ExitCodes.UsageError);
        Assert.Contains("--input-normalization", line);
    }

    [Fact]
    public void Ssd_postprocess_on_a_model_without_box_output_is_one_clear_error()
    {
        using var dir = new TempDir();
        string model = WriteImageModel(dir);
        string line = Qk.Run("quantize", model, "--calibration", Photos(dir), "--out", dir["x.tflite"], "--ssd-postprocess")
            .AssertOneLineError(ExitCodes.RuntimeError);
        Assert.Contains("SSD post-process", line);
    }
}
