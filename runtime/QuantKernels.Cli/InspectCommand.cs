using System.CommandLine;

namespace QuantKernels.Cli;

/// <summary><c>qk inspect MODEL [--json]</c>: describes a model's graph, tensors, quantization and memory.</summary>
public static class InspectCommand
{
    /// <summary>Creates the command writing to <paramref name="stdout"/> and reporting errors on <paramref name="stderr"/>.</summary>
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var model = CommonOptions.Model();
        var json = new Option<bool>("--json") { Description = "Write the report as JSON (shape documented on QuantKernels.Cli.InspectReport)" };
        var command = new Command("inspect",
            "Describe a model: inputs and outputs, every operator (and whether this runtime supports it), every tensor " +
            "with its quantization, weight bytes and the arena size the interpreter needs")
        {
            model,
            json,
        };
        command.SetAction(result => CliErrors.Guard(stderr, () =>
            Execute(result.GetValue(model)!, result.GetValue(json), stdout)));
        return command;
    }

    /// <summary>Runs the command; throws on errors (the caller maps them to messages).</summary>
    public static int Execute(string modelPath, bool json, TextWriter stdout)
    {
        using var model = ModelSession.Load(modelPath);
        var report = InspectReport.Create(model);
        if (json) stdout.WriteLine(report.ToJson());
        else WriteText(report, stdout);
        return ExitCodes.Success;
    }

    /// <summary>The human-readable form of the report.</summary>
    public static void WriteText(InspectReport r, TextWriter o)
    {
        o.WriteLine($"model: {r.Model}");
        o.WriteLine($"  schema version {r.SchemaVersion}, {r.SubgraphCount} subgraph(s){(r.SubgraphCount > 1 ? " (only the first runs)" : "")}, " +
                    $"{r.TensorCount} tensors, {r.OperatorCount} operators");
        if (!string.IsNullOrEmpty(r.Description)) o.WriteLine($"  description: {CliErrors.OneLine(r.Description)}");
        o.WriteLine($"  weight bytes: {Formatting.Bytes(r.WeightBytes)}");
        if (r.ArenaBytes is { } arena)
        {
            o.WriteLine($"  arena bytes: {Formatting.Bytes(arena)}");
            if (r.FoldedConstantBytes is > 0 and { } folded) o.WriteLine($"  folded constant bytes: {Formatting.Bytes(folded)}");
        }
        else
        {
            o.WriteLine($"  arena bytes: unknown ({r.ArenaError})");
        }
        if (r.UnsupportedOperators.Count > 0)
            o.WriteLine($"  unsupported operators: {string.Join(", ", r.UnsupportedOperators)}");

        WriteIo(o, "inputs", r.Inputs);
        WriteIo(o, "outputs", r.Outputs);

        o.WriteLine($"operators ({r.Operators.Count}):");
        foreach (var op in r.Operators)
            o.WriteLine($"  [{op.Index}] {op.Op} v{op.Version}  in {Formatting.Shape(op.Inputs)} out {Formatting.Shape(op.Outputs)}" +
                        (op.Supported ? "" : "  UNSUPPORTED"));

        o.WriteLine($"tensors ({r.Tensors.Count}):");
        foreach (var t in r.Tensors)
        {
            string extra = t.ConstantBytes > 0 ? $"  const {Formatting.Bytes(t.ConstantBytes)} B" : "";
            if (t.IsVariable) extra += "  variable";
            o.WriteLine($"  [{t.Index}] '{t.Name}' {t.Type}{Formatting.Shape(t.Shape)}  q: {Formatting.Quantization(t.Quantization)}{extra}");
        }
    }

    private static void WriteIo(TextWriter o, string title, IReadOnlyList<GraphIoInfo> list)
    {
        o.WriteLine($"{title} ({list.Count}):");
        foreach (var io in list)
            o.WriteLine($"  [{io.Index}] tensor {io.Tensor} '{io.Name}' {io.Type}{Formatting.Shape(io.Shape)}  q: {Formatting.Quantization(io.Quantization)}");
    }
}
