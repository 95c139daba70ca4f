namespace QuantKernels.Quantization.Tests;

/// <summary>Locates the repository's testdata folder.</summary>
internal static class TestData
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = System.IO.Path.Combine(dir.FullName, "testdata");
            if (Directory.Exists(System.IO.Path.Combine(candidate, "models"))) return candidate;
        }
        throw new DirectoryNotFoundException($"testdata not found above {AppContext.BaseDirectory}");
    });

    /// <summary>A path below testdata/.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root.Value, .. parts]);
}
