using QuantKernels.Runtime;

namespace QuantKernels.Cli;

/// <summary>Exit codes of <c>qk</c>.</summary>
public static class ExitCodes
{
    /// <summary>The command succeeded.</summary>
    public const int Success = 0;

    /// <summary>The command was well formed but failed: missing or invalid files, unsupported or malformed models.</summary>
    public const int RuntimeError = 1;

    /// <summary>The command line itself was wrong: unknown options, bad option values, missing arguments.</summary>
    public const int UsageError = 2;
}

/// <summary>A failure the user can fix by changing the command line (exit code 2).</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>A failure with a message fit to show as is (exit code 1): bad input files, unsupported models.</summary>
public sealed class CliException(string message) : Exception(message);

/// <summary>Turns exceptions into the one-line <c>qk: error: ...</c> messages and exit codes; never prints a stack trace.</summary>
public static class CliErrors
{
    /// <summary>Writes <c>qk: error: message</c> on one line.</summary>
    public static void Write(TextWriter stderr, string message) => stderr.WriteLine($"qk: error: {OneLine(message)}");

    /// <summary>Runs <paramref name="action"/>, mapping every exception to a one-line error and an exit code.</summary>
    public static int Guard(TextWriter stderr, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e)
        {
            Write(stderr, Describe(e, out int code));
            return code;
        }
    }

    /// <summary>The message to show for <paramref name="e"/> and the exit code it maps to.</summary>
    public static string Describe(Exception e, out int exitCode)
    {
        exitCode = e is UsageException ? ExitCodes.UsageError : ExitCodes.RuntimeError;
        return e switch
        {
            // These carry messages written for users (they name the file, tensor or operator).
            UsageException or CliException or ModelFormatException or FileNotFoundException
                or DirectoryNotFoundException or UnauthorizedAccessException or IOException or InvalidDataException => e.Message,
            // Invoke wraps kernel failures in InvalidOperationException naming the operator.
            InvalidOperationException or ArgumentException or NotSupportedException => e.Message,
            OutOfMemoryException => "out of memory",
            // Anything else is a bug in qk or the runtime; say so, still on one line.
            _ => $"internal error ({e.GetType().Name}): {e.Message}",
        };
    }

    /// <summary>Collapses line breaks so a message always fits on one line.</summary>
    public static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
