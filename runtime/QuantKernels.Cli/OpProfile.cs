using System.Diagnostics;
using QuantKernels.Runtime;

namespace QuantKernels.Cli;

/// <summary>
/// Per-operator-type timings of a model (<c>qk bench --per-op</c>): for each operator name (CONV_2D, ADD, ...), the
/// median over runs of the time all operators of that name took in one Invoke.
/// </summary>
public static class OpProfile
{
    /// <summary>One operator name's share of an Invoke.</summary>
    /// <param name="OpName">Operator name, e.g. <c>CONV_2D</c> or a custom code.</param>
    /// <param name="Count">Operators of that name in the model.</param>
    /// <param name="MedianMs">Median over runs of their summed time per Invoke, in ms.</param>
    public sealed record Row(string OpName, int Count, double MedianMs);

    /// <summary>Runs <paramref name="runs"/> profiled Invokes and returns one row per operator name, slowest first.</summary>
    public static IReadOnlyList<Row> Measure(Interpreter interpreter, int runs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        var ops = interpreter.Model.Operators;
        var names = ops.Select(o => o.OpName).Distinct().ToArray();
        var groupOf = ops.Select(o => Array.IndexOf(names, o.OpName)).ToArray();
        var ticks = new long[ops.Count];
        var perRun = new double[names.Length][];
        for (int g = 0; g < names.Length; g++) perRun[g] = new double[runs];
        for (int r = 0; r < runs; r++)
        {
            Array.Clear(ticks);
            interpreter.InvokeProfiled(ticks);
            for (int i = 0; i < ticks.Length; i++) perRun[groupOf[i]][r] += ticks[i] * 1000.0 / Stopwatch.Frequency;
        }
        return names.Select((n, g) => new Row(n, groupOf.Count(x => x == g), BenchCommand.Summarize(perRun[g]).Median))
            .OrderByDescending(row => row.MedianMs).ToArray();
    }

    /// <summary>Writes the rows as an aligned table with each name's share of the summed medians.</summary>
    public static void Print(IReadOnlyList<Row> rows, TextWriter stdout)
    {
        double total = rows.Sum(r => r.MedianMs);
        int width = Math.Max(8, rows.Count == 0 ? 0 : rows.Max(r => r.OpName.Length));
        stdout.WriteLine($"{"operator".PadRight(width)}  count  median ms  share");
        foreach (var r in rows)
        {
            string share = total > 0 ? (100 * r.MedianMs / total).ToString("F1", System.Globalization.CultureInfo.InvariantCulture) : "0.0";
            stdout.WriteLine($"{r.OpName.PadRight(width)}  {r.Count,5}  {Formatting.Ms(r.MedianMs),9}  {share,4}%");
        }
    }
}
