using QuantKernels.Cli.Tests.Support;

namespace QuantKernels.Cli.Tests;

public sealed class EvalTests
{
    [Fact]
    public void A_model_that_is_not_a_detector_is_a_one_line_runtime_error()
    {
        using var dir = new TempDir();
        string model = TinyModel.Write(dir);
        string line = Qk.Run("eval", model, "--data", "fashion-mnist").AssertOneLineError(1);
        Assert.Contains("not a [1, H, W, 3]", line);
    }

    [Fact]
    public void Bad_data_and_input_range_are_usage_errors()
    {
        using var dir = new TempDir();
        string model = TinyModel.Write(dir);
        Assert.Contains("--input-range must be", Qk.Run("eval", model, "--data", "fashion-mnist", "--input-range", "0,2").AssertOneLineError(2));
        Assert.Contains("--data", Qk.Run("eval", model).AssertOneLineError(2));
    }

    [Fact]
    public void Json_output_has_the_means_as_fractions_and_null_for_classes_without_objects()
    {
        var r = new QuantKernels.Datasets.Evaluation.EvaluationResult(
            [new("a", 2, 3, 0.5, 0.25, 0.3), new("b", 0, 1, double.NaN, double.NaN, double.NaN)], 0.5, 0.3, 7);
        using var doc = System.Text.Json.JsonDocument.Parse(EvalCommand.ToJson(r));
        Assert.Equal(0.5, doc.RootElement.GetProperty("map50").GetDouble());
        Assert.Equal(0.3, doc.RootElement.GetProperty("map").GetDouble());
        Assert.Equal(7, doc.RootElement.GetProperty("images").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, doc.RootElement.GetProperty("classes")[1].GetProperty("ap50").ValueKind);
    }
}
