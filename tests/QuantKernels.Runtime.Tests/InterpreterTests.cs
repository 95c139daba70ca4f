namespace QuantKernels.Runtime.Tests;

public class InterpreterTests
{
    [Fact]
    public void Reshape_chain_runs_and_copies_data_through()
    {
        using var model = TfLiteModel.FromBytes(TinyModels.ReshapeChain());
        using var interp = new Interpreter(model);
        interp.AllocateTensors();
        float[] input = [1, 2, 3, 4, 5, 6];
        interp.GetInputTensor(0).CopyFrom<float>(input);
        interp.Invoke();
        var output = interp.GetOutputTensor(0);
        Assert.Equal([6], output.Shape.ToArray());
        Assert.Equal(input, output.ToArray<float>());
        Assert.Equal([3, 2], interp.GetTensor(1).Shape.ToArray());
        Assert.True(interp.ArenaBytes > 0);
    }

    [Fact]
    public void ResizeInputTensor_then_AllocateTensors_propagates_the_new_shape()
    {
        using var model = TfLiteModel.FromBytes(TinyModels.Relu());
        using var interp = new Interpreter(model);
        interp.AllocateTensors();
        interp.ResizeInputTensor(0, [3, 4]);
        Assert.Throws<InvalidOperationException>(interp.Invoke);
        interp.AllocateTensors();
        float[] input = [-1, 2, -3, 4, 5, -6, 7, -8, 9, 10, -11, 12];
        interp.GetInputTensor(0).CopyFrom<float>(input);
        interp.Invoke();
        Assert.Equal([3, 4], interp.GetOutputTensor(0).Shape.ToArray());
        Assert.Equal(input.Select(v => Math.Max(v, 0f)).ToArray(), interp.GetOutputTensor(0).ToArray<float>());
    }

    [Fact]
    public void Invoke_before_AllocateTensors_is_a_clear_error()
    {
        using var model = TfLiteModel.FromBytes(TinyModels.ReshapeChain());
        using var interp = new Interpreter(model);
        var e = Assert.Throws<InvalidOperationException>(interp.Invoke);
        Assert.Contains("AllocateTensors", e.Message);
    }

    [Fact]
    public void Wrong_input_size_is_a_clear_error()
    {
        using var model = TfLiteModel.FromBytes(TinyModels.ReshapeChain());
        using var interp = new Interpreter(model);
        interp.AllocateTensors();
        var e = Assert.Throws<ArgumentException>(() => interp.GetInputTensor(0).CopyFrom<float>(new float[5]));
        Assert.Contains("holds 24 bytes", e.Message);
    }

    [Fact]
    public void Tensors_are_found_by_name()
    {
        using var model = TfLiteModel.FromBytes(TinyModels.ReshapeChain());
        using var interp = new Interpreter(model);
        Assert.Equal(2, interp.FindTensor("b")!.Index);
        Assert.Null(interp.FindTensor("nope"));
    }

    [Fact]
    public void Custom_ops_are_registered_by_name()
    {
        var w = new Writing.TfliteWriter();
        int x = w.AddTensor("x", TensorType.Float32, [3]);
        int y = w.AddTensor("y", TensorType.Float32, [3]);
        w.AddCustomOperator("Double", [x], [y]);
        w.SetInputs(x);
        w.SetOutputs(y);
        using var model = TfLiteModel.FromBytes(w.Build());
        Assert.Throws<UnsupportedOperatorException>(() => new Interpreter(model));
        var options = new InterpreterOptions();
        options.Resolver.AddCustom("Double", () => new DoubleOp());
        using var interp = new Interpreter(model, options);
        interp.AllocateTensors();
        interp.GetInputTensor(0).CopyFrom<float>([1, 2, 3]);
        interp.Invoke();
        Assert.Equal([2f, 4f, 6f], interp.GetOutputTensor(0).ToArray<float>());
    }

    private sealed class DoubleOp : Ops.OpKernel
    {
        public override void Prepare(Ops.OpContext context) => context.SetOutputShape(0, context.Input(0).Shape);

        public override void Invoke(Ops.OpContext context)
        {
            var src = context.Input(0).AsReadOnlySpan<float>();
            var dst = context.Output(0).AsSpan<float>();
            for (int i = 0; i < src.Length; i++) dst[i] = 2 * src[i];
        }
    }
}

public class OutputsPatcherTests
{
    [Fact]
    public void Patched_model_lists_every_requested_tensor_as_output_and_still_validates()
    {
        byte[] bytes = File.ReadAllBytes(TestData.Model("mobilenet_v2_1.0_224_quant.tflite"));
        using var original = TfLiteModel.FromBytes(bytes);
        int[] all = Writing.OutputsPatcher.NonConstantTensors(original);
        using var patched = TfLiteModel.FromBytes(Writing.OutputsPatcher.WithOutputs(bytes, all));
        Assert.Equal(all, patched.Outputs);
        Assert.Equal(original.Operators.Count, patched.Operators.Count);
        Assert.Equal(original.WeightBytes, patched.WeightBytes);
    }
}
