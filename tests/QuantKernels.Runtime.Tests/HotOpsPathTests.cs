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
        if (promised is "arm64-dp") Assert.Equal(Kernels.IsaPath.AdvSimdDp, expected);
        if (promised is "arm64-advsimd") Assert.Equal(Kernels.IsaPath.AdvSimd, expected);
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

    [Fact]
    public void Float_convolutions_of_a_detector_use_the_dispatched_path_and_threads_change_nothing()
    {
        using var model = TfLiteModel.FromFile(TestData.Model("face_detection_short_range.tflite"));
        var expected = Kernels.Dispatch.Select(null);
        float[] one = Run(model, 1, expected, out int convs, out int depthwise);
        Assert.True(convs >= 20 && depthwise >= 16, $"{convs} CONV_2D and {depthwise} DEPTHWISE_CONV_2D ran the packed float kernels");
        float[] two = Run(model, 2, expected, out _, out _);
        Assert.Equal(one, two); // parts split output pixels; each pixel's arithmetic is the same
    }

    private static float[] Run(TfLiteModel model, int threads, Kernels.IsaPath expected, out int convs, out int depthwise)
    {
        using var interp = new Interpreter(model, new InterpreterOptions { Threads = threads });
        interp.AllocateTensors();
        convs = depthwise = 0;
        for (int i = 0; i < model.Operators.Count; i++)
        {
            Kernels.IsaPath? path = interp.KernelOf(i) switch
            {
                Ops.Conv2DOp c => c.FloatPath,
                Ops.DepthwiseConv2DOp d => d.FloatPath,
                _ => expected,
            };
            Assert.True(path == expected, $"{model.Operators[i]}: {path?.ToString() ?? "reference"}, expected {expected}");
            if (interp.KernelOf(i) is Ops.Conv2DOp) convs++;
            if (interp.KernelOf(i) is Ops.DepthwiseConv2DOp) depthwise++;
        }
        var input = interp.GetInputTensor(0).AsSpan<float>();
        for (int i = 0; i < input.Length; i++) input[i] = (i % 255) / 127.5f - 1;
        interp.Invoke();
        return interp.GetOutputTensor(0).ToArray<float>();
    }
}
