namespace QuantKernels.Cli.Tests.Support;

/// <summary>The outcome of one in-process <c>qk</c> invocation.</summary>
public sealed record QkResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Non-empty lines written to stderr.</summary>
    public string[] ErrorLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Asserts a failure with exactly one <c>qk: error:</c> line and no stack trace; returns that line.</summary>
    public string AssertOneLineError(int exitCode)
    {
        Assert.Equal(exitCode, ExitCode);
        var lines = ErrorLines;
        Assert.True(lines.Length == 1, $"expected one error line, got {lines.Length}:\n{Stderr}");
        Assert.StartsWith("qk: error: ", lines[0]);
        Assert.DoesNotContain("   at ", Stderr);
        return lines[0];
    }
}

/// <summary>Runs <see cref="QkApp.Run"/> in-process with captured output.</summary>
public static class Qk
{
    /// <summary>Runs <c>qk args...</c>.</summary>
    public static QkResult Run(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        int code = QkApp.Run(args, stdout, stderr);
        return new QkResult(code, stdout.ToString(), stderr.ToString());
    }
}

/// <summary>A temporary directory deleted on dispose.</summary>
public sealed class TempDir : IDisposable
{
    /// <summary>Creates a fresh empty directory under the system temp folder.</summary>
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "qk-cli-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    /// <summary>The directory.</summary>
    public string Path { get; }

    /// <summary>A path inside the directory.</summary>
    public string this[string name] => System.IO.Path.Combine(Path, name);

    /// <inheritdoc/>
    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
