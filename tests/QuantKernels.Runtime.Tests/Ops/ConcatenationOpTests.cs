using QuantKernels.Kernels.Quantization;
using Google.FlatBuffers;
using static tflite.BuiltinOperator;

namespace QuantKernels.Runtime.Tests.OpTests;

public class ConcatenationOpTests
{
    private static (tflite.BuiltinOptions, int) Options(FlatBufferBuilder b, int axis, tflite.ActivationFunctionType act = tflite.ActivationFunctionType.NONE)
        => (tflite.BuiltinOptions.ConcatenationOptions, tflite.ConcatenationOptions.CreateConcatenationOptions(b, axis, act).Value);

    [Fact]
    public void Float_concatenates_along_the_last_axis_with_a_negative_axis()
    {
        using var m = new OpTestModel();
        int a = m.W.AddTensor("a", TensorType.Float32, [2, 2]);
        int b = m.W.AddTensor("b", TensorType.Float32, [2, 1]);
        int y = m.W.AddTensor("y", TensorType.Float32, [2, 3]);
        m.W.AddOperator(CONCATENATION, [a, b], [y], w => Options(w, -1));
        m.W.SetInputs(a, b);
        m.W.SetOutputs(y);
        m.Prepare().Input(0, 1f, 2f, 3f, 4f).Input(1, 5f, 6f).Invoke();
        Assert.Equal([2, 3], m.OutputShape(0));
        Assert.Equal([1f, 2f, 5f, 3f, 4f, 6f], m.Output<float>(0));
    }

    [Fact]
    public void Three_int64_inputs_along_axis_0_with_a_constant_one()
    {
        using var m = new OpTestModel();
        int a = m.W.AddTensor("a", TensorType.Int64, [1, 2]);
        int c = m.W.AddConstant("c", TensorType.Int64, [2, 2], new long[] { 10, 11, 12, 13 });
        int b = m.W.AddTensor("b", TensorType.Int64, [1, 2]);
        int y = m.W.AddTensor("y", TensorType.Int64, [4, 2]);
        m.W.AddOperator(CONCATENATION, [a, c, b], [y], w => Options(w, 0));
        m.W.SetInputs(a, b);
        m.W.SetOutputs(y);
        m.Prepare().Input(0, 1L, long.MaxValue).Input(1, -1L, -2L).Invoke();
        Assert.Equal([1L, long.MaxValue, 10, 11, 12, 13, -1, -2], m.Output<long>(0));
    }

    [Fact]
    public void Bool_inputs_are_copied()
    {
        using var m = new OpTestModel();
        int a = m.W.AddTensor("a", TensorType.Bool, [2]);
        int b = m.W.AddTensor("b", TensorType.Bool, [1]);
        int y = m.W.AddTensor("y", TensorType.Bool, [3]);
        m.W.AddOperator(CONCATENATION, [a, b], [y], w => Options(w, 0));
        m.W.SetInputs(a, b);
        m.W.SetOutputs(y);
        m.Prepare().Input(0, true, false).Input(1, true).Invoke();
        Assert.Equal([true, false, true], m.Output<bool>(0));
    }

    [Fact]
    public void Uint8_inputs_with_other_scales_are_requantized_to_the_output()
    {
        // Output scale 0.5, zp 0. Input a has the output's parameters (copied exactly); input b has scale 1.0, zp 10:
        // TFLite ConcatenationWithScaling: scale = 1.0 * (1 / 0.5) = 2, bias = -10 * 2 = -20, q = round(x * 2 - 20) + 0,
        // clamped to [0, 255]: 12 -> 4, 10 -> 0, 0 -> -20 -> 0, 200 -> 380 -> 255.
        using var m = new OpTestModel();
        int a = m.W.AddQuantizedTensor("a", TensorType.UInt8, [1, 2], 0.5f, 0);
        int b = m.W.AddQuantizedTensor("b", TensorType.UInt8, [1, 4], 1.0f, 10);
        int y = m.W.AddQuantizedTensor("y", TensorType.UInt8, [1, 6], 0.5f, 0);
        m.W.AddOperator(CONCATENATION, [a, b], [y], w => Options(w, 1));
        m.W.SetInputs(a, b);
        m.W.SetOutputs(y);
        m.Prepare(RequantConvention.Reference).Input<byte>(0, 7, 255).Input<byte>(1, 12, 10, 0, 200).Invoke();
        Assert.Equal(new byte[] { 7, 255, 4, 0, 0, 255 }, m.Output<byte>(0));
    }

    [Fact]
    public void Int8_inputs_with_other_scales_are_requantized_with_rounding_half_away()
    {
        // Output scale 0.25, zp -3. Input b: scale 0.1, zp 5 -> scale = 0.1 * 4 = 0.4, bias = -2.
        // q = round_half_away(x * 0.4 - 2) - 3: 10 -> 2 - 3 = -1; 0 -> -5; -1 -> round(-2.4) = -2 -> -5;
        // 127 -> round(48.8) = 49 -> 46; -128 -> round(-53.2) = -53 -> -56.  (float32 arithmetic: 0.1f*4 is 0.4f)
        using var m = new OpTestModel();
        int a = m.W.AddQuantizedTensor("a", TensorType.Int8, [1], 0.25f, -3);
        int b = m.W.AddQuantizedTensor("b", TensorType.Int8, [5], 0.1f, 5);
        int y = m.W.AddQuantizedTensor("y", TensorType.Int8, [6], 0.25f, -3);
        m.W.AddOperator(CONCATENATION, [a, b], [y], w => Options(w, 0));
        m.W.SetInputs(a, b);
        m.W.SetOutputs(y);
        m.Prepare(RequantConvention.Reference).Input<sbyte>(0, -128).Input<sbyte>(1, 10, 0, -1, 127, -128).Invoke();
        Assert.Equal(new sbyte[] { -128, -1, -5, -5, 46, -56 }, m.Output<sbyte>(0));
    }

    [Fact]
    public void Fused_relu_clamps_float_and_quantized_outputs()
    {
        using (var m = new OpTestModel())
        {
            int a = m.W.AddTensor("a", TensorType.Float32, [2]);
            int b = m.W.AddTensor("b", TensorType.Float32, [2]);
            int y = m.W.AddTensor("y", TensorType.Float32, [4]);
            m.W.AddOperator(CONCATENATION, [a, b], [y], w => Options(w, 0, tflite.ActivationFunctionType.RELU6));
            m.W.SetInputs(a, b);
            m.W.SetOutputs(y);
            m.Prepare().Input(0, -1f, 3f).Input(1, 7f, 6f).Invoke();
            Assert.Equal([0f, 3f, 6f, 6f], m.Output<float>(0));
        }
        using (var m = new OpTestModel())
        {
            // uint8 scale 0.5 zp 10: RELU clamps below q = 10 (real 0).
            int a = m.W.AddQuantizedTensor("a", TensorType.UInt8, [3], 0.5f, 10);
            int y = m.W.AddQuantizedTensor("y", TensorType.UInt8, [3], 0.5f, 10);
            m.W.AddOperator(CONCATENATION, [a], [y], w => Options(w, 0, tflite.ActivationFunctionType.RELU));
            m.W.SetInputs(a);
            m.W.SetOutputs(y);
            m.Prepare().Input<byte>(0, 3, 10, 200).Invoke();
            Assert.Equal(new byte[] { 10, 10, 200 }, m.Output<byte>(0));
        }
    }

    [Fact]
    public void Mismatched_shapes_off_the_axis_are_a_model_error()
    {
        using var m = new OpTestModel();
        int a = m.W.AddTensor("a", TensorType.Float32, [2, 2]);
        int b = m.W.AddTensor("b", TensorType.Float32, [3, 1]);
        int y = m.W.AddTensor("y", TensorType.Float32, [2, 3]);
        m.W.AddOperator(CONCATENATION, [a, b], [y], w => Options(w, 1));
        m.W.SetInputs(a, b);
        m.W.SetOutputs(y);
        m.PrepareFails("CONCATENATION");
    }

    [Fact]
    public void Mixed_input_types_are_a_model_error()
    {
        using var m = new OpTestModel();
        int a = m.W.AddTensor("a", TensorType.Float32, [2]);
        int b = m.W.AddTensor("b", TensorType.Int32, [2]);
        int y = m.W.AddTensor("y", TensorType.Float32, [4]);
        m.W.AddOperator(CONCATENATION, [a, b], [y], w => Options(w, 0));
        m.W.SetInputs(a, b);
        m.W.SetOutputs(y);
        m.PrepareFails("CONCATENATION");
    }
}
