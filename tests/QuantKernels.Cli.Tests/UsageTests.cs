using QuantKernels.Cli.Tests.Support;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Cli.Tests;

public sealed class UsageTests
{
    [Theory]
    [InlineData(new string[] { "--help" }, "inspect, run, compare and benchmark")]
    [InlineData(new string[] { "-h" }, "inspect, run, compare and benchmark")]
    [InlineData(new string[] { "inspect", "--help" }, "--json")]
    [InlineData(new string[] { "run", "--help" }, "--all-tensors")]
    [InlineData(new string[] { "bench", "--help" }, "--warmup")]
    public void Help_works_on_every_command(string[] args, string expected)
    {
        var r = Qk.Run(args);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stderr);
        Assert.Contains("Usage:", r.Stdout);
        Assert.Contains("Description:", r.Stdout);
        Assert.Contains(expected, r.Stdout);
    }

    [Fact]
    public void Root_help_lists_the_commands()
    {
        var r = Qk.Run("--help");
        foreach (var command in new[] { "inspect <MODEL>", "run <MODEL>", "bench <MODEL>" }) Assert.Contains(command, r.Stdout);
    }

    [Fact]
    public void Run_help_describes_every_option()
    {
        var r = Qk.Run("run", "--help");
        foreach (var option in new[] { "--inputs <DIR>", "--outputs <DIR>", "--requant <xnnpack|reference>", "--threads <N>", "--all-tensors" })
            Assert.Contains(option, r.Stdout);
    }

    [Theory]
    [InlineData(new string[0], "Required command was not provided")]
    [InlineData(new[] { "frobnicate" }, "frobnicate")]
    [InlineData(new[] { "inspect" }, "Required argument missing")]
    [InlineData(new[] { "inspect", "m.tflite", "--bogus" }, "--bogus")]
    public void Usage_errors_exit_2_with_one_line(string[] args, string expected)
    {
        var r = Qk.Run(args);
        Assert.Contains(expected, r.AssertOneLineError(2));
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public void Missing_model_for_inspect_is_a_runtime_error()
    {
        using var dir = new TempDir();
        Assert.Contains(dir["absent.tflite"], Qk.Run("inspect", dir["absent.tflite"]).AssertOneLineError(1));
        Assert.Contains("directory", Qk.Run("inspect", dir.Path).AssertOneLineError(1));
    }

    [Theory]
    [InlineData("xnnpack", RequantConvention.Xnnpack)]
    [InlineData("XNNPACK", RequantConvention.Xnnpack)]
    [InlineData("reference", RequantConvention.Reference)]
    [InlineData(" Reference ", RequantConvention.Reference)]
    [InlineData("ref", RequantConvention.Reference)]
    public void Requant_words_map_to_conventions(string word, RequantConvention expected)
    {
        Assert.Equal(expected, CommonOptions.ParseRequant(word));
        Assert.Equal(expected, CommonOptions.ParseRequant(CommonOptions.Name(expected)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("gemmlowp")]
    public void Unknown_requant_words_are_rejected(string word) => Assert.Null(CommonOptions.ParseRequant(word));

    [Fact]
    public void Error_messages_are_collapsed_to_one_line()
    {
        Assert.Equal("a b c", CliErrors.OneLine("a\r\n b\n\nc "));
        var stderr = new StringWriter();
        CliErrors.Write(stderr, "first\nsecond");
        Assert.Equal("qk: error: first second" + Environment.NewLine, stderr.ToString());
    }

    [Fact]
    public void Unexpected_exceptions_are_reported_as_internal_errors_with_exit_1()
    {
        var stderr = new StringWriter();
        int code = CliErrors.Guard(stderr, () => throw new NullReferenceException("boom\nat somewhere"));
        Assert.Equal(1, code);
        Assert.Equal("qk: error: internal error (NullReferenceException): boom at somewhere" + Environment.NewLine, stderr.ToString());
        Assert.Equal(2, CliErrors.Guard(new StringWriter(), () => throw new UsageException("bad")));
    }
}
