namespace QuantKernels.Cli;

/// <summary>
/// The detection models shipped in the repository's testdata/models, found by walking up from the executable's folder
/// (works for the built qk, `dotnet run` and the tests) and then from the current directory.
/// </summary>
public static class BundledModels
{
    /// <summary>
    /// The model behind <c>--model default</c>, relative to testdata/models. One constant so the default can be switched
    /// (e.g. to the int8 detector) in one place; its labels file is found beside it.
    /// </summary>
    public const string DefaultDetector = "object_detection_ssd_mobilenetv2_oidv4_fp16.tflite";

    /// <summary>The model behind <c>--model face</c> (MediaPipe BlazeFace short range).</summary>
    public const string FaceDetector = "face_detection_short_range.tflite";

    /// <summary>Resolves <c>--model</c>: "default", "face", or a path used as given.</summary>
    /// <exception cref="CliException">A bundled name was asked for but testdata/models is not found.</exception>
    public static string Resolve(string model) => model switch
    {
        "default" => Find(DefaultDetector),
        "face" => Find(FaceDetector),
        _ => model,
    };

    /// <summary>Full path of a file under testdata/models.</summary>
    public static string Find(string relativePath)
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "testdata", "models", relativePath);
                if (File.Exists(candidate)) return candidate;
            }
        throw new CliException($"bundled model testdata/models/{relativePath} not found above {AppContext.BaseDirectory} or the current directory; pass --model PATH");
    }
}
