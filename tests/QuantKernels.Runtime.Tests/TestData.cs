namespace QuantKernels.Runtime.Tests;

/// <summary>Locates the repository's test data (real models and the oracle's expected outputs).</summary>
internal static class TestData
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "testdata", "models");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException($"testdata/models not found above {AppContext.BaseDirectory}");
    });

    /// <summary>The folder of real .tflite models.</summary>
    public static string ModelsDir => Root.Value;

    /// <summary>Full path of a model file by name.</summary>
    public static string Model(string fileName) => Path.Combine(ModelsDir, fileName);

    /// <summary>The folder of the oracle's inputs/outputs for a model (file name without extension).</summary>
    public static string Expected(string modelName) => Path.Combine(ModelsDir, "expected", modelName);

    /// <summary>All real model file names.</summary>
    public static IEnumerable<string> AllModels() =>
        Directory.GetFiles(ModelsDir, "*.tflite").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;
}
