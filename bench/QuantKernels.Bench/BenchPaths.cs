namespace QuantKernels.Bench;

/// <summary>Locates the repository's files from wherever BenchmarkDotNet runs its host process.</summary>
internal static class BenchPaths
{
    /// <summary>Environment variable overriding the repository root.</summary>
    public const string RootVariable = "QK_REPO";

    /// <summary>The repository root (the folder holding QuantKernels.slnx).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>bench/peers/ort-models: the single-op ONNX models (see its README).</summary>
    public static string OrtModels => Path.Combine(Root, "bench", "peers", "ort-models");

    /// <summary>bench/peers/ort-mobilenetv2: tf2_mobilenet_v2_1.0_224_ptq as ONNX.</summary>
    public static string OrtMobileNetV2 => Path.Combine(Root, "bench", "peers", "ort-mobilenetv2");

    /// <summary>testdata/models: the .tflite models.</summary>
    public static string Models => Path.Combine(Root, "testdata", "models");

    private static string FindRoot()
    {
        if (Environment.GetEnvironmentVariable(RootVariable) is { Length: > 0 } env) return Path.GetFullPath(env);
        // BenchmarkDotNet builds and runs a generated project under bin/…/<guid>/, so walk up from both the base
        // directory and the working directory.
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "QuantKernels.slnx"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException($"cannot find the repository root (QuantKernels.slnx); set {RootVariable}");
    }
}
