using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using QuantKernels.Kernels.Quantization;
using QuantKernels.Runtime;

namespace QuantKernels.Cli;

/// <summary><c>qk bench MODEL</c>: times Invoke on seeded pseudo-random inputs and prints median, min, mean and max.</summary>
public static class BenchCommand
{
    /// <summary>Settings of one benchmark.</summary>
    public sealed record Settings(string Model, int Runs, int Warmup, int Threads, RequantConvention Convention, int Seed, bool PerOp = false);

    /// <summary>Timings of the measured runs, in milliseconds.</summary>
    public sealed record Result(double Median, double Min, double Mean, double Max, int Runs);

    /// <summary>Creates the command writing its report to <paramref name="stdout"/> and errors to <paramref name="stderr"/>.</summary>
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var model = CommonOptions.Model();
        var runs = CommonOptions.IntAtLeast("--runs", 1, 20, "Timed Invoke calls");
        var warmup = CommonOptions.IntAtLeast("--warmup", 0, 3, "Untimed Invoke calls before timing");
        var threads = CommonOptions.Threads();
        var requant = CommonOptions.Requant();
        var seed = new Option<int>("--seed") { Description = "Seed of the pseudo-random inputs", HelpName = "N", DefaultValueFactory = _ => 1 };
        var perOp = new Option<bool>("--per-op") { Description = "Also time each operator: median ms per operator name, slowest first" };
        var command = new Command("bench", "Time Invoke on pseudo-random inputs: prints median, min, mean and max in ms")
        {
            model, runs, warmup, threads, requant, seed, perOp,
        };
        command.SetAction(result => CliErrors.Guard(stderr, () => Execute(
            new Settings(result.GetValue(model)!, result.GetValue(runs), result.GetValue(warmup), result.GetValue(threads),
                result.GetValue(requant), result.GetValue(seed), result.GetValue(perOp)),
            stdout)));
        return command;
    }

    /// <summary>Runs the benchmark and prints its report; throws on errors (the caller maps them to messages).</summary>
    public static int Execute(Settings s, TextWriter stdout)
    {
        using var model = ModelSession.Load(s.Model);
        using var interpreter = ModelSession.CreateInterpreter(model, s.Convention, s.Threads, preserveAllTensors: false);
        var random = new Random(s.Seed);
        for (int i = 0; i < interpreter.InputCount; i++) FillRandom(interpreter.GetInputTensor(i), random);

        for (int i = 0; i < s.Warmup; i++) interpreter.Invoke();
        var times = new double[s.Runs];
        for (int i = 0; i < times.Length; i++)
        {
            long start = Stopwatch.GetTimestamp();
            interpreter.Invoke();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        var r = Summarize(times);
        stdout.WriteLine($"qk bench: {Path.GetFileName(s.Model)} ({CommonOptions.Name(s.Convention)}, {s.Threads} thread{(s.Threads == 1 ? "" : "s")}, " +
                         $"{s.Warmup} warmup, {r.Runs} runs, arena {Formatting.Bytes(interpreter.ArenaBytes)} B)");
        stdout.WriteLine($"median {Formatting.Ms(r.Median)} ms  min {Formatting.Ms(r.Min)} ms  mean {Formatting.Ms(r.Mean)} ms  max {Formatting.Ms(r.Max)} ms");
        // Profiled runs come after the whole-model timing, so the per-operator clock reads never inflate its numbers.
        if (s.PerOp) OpProfile.Print(OpProfile.Measure(interpreter, s.Runs), stdout);
        return ExitCodes.Success;
    }

    /// <summary>Median (mean of the middle two for an even count), min, mean and max of <paramref name="times"/>.</summary>
    public static Result Summarize(IReadOnlyList<double> times)
    {
        if (times.Count == 0) throw new ArgumentException("no timings", nameof(times));
        var sorted = times.Order().ToArray();
        int n = sorted.Length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Result(median, sorted[0], sorted.Average(), sorted[^1], n);
    }

    /// <summary>
    /// Fills a tensor with seeded pseudo-random data: floats uniform in [-1, 1) (random bit patterns would give NaNs and
    /// denormals that distort timing), bools 0/1, every other type random bytes.
    /// </summary>
    public static void FillRandom(Tensor tensor, Random random)
    {
        switch (tensor.Type)
        {
            case TensorType.Float32:
                foreach (ref float v in tensor.AsSpan<float>()) v = (float)(random.NextDouble() * 2 - 1);
                break;
            case TensorType.Float64:
                foreach (ref double v in tensor.AsSpan<double>()) v = random.NextDouble() * 2 - 1;
                break;
            case TensorType.Float16:
                foreach (ref Half v in tensor.AsSpan<Half>()) v = (Half)(random.NextDouble() * 2 - 1);
                break;
            case TensorType.Bool:
                foreach (ref byte v in tensor.AsSpan<byte>()) v = (byte)random.Next(2);
                break;
            default:
                random.NextBytes(tensor.AsSpan<byte>());
                break;
        }
    }
}
