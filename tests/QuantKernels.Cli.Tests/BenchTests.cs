using QuantKernels.Cli.Tests.Support;
using QuantKernels.Kernels.Quantization;
using QuantKernels.Runtime;

namespace QuantKernels.Cli.Tests;

public sealed class BenchTests
{
    [Fact]
    public void Bench_prints_median_min_mean_max()
    {
        using var dir = new TempDir();
        string model = TinyModel.Write(dir);

        var r = Qk.Run("bench", model, "--runs", "5", "--warmup", "1");

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("qk bench: tiny.tflite (xnnpack, 1 thread, 1 warmup, 5 runs, arena ", r.Stdout);
        Assert.Matches(@"\nmedian \d+\.\d{3} ms  min \d+\.\d{3} ms  mean \d+\.\d{3} ms  max \d+\.\d{3} ms\n", r.Stdout);
    }

    [Fact]
    public void Per_op_prints_one_row_per_operator_name()
    {
        using var dir = new TempDir();
        string model = TinyModel.Write(dir);

        var r = Qk.Run("bench", model, "--runs", "3", "--warmup", "1", "--per-op");

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("operator  count  median ms  share\n", r.Stdout);
        using var m = TfLiteModel.FromFile(model);
        foreach (string name in m.Operators.Select(o => o.OpName).Distinct())
            Assert.Matches($@"\n{name} +{m.Operators.Count(o => o.OpName == name)} +\d+\.\d{{3}} +\d+\.\d%\n", r.Stdout);
    }

    [Fact]
    public void InvokeProfiled_rejects_a_short_tick_span()
    {
        using var model = TfLiteModel.FromBytes(TinyModel.Build());
        using var interpreter = ModelSession.CreateInterpreter(model, RequantConvention.Xnnpack, 1, preserveAllTensors: false);
        var e = Assert.Throws<ArgumentException>(() => interpreter.InvokeProfiled(new long[model.Operators.Count - 1]));
        Assert.Contains($"the model has {model.Operators.Count} operators", e.Message);
    }

    [Theory]
    [InlineData("--runs", "0", "--runs must be at least 1, not 0")]
    [InlineData("--warmup", "-1", "--warmup must be at least 0, not -1")]
    [InlineData("--requant", "xla", "--requant must be 'xnnpack' or 'reference'")]
    public void Bad_values_are_usage_errors(string option, string value, string expected)
    {
        var r = Qk.Run("bench", "model.tflite", option, value);
        Assert.Contains(expected, r.AssertOneLineError(2));
    }

    [Fact]
    public void Unsupported_model_fails_with_one_line()
    {
        using var dir = new TempDir();
        string model = TinyModel.Write(dir, new TinyModel.Options(CustomOp: TinyModel.UnsupportedCustomOp));
        Assert.Contains(TinyModel.UnsupportedCustomOp, Qk.Run("bench", model).AssertOneLineError(1));
    }

    [Fact]
    public void Summary_statistics()
    {
        var odd = BenchCommand.Summarize([3.0, 1.0, 2.0]);
        Assert.Equal((2.0, 1.0, 2.0, 3.0, 3), (odd.Median, odd.Min, odd.Mean, odd.Max, odd.Runs));
        var even = BenchCommand.Summarize([10.0, 1.0, 3.0, 2.0]);
        Assert.Equal((2.5, 1.0, 4.0, 10.0, 4), (even.Median, even.Min, even.Mean, even.Max, even.Runs));
        Assert.Throws<ArgumentException>(() => BenchCommand.Summarize([]));
    }

    [Fact]
    public void Random_inputs_are_seeded_and_floats_are_in_range()
    {
        using var model = TfLiteModel.FromBytes(TinyModel.Build());
        using var interpreter = ModelSession.CreateInterpreter(model, RequantConvention.Xnnpack, 1, preserveAllTensors: false);
        var input = interpreter.GetInputTensor(0);

        BenchCommand.FillRandom(input, new Random(42));
        var first = input.ToArray<float>();
        BenchCommand.FillRandom(input, new Random(42));
        var second = input.ToArray<float>();
        BenchCommand.FillRandom(input, new Random(43));
        var other = input.ToArray<float>();

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
        Assert.All(first, v => Assert.InRange(v, -1f, 1f));
    }
}
