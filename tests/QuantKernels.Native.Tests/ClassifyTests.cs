using System.Globalization;
using QuantKernels.Runtime;

namespace QuantKernels.Native.Tests;

/// <summary>classify.c (TFLite C API only) against libquantkernels prints the same top-5 classes and the same output
/// bytes as the managed runtime on the same input.</summary>
public sealed class ClassifyTests
{
    public static TheoryData<string> Targets => NativeTargets.Selected();

    [Theory]
    [MemberData(nameof(Targets))]
    public void MobilenetV2_on_the_oracle_input_matches_the_managed_runtime(string target) =>
        Compare(target, "mobilenet_v2_1.0_224_quant.tflite",
            Path.Combine(NativeTargets.RepoRoot, "testdata", "models", "expected", "mobilenet_v2_1.0_224_quant", "input_0.bin"));

    [Theory]
    [MemberData(nameof(Targets))]
    public void MobilenetV1_on_the_pattern_input_matches_the_managed_runtime(string target) =>
        Compare(target, "mobilenet_v1_0.25_128_quant.tflite", inputFile: null);

    [Theory]
    [MemberData(nameof(Targets))]
    public void Int8_ptq_model_with_two_threads_matches_the_managed_runtime(string target) =>
        Compare(target, "tf2_mobilenet_v2_1.0_224_ptq.tflite", inputFile: null, threads: 2);

    private static void Compare(string target, string modelFile, string? inputFile, int threads = 1)
    {
        string model = NativeTargets.Model(modelFile);
        var args = new List<string> { model };
        if (inputFile is not null) args.Add(inputFile);
        args.AddRange(["--threads", threads.ToString(CultureInfo.InvariantCulture)]);
        var (code, stdout, stderr) = NativeTargets.Run(target, "classify", args);
        Assert.True(code == 0, $"classify exited {code}: {stderr}");

        var expected = Managed(model, inputFile);
        Assert.Equal(expected, stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Normalise).ToArray());
    }

    /// <summary>What classify.c prints, computed by the managed runtime (top-5 by value, ties to the lower index).</summary>
    private static string[] Managed(string modelPath, string? inputFile)
    {
        using var model = TfLiteModel.FromFile(modelPath);
        using var interpreter = new Interpreter(model);
        interpreter.AllocateTensors();
        var input = interpreter.GetInputTensor(0);
        byte[] bytes = inputFile is not null ? File.ReadAllBytes(inputFile) : new byte[input.ByteSize];
        if (inputFile is null) for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)(i * 7 + 3);
        input.CopyFrom(bytes);
        interpreter.Invoke();
        var output = interpreter.GetOutputTensor(0);
        var raw = output.Bytes.ToArray();
        var q = output.Quantization;
        double scale = q.Scales.Count == 1 ? q.Scale : 0;
        int zp = q.Scales.Count == 1 ? q.ZeroPoint : 0;
        long Raw(int i) => output.Type == TensorType.Int8 ? (sbyte)raw[i] : raw[i];
        // classify.c computes value = (float)scale * (double)(raw - zp) in double; the same here.
        double Value(int i) => (double)(float)scale * (Raw(i) - zp);
        var order = Enumerable.Range(0, raw.Length).OrderByDescending(Value).ThenBy(i => i).Take(5);
        var lines = order.Select((i, r) => Normalise($"top {r + 1} {i} {Raw(i)} {Value(i).ToString("F6", CultureInfo.InvariantCulture)}")).ToList();
        ulong hash = 1469598103934665603UL;
        foreach (byte b in raw) hash = (hash ^ b) * 1099511628211UL;
        lines.Add($"output-fnv1a {hash:x16}");
        return [.. lines];
    }

    private static string Normalise(string line) => line.Trim().Replace("-0.000000", "0.000000");
}

/// <summary>The Python ctypes example of native/README.md (examples/classify.py) prints classify.c's top-5.</summary>
public sealed class PythonExampleTests
{
    [Fact]
    public void Ctypes_example_prints_the_same_top5_as_classify()
    {
        Assert.SkipUnless(NativeTargets.Names.Contains("x64"), "x64 not selected");
        Assert.SkipUnless(File.Exists("/usr/bin/python3"), "python3 not installed");
        string dir = NativeTargets.Dir("x64");
        string model = NativeTargets.Model("mobilenet_v1_0.25_128_quant.tflite");
        var (code, c, _) = NativeTargets.Run("x64", "classify", [model]);
        Assert.Equal(0, code);
        var psi = new System.Diagnostics.ProcessStartInfo("/usr/bin/python3")
        {
            ArgumentList = { Path.Combine(NativeTargets.RepoRoot, "native", "examples", "classify.py"), Path.Combine(dir, "libquantkernels.so"), model },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = System.Diagnostics.Process.Start(psi)!;
        string py = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        var top = c.Split('\n').Where(l => l.StartsWith("top ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(5, top.Length);
        foreach (var line in top) Assert.Contains(line, py);
        Assert.Contains("after delete -> 1 TfLiteInterpreterInvoke: interpreter", py);
        Assert.Contains("is stale", py);
    }
}
