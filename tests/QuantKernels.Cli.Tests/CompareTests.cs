using QuantKernels.Cli.Tests.Support;

namespace QuantKernels.Cli.Tests;

public class CompareTests
{
    private static (string Model, string Expected) Mobilenet()
        => (SharedModels.Get("mobilenet_v1_0.25_128_quant.tflite"),
            Path.Combine(SharedModels.FolderOrSkip(), "expected", "mobilenet_v1_0.25_128_quant"));

    [Fact]
    public void Compare_reports_an_exact_match_with_real_TFLite_in_the_xnnpack_convention()
    {
        var (model, expected) = Mobilenet();
        var r = Qk.Run("compare", model, "--inputs", expected, "--expected", expected);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Matches(@"0\s+uint8\s+1001\s+0\s+0\s+\d+\s+ok", r.Stdout);
    }

    [Fact]
    public void Compare_fails_with_one_line_when_outputs_differ()
    {
        // The reference convention differs from the XNNPACK oracle on a few of mobilenet's 1001 bytes (CONVENTIONS.md).
        var (model, expected) = Mobilenet();
        var r = Qk.Run("compare", model, "--inputs", expected, "--expected", expected, "--requant", "reference");
        string line = r.AssertOneLineError(1);
        Assert.Contains("1 of 1 outputs differ", line);
        Assert.Contains("DIFFERS", r.Stdout);
    }
}
