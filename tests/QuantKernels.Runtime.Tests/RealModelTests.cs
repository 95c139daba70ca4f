using System.Runtime.InteropServices;

namespace QuantKernels.Runtime.Tests;

/// <summary>Real models nobody here wrote: every operator they use is implemented, and the ones without plain oracle outputs run correctly.</summary>
public class RealModelTests
{
    // The Edge TPU op of the coral SSD segment cannot run on a CPU at all (it carries compiled Edge TPU code).
    private static readonly string[] OutOfScope = ["edgetpu-custom-op"];

    public static TheoryData<string> Models => new(TestData.AllModels());

    [Theory]
    [MemberData(nameof(Models))]
    public void Every_operator_of_every_real_model_is_implemented(string name)
    {
        using var model = TfLiteModel.FromFile(TestData.Model(name));
        var resolver = Ops.OpResolver.CreateDefault();
        var missing = model.Operators.Where(o => !resolver.Supports(o) && !OutOfScope.Contains(o.OpName)).Select(o => o.ToString()).ToList();
        Assert.True(missing.Count == 0, string.Join(", ", missing));
    }

    [Fact]
    public void Deeplab_segmentation_argmax_equals_the_argmax_of_real_TFLite_logits()
    {
        // The oracle cannot read deeplab's INT64 ARG_MAX output; testdata/oracle-extra holds its uint8 input (the
        // logits), which OracleTensorTests pins byte for byte. Here: the model's own output is their argmax.
        string dir = Path.Combine(TestData.ModelsDir, "..", "oracle-extra", "deeplabv3_mnv2_dm05_pascal_quant.tensor184");
        using var model = TfLiteModel.FromFile(TestData.Model("deeplabv3_mnv2_dm05_pascal_quant.tflite"));
        using var interp = new Interpreter(model);
        interp.AllocateTensors();
        interp.GetInputTensor(0).CopyFrom(File.ReadAllBytes(Path.Combine(dir, "input_0.bin")));
        interp.Invoke();
        var output = interp.GetOutputTensor(0);
        Assert.Equal(TensorType.Int64, output.Type);
        Assert.Equal([1, 513, 513], output.Shape.ToArray());
        byte[] logits = File.ReadAllBytes(Path.Combine(dir, "output_0.bin"));
        var labels = output.AsReadOnlySpan<long>();
        const int classes = 21;
        int mismatches = 0;
        for (int p = 0; p < labels.Length; p++)
        {
            int best = 0;
            for (int c = 1; c < classes; c++) if (logits[p * classes + c] > logits[p * classes + best]) best = c;
            if (labels[p] != best) mismatches++;
        }
        Assert.Equal(0, mismatches);
    }

    [Fact]
    public void Person_detect_runs_as_shipped_with_its_quantized_dimension_quirk()
    {
        using var model = TfLiteModel.FromFile(TestData.Model("person_detect.tflite"));
        using var interp = new Interpreter(model);
        interp.AllocateTensors();
        var rng = new Random(7);
        var input = new byte[interp.GetInputTensor(0).ByteSize];
        rng.NextBytes(input);
        interp.GetInputTensor(0).CopyFrom(input);
        interp.Invoke();
        var scores = interp.GetOutputTensor(0).ToArray<sbyte>();
        Assert.Equal(2, scores.Length);
        // A 2-class int8 softmax with output (1/256, -128): probabilities sum to ~1.
        double sum = scores.Sum(s => (s + 128) / 256.0);
        Assert.InRange(sum, 0.98, 1.02);
    }
}

/// <summary>The ops of a real int8 model really run the packed SIMD kernels the process dispatches to.</summary>
public class DispatchedPathTests
{
    [Fact]
    public void Conv_depthwise_and_fc_of_a_real_model_use_the_dispatched_path()
    {
        using var model = TfLiteModel.FromFile(TestData.Model("mobilenet_v2_quantized_1x3x224x224.tflite"));
        using var interp = new Interpreter(model);
        interp.AllocateTensors();
        var expected = Kernels.Dispatch.Select(null);
        string? promised = Environment.GetEnvironmentVariable("QK_EXPECT_PATH");
        if (promised is "avxvnni" or "avx2" or "vector128" or "scalar") Assert.Equal(Kernels.Dispatch.Parse(promised), expected);
        if (promised is "best-x64")
            Assert.Equal(System.Runtime.Intrinsics.X86.AvxVnni.IsSupported ? Kernels.IsaPath.AvxVnni : Kernels.IsaPath.Avx2, expected);
        if (promised is "arm64-dp") Assert.Equal(Kernels.IsaPath.AdvSimdDp, expected);
        if (promised is "arm64-advsimd") Assert.Equal(Kernels.IsaPath.AdvSimd, expected);
        int checkedOps = 0;
        for (int i = 0; i < model.Operators.Count; i++)
        {
            Kernels.IsaPath? path = interp.KernelOf(i) switch
            {
                Ops.Conv2DOp c => c.Path,
                Ops.DepthwiseConv2DOp d => d.Path,
                Ops.FullyConnectedOp f => f.Path,
                _ => (Kernels.IsaPath?)expected,
            };
            Assert.True(path == expected, $"{model.Operators[i]} prepared path {path?.ToString() ?? "reference"}, expected {expected}");
            checkedOps++;
        }
        Assert.True(checkedOps > 50);
    }
}
