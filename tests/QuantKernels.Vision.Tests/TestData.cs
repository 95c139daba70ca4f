namespace QuantKernels.Vision.Tests;

/// <summary>Locates the repository's testdata folder (models and photos).</summary>
internal static class TestData
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "testdata");
            if (Directory.Exists(Path.Combine(candidate, "models")) && Directory.Exists(Path.Combine(candidate, "images"))) return candidate;
        }
        throw new DirectoryNotFoundException($"testdata/models and testdata/images not found above {AppContext.BaseDirectory}");
    });

    /// <summary>Full path of a model in testdata/models.</summary>
    public static string Model(string fileName) => Path.Combine(Root.Value, "models", fileName);

    /// <summary>Full path of a photo in testdata/images.</summary>
    public static string Image(string fileName) => Path.Combine(Root.Value, "images", fileName);
}
