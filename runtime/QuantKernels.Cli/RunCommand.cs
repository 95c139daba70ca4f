using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using QuantKernels.Kernels.Quantization;
using QuantKernels.Runtime;

namespace QuantKernels.Cli;

/// <summary>
/// <c>qk run MODEL --inputs DIR --outputs DIR</c>: runs a model once on raw tensor files.
/// Reads <c>input_&lt;i&gt;.bin</c> (raw little-endian bytes, exactly the input's byte size) for every graph input and
/// writes <c>output_&lt;i&gt;.bin</c>; with <c>--all-tensors</c> also <c>tensor_&lt;index&gt;.bin</c> for every non-constant
/// tensor and a <c>tensors.json</c> index.
/// </summary>
public static class RunCommand
{
    /// <summary>Settings of one run.</summary>
    public sealed record Settings(string Model, string InputDir, string OutputDir, RequantConvention Convention, int Threads, bool AllTensors);

    /// <summary>Creates the command writing its summary to <paramref name="stdout"/> and errors to <paramref name="stderr"/>.</summary>
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var model = CommonOptions.Model();
        var inputs = new Option<string>("--inputs")
        {
            Description = "Directory holding input_<i>.bin for every graph input (raw little-endian tensor bytes)",
            HelpName = "DIR",
            Required = true,
        };
        var outputs = new Option<string>("--outputs")
        {
            Description = "Directory to write output_<i>.bin into (created if missing)",
            HelpName = "DIR",
            Required = true,
        };
        var requant = CommonOptions.Requant();
        var threads = CommonOptions.Threads();
        var all = new Option<bool>("--all-tensors")
        {
            Description = "Also write every non-constant tensor as tensor_<index>.bin plus a tensors.json index (keeps all intermediates alive)",
        };
        var command = new Command("run", "Run a model once on raw input files and write its raw outputs")
        {
            model, inputs, outputs, requant, threads, all,
        };
        command.SetAction(result => CliErrors.Guard(stderr, () => Execute(
            new Settings(result.GetValue(model)!, result.GetValue(inputs)!, result.GetValue(outputs)!,
                result.GetValue(requant), result.GetValue(threads), result.GetValue(all)),
            stdout)));
        return command;
    }

    /// <summary>Runs the command; throws on errors (the caller maps them to messages).</summary>
    public static int Execute(Settings s, TextWriter stdout)
    {
        using var model = ModelSession.Load(s.Model);
        if (!Directory.Exists(s.InputDir)) throw new CliException($"inputs directory not found: {s.InputDir}");
        using var interpreter = ModelSession.CreateInterpreter(model, s.Convention, s.Threads, s.AllTensors);

        for (int i = 0; i < interpreter.InputCount; i++)
            interpreter.GetInputTensor(i).CopyFrom(ReadInput(s.InputDir, i, interpreter.GetInputTensor(i)));

        long start = Stopwatch.GetTimestamp();
        interpreter.Invoke();
        double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;

        Directory.CreateDirectory(s.OutputDir);
        for (int i = 0; i < interpreter.OutputCount; i++)
            File.WriteAllBytes(Path.Combine(s.OutputDir, $"output_{i}.bin"), interpreter.GetOutputTensor(i).Bytes);
        int dumped = s.AllTensors ? WriteAllTensors(model, interpreter, s.OutputDir) : 0;

        stdout.WriteLine($"qk run: {Path.GetFileName(s.Model)} invoked in {Formatting.Ms(ms)} ms " +
                         $"({CommonOptions.Name(s.Convention)}, {s.Threads} thread{(s.Threads == 1 ? "" : "s")}); " +
                         $"wrote {interpreter.OutputCount} output(s){(s.AllTensors ? $" and {dumped} tensor(s)" : "")} to {s.OutputDir}");
        return ExitCodes.Success;
    }

    /// <summary>Reads <c>input_&lt;i&gt;.bin</c>, checking it holds exactly the tensor's bytes.</summary>
    public static byte[] ReadInput(string dir, int i, Tensor tensor)
    {
        string path = Path.Combine(dir, $"input_{i}.bin");
        string what = $"input {i} '{tensor.Name}' ({Formatting.TypeAndShape(tensor.Type, tensor.Shape.ToArray())})";
        var info = new FileInfo(path);
        if (!info.Exists)
            throw new CliException($"input file not found: {path}: {what} needs {tensor.ByteSize} bytes");
        if (info.Length != tensor.ByteSize)
            throw new CliException($"input file {path} has {info.Length} bytes but {what} needs exactly {tensor.ByteSize}");
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length != tensor.ByteSize) // the file changed between the two reads
            throw new CliException($"input file {path} has {bytes.Length} bytes but {what} needs exactly {tensor.ByteSize}");
        return bytes;
    }

    /// <summary>Writes every non-constant tensor the graph computes or reads, and tensors.json; returns how many.</summary>
    private static int WriteAllTensors(TfLiteModel model, Interpreter interpreter, string dir)
    {
        // Only tensors the graph touches have storage; dangling tensors (e.g. unused op intermediates) have none.
        var used = new SortedSet<int>(model.Inputs.Concat(model.Outputs));
        foreach (var op in model.Operators)
        {
            foreach (int t in op.Inputs) if (t >= 0) used.Add(t);
            foreach (int t in op.Outputs) used.Add(t);
        }

        var entries = new List<TensorDumpEntry>();
        foreach (int index in used)
        {
            var t = interpreter.GetTensor(index);
            if (t.IsConstant) continue; // weights, and tensors folded at preparation
            string file = $"tensor_{index}.bin";
            File.WriteAllBytes(Path.Combine(dir, file), t.Bytes);
            var q = t.Quantization;
            entries.Add(new TensorDumpEntry(index, t.Name, TensorTypes.Name(t.Type), t.Shape.ToArray(), q.Scale,
                q.ZeroPoints.Count > 0 ? q.ZeroPoints[0] : 0, q.Scales.Count, file));
        }
        var dumpIndex = new TensorDumpIndex(1, model.Source, entries);
        File.WriteAllText(Path.Combine(dir, "tensors.json"), JsonSerializer.Serialize(dumpIndex, CliJsonContext.Default.TensorDumpIndex));
        return entries.Count;
    }
}
