using System.CommandLine;
using System.Runtime.InteropServices;
using QuantKernels.Kernels.Quantization;
using QuantKernels.Runtime;

namespace QuantKernels.Cli;

/// <summary>
/// <c>qk compare MODEL --inputs DIR --expected DIR</c>: runs a model on raw inputs and compares every output with
/// <c>output_&lt;i&gt;.bin</c> in the expected directory (e.g. real TFLite's outputs): differing elements and the
/// maximum absolute difference per output. Integer outputs must be identical; float outputs within
/// <c>--tolerance</c> (default 1e-4) of the output's largest magnitude.
/// </summary>
public static class CompareCommand
{
    /// <summary>Settings of one comparison.</summary>
    public sealed record Settings(string Model, string InputDir, string ExpectedDir, RequantConvention Convention, int Threads, double Tolerance);

    /// <summary>One output's comparison.</summary>
    public sealed record OutputDiff(int Index, string Name, TensorType Type, long Elements, long Differing, double MaxAbsDiff, double MaxMagnitude, bool Pass);

    /// <summary>Creates the command.</summary>
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var model = CommonOptions.Model();
        var inputs = new Option<string>("--inputs") { Description = "Directory holding input_<i>.bin", HelpName = "DIR", Required = true };
        var expected = new Option<string>("--expected") { Description = "Directory holding the expected output_<i>.bin", HelpName = "DIR", Required = true };
        var tolerance = new Option<double>("--tolerance")
        {
            Description = "Float outputs: largest allowed |difference| relative to the output's largest magnitude",
            DefaultValueFactory = _ => 1e-4,
        };
        var requant = CommonOptions.Requant();
        var threads = CommonOptions.Threads();
        var command = new Command("compare", "Run a model on raw inputs and compare its outputs with expected raw outputs")
        {
            model, inputs, expected, tolerance, requant, threads,
        };
        command.SetAction(result => CliErrors.Guard(stderr, () => Execute(
            new Settings(result.GetValue(model)!, result.GetValue(inputs)!, result.GetValue(expected)!,
                result.GetValue(requant), result.GetValue(threads), result.GetValue(tolerance)), stdout)));
        return command;
    }

    /// <summary>Runs the comparison, prints a table; returns 0 when every output matches.</summary>
    public static int Execute(Settings s, TextWriter stdout)
    {
        var diffs = Compare(s);
        stdout.WriteLine($"{"output",-6} {"type",-8} {"elements",10} {"differing",10} {"max|diff|",12} {"max|expected|",14}  result");
        foreach (var d in diffs)
            stdout.WriteLine($"{d.Index,-6} {TensorTypes.Name(d.Type),-8} {d.Elements,10} {d.Differing,10} {d.MaxAbsDiff,12:G4} {d.MaxMagnitude,14:G4}  {(d.Pass ? "ok" : "DIFFERS")}");
        int failing = diffs.Count(d => !d.Pass);
        if (failing > 0) throw new CliException($"{failing} of {diffs.Count} outputs differ from {s.ExpectedDir} ({CommonOptions.Name(s.Convention)} convention)");
        return ExitCodes.Success;
    }

    /// <summary>Runs the model and compares its outputs; outputs without an expected file are skipped.</summary>
    public static List<OutputDiff> Compare(Settings s)
    {
        using var model = ModelSession.Load(s.Model);
        if (!Directory.Exists(s.InputDir)) throw new CliException($"inputs directory not found: {s.InputDir}");
        if (!Directory.Exists(s.ExpectedDir)) throw new CliException($"expected directory not found: {s.ExpectedDir}");
        using var interpreter = ModelSession.CreateInterpreter(model, s.Convention, s.Threads, preserveAllTensors: false);
        for (int i = 0; i < interpreter.InputCount; i++)
            interpreter.GetInputTensor(i).CopyFrom(RunCommand.ReadInput(s.InputDir, i, interpreter.GetInputTensor(i)));
        interpreter.Invoke();
        var diffs = new List<OutputDiff>();
        for (int i = 0; i < interpreter.OutputCount; i++)
        {
            string file = Path.Combine(s.ExpectedDir, $"output_{i}.bin");
            if (!File.Exists(file)) continue;
            var t = interpreter.GetOutputTensor(i);
            byte[] expected = File.ReadAllBytes(file);
            if (expected.Length != t.ByteSize)
                throw new CliException($"{file} holds {expected.Length} bytes but output {i} {t} has {t.ByteSize}");
            diffs.Add(Diff(i, t, expected, s.Tolerance));
        }
        return diffs;
    }

    private static OutputDiff Diff(int index, Tensor t, byte[] expected, double tolerance)
    {
        long differing = 0;
        double maxDiff = 0, maxMag = 0;
        switch (t.Type)
        {
            case TensorType.Float32:
                Accumulate(t.AsReadOnlySpan<float>(), MemoryMarshal.Cast<byte, float>(expected), x => x);
                return new(index, t.Name, t.Type, t.ElementCount, differing, maxDiff, maxMag, maxDiff <= tolerance * maxMag);
            case TensorType.Int8:
                Accumulate(t.AsReadOnlySpan<sbyte>(), MemoryMarshal.Cast<byte, sbyte>(expected), x => x);
                break;
            case TensorType.Int32:
                Accumulate(t.AsReadOnlySpan<int>(), MemoryMarshal.Cast<byte, int>(expected), x => x);
                break;
            case TensorType.Int64:
                Accumulate(t.AsReadOnlySpan<long>(), MemoryMarshal.Cast<byte, long>(expected), x => x);
                break;
            default:
                Accumulate(t.Bytes, expected, x => x);
                break;
        }
        return new(index, t.Name, t.Type, t.ElementCount, differing, maxDiff, maxMag, differing == 0);

        void Accumulate<T>(ReadOnlySpan<T> actual, ReadOnlySpan<T> wanted, Func<T, double> value)
        {
            for (int k = 0; k < actual.Length; k++)
            {
                double a = value(actual[k]), e = value(wanted[k]);
                double d = Math.Abs(a - e);
                if (double.IsNaN(d)) d = double.PositiveInfinity;
                if (d > 0) differing++;
                maxDiff = Math.Max(maxDiff, d);
                maxMag = Math.Max(maxMag, Math.Abs(e));
            }
        }
    }
}
