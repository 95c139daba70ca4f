namespace QuantKernels.Runtime.Tests;

/// <summary>The vectorized non-convolution ops of real models run on the dispatched ISA path (a silently skipped
/// path would fail the CI run that promised it through QK_EXPECT_PATH).</summary>
public class HotOpsPathTests
{
    [Fact]
    public void Quantize_mean_and_add_of_tf2_mobilenet_use_the_dispatched_path()
    {
        using var model = TfLiteModel.FromFile(TestData.Model("tf2_mobilenet_v2_1.0_224_ptq.tflite"));
        using var interp = new Interpreter(model);
        interp.AllocateTensors();
        var expected = Kernels.Dispatch.Select(null);
        string? promised = Environment.GetEnvironmentVariable("QK_EXPECT_PATH");
        if (promised is "avx2" or "vector128" or "scalar") Assert.Equal(Kernels.Dispatch.Parse(promised), expected);
        if (promised is "arm64-dp" or "arm64-advsimd") Assert.Equal(Kernels.IsaPath.Vector128, expected);
        int quantize = 0, mean = 0, add = 0;
        for (int i = 0; i < model.Operators.Count; i++)
        {
            string at = model.Operators[i].ToString();
            switch (interp.KernelOf(i))
            {
                case Ops.QuantizeOp q:
                    Assert.True(q.Path == expected, $"{at}: {q.Path}, expected {expected}");
                    quantize++;
                    break;
                case Ops.ReduceOp r:
                    Assert.True(r.Path == expected, $"{at}: {r.Path?.ToString() ?? "generic"}, expected {expected}");
                    mean++;
                    break;
                case Ops.BinaryOp b:
                    Assert.True(b.Path == expected, $"{at}: {b.Path?.ToString() ?? "scalar broadcast"}, expected {expected}");
                    add++;
                    break;
            }
        }
        Assert.Equal((2, 1, 10), (quantize, mean, add)); // uint8 input -> int8, int8 -> uint8 output
    }
}
