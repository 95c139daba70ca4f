namespace QuantKernels.Cli.Tests.Support;

/// <summary>Finds the real models in the repository's <c>testdata/models</c>.</summary>
public static class SharedModels
{
    private static readonly Lazy<string?> Folder = new(Locate);

    /// <summary>Walks up from the test binaries to the first directory containing <c>testdata/models</c>.</summary>
    private static string? Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "testdata", "models");
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>Path of model <paramref name="fileName"/>; skips the test (with the reason) if the folder or file is absent.</summary>
    public static string Get(string fileName)
    {
        string folder = FolderOrSkip();
        string path = Path.Combine(folder, fileName);
        if (!File.Exists(path)) Assert.Skip($"shared model {fileName} is not in {folder}");
        return path;
    }

    /// <summary>The models folder; skips the test if no ancestor of the test binaries has <c>shared/models</c>.</summary>
    public static string FolderOrSkip()
    {
        if (Folder.Value is null) Assert.Skip($"no shared/models folder above {AppContext.BaseDirectory}; real-model tests skipped");
        return Folder.Value;
    }

    /// <summary>File names of every <c>.tflite</c> model (for theories; empty when the folder is absent).</summary>
    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        if (Folder.Value is { } folder)
            foreach (var f in Directory.GetFiles(folder, "*.tflite").Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(f));
        else
            data.Add("(shared/models not found)");
        return data;
    }
}
