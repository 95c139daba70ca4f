using QuantKernels.Kernels.Quantization;
using QuantKernels.Runtime;
using QuantKernels.Runtime.Ops;

namespace QuantKernels.Cli;

/// <summary>Loading a model and creating a ready interpreter, with the checks every command shares.</summary>
public static class ModelSession
{
    /// <summary>Loads a model; a missing file or a malformed model throws with a message naming the file.</summary>
    public static TfLiteModel Load(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new UsageException("MODEL must be a file path");
        if (Directory.Exists(path)) throw new CliException($"model path is a directory, not a .tflite file: {path}");
        return TfLiteModel.FromFile(path);
    }

    /// <summary>
    /// The operators <paramref name="resolver"/> has no kernel for, grouped by name and version, e.g.
    /// <c>CONV_2D v3 (ops 0, 4)</c>; empty when every operator is supported.
    /// </summary>
    public static IReadOnlyList<string> UnsupportedOperators(TfLiteModel model, OpResolver resolver)
    {
        var groups = new List<(string Key, List<int> Ops)>();
        foreach (var op in model.Operators)
        {
            if (resolver.Supports(op)) continue;
            string key = $"{op.OpName} v{op.Version}";
            int g = groups.FindIndex(x => x.Key == key);
            if (g < 0) groups.Add((key, [op.Index]));
            else groups[g].Ops.Add(op.Index);
        }
        return groups.ConvertAll(g => $"{g.Key} ({(g.Ops.Count == 1 ? "op" : "ops")} {FormatIndexes(g.Ops)})");
    }

    /// <summary>Creates an interpreter and allocates its tensors; every unsupported operator is named in one error.</summary>
    public static Interpreter CreateInterpreter(TfLiteModel model, RequantConvention convention, int threads, bool preserveAllTensors)
    {
        var options = new InterpreterOptions { Convention = convention, Threads = threads, PreserveAllTensors = preserveAllTensors };
        // Checked up front so the user sees all missing ops at once, not just the first one the interpreter meets.
        var unsupported = UnsupportedOperators(model, options.Resolver);
        if (unsupported.Count > 0)
            throw new CliException($"{model.Source}: this runtime does not support {string.Join(", ", unsupported)}");
        var interpreter = new Interpreter(model, options);
        try
        {
            interpreter.AllocateTensors();
        }
        catch
        {
            interpreter.Dispose();
            throw;
        }
        return interpreter;
    }

    /// <summary>Indexes as "0, 4, 7", shortened after 8 entries.</summary>
    public static string FormatIndexes(IReadOnlyList<int> indexes)
    {
        const int Max = 8;
        string head = string.Join(", ", indexes.Take(Max));
        return indexes.Count > Max ? $"{head}, ... {indexes.Count - Max} more" : head;
    }
}
