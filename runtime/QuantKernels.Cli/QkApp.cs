using System.CommandLine;
using System.CommandLine.Invocation;

namespace QuantKernels.Cli;

/// <summary>The <c>qk</c> command line: parses arguments, dispatches to a command, maps errors to exit codes.</summary>
public static class QkApp
{
    /// <summary>
    /// Runs <c>qk</c> with <paramref name="args"/>, writing normal output to <paramref name="stdout"/> and errors to
    /// <paramref name="stderr"/>. Returns the exit code: 0 success, 1 runtime error, 2 usage error. Never throws.
    /// </summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            var root = CreateRootCommand(stdout, stderr);
            var result = root.Parse(args);
            // Help clears parse errors (e.g. `qk run --help` without MODEL); anything else with errors is a usage error,
            // reported on one line instead of System.CommandLine's multi-line error-plus-help output.
            if (result.Errors.Count > 0 && result.Action is not CommandLineAction { ClearsParseErrors: true })
            {
                string command = result.CommandResult.Command == root ? "qk" : $"qk {result.CommandResult.Command.Name}";
                string messages = string.Join("; ", result.Errors.Select(e => e.Message.TrimEnd('.')).Distinct());
                CliErrors.Write(stderr, $"{messages} (see '{command} --help')");
                return ExitCodes.UsageError;
            }
            return result.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            // Command actions guard themselves; this catches failures of the parser or of writing output.
            CliErrors.Write(stderr, CliErrors.Describe(e, out int code));
            return code;
        }
    }

    /// <summary>Builds the command tree; writers are captured by the command actions.</summary>
    public static RootCommand CreateRootCommand(TextWriter stdout, TextWriter stderr) =>
        new("qk: inspect, run, compare and benchmark TensorFlow Lite models, and detect objects in photos with the QuantKernels runtime")
        {
            InspectCommand.Create(stdout, stderr),
            RunCommand.Create(stdout, stderr),
            BenchCommand.Create(stdout, stderr),
            CompareCommand.Create(stdout, stderr),
            DetectCommand.Create(stdout, stderr),
            QuantizeCommand.Create(stdout, stderr),
        };
}
