using QuantKernels.Runtime;

namespace QuantKernels.Quantization.Tests;

public class TinyModelQuantizationTests
{
    /// <summary>The tiny float model quantized with eight calibration samples (seeds 1..8).</summary>
    internal static QuantizationResult Quantize(QuantizationOptions options)
    {
        using var q = new PostTrainingQuantizer(FloatTinyModel.Build(), "tiny");
        for (int seed = 1; seed <= 8; seed++) q.Observe([FloatTinyModel.Input(seed)]);
        return q.Build(options);
    }

    private static float[][] Run(byte[] model, float[] input)
    {
        using var m = TfLiteModel.FromBytes(model);
        using var interpreter = new Interpreter(m);
        interpreter.AllocateTensors();
        interpreter.GetInputTensor(0).CopyFrom<float>(input);
        interpreter.Invoke();
        return Enumerable.Range(0, interpreter.OutputCount).Select(i => interpreter.GetOutputTensor(i).ToArray<float>()).ToArray();
    }

    [Fact]
    public void Int8_model_follows_the_float_model_within_a_few_quantization_steps()
    {
        var result = Quantize(new QuantizationOptions());
        var input = FloatTinyModel.Input(100);
        var expected = Run(FloatTinyModel.Build(), input);
        var actual = Run(result.Model, input);
        Assert.Equal(expected.Length, actual.Length);
        for (int o = 0; o < expected.Length; o++)
        {
            Assert.Equal(expected[o].Length, actual[o].Length);
            float range = expected[o].Max() - expected[o].Min();
            float worst = expected[o].Zip(actual[o], (e, a) => MathF.Abs(e - a)).Max();
            // Eight layers of int8 rounding: a few percent of the output's range, far below what a wrong scale gives.
            Assert.True(worst <= 0.06f * range, $"output {o}: max |float - int8| {worst} over range {range}");
        }
    }

    [Fact]
    public void Report_counts_quantized_folded_and_added_ops()
    {
        var result = Quantize(new QuantizationOptions());
        Assert.Equal(5, result.QuantizedOps["CONV_2D"]);
        Assert.Equal(1, result.QuantizedOps["DEPTHWISE_CONV_2D"]);
        Assert.Equal(3, result.QuantizedOps["RESHAPE"]);
        Assert.Equal(15, result.QuantizedOpCount);
        Assert.Equal(5, result.FoldedOps); // DEQUANTIZE of the fp16 weights and biases
        Assert.Equal(4, result.AddedOps.Count); // QUANTIZE of the input, DEQUANTIZE of three outputs
        Assert.Equal(8, result.CalibrationSamples);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Weights_biases_and_activations_have_TFLite_int8_quantization()
    {
        var result = Quantize(new QuantizationOptions { FloatOutputs = false, Int8Inputs = true });
        using var m = TfLiteModel.FromBytes(result.Model);
        Assert.Equal(TensorType.Int8, m.Tensors[m.Inputs[0]].Type);
        Assert.All(m.Outputs, o => Assert.Equal(TensorType.Int8, m.Tensors[o].Type));
        Assert.DoesNotContain(m.Operators, op => op.BuiltinCode is tflite.BuiltinOperator.DEQUANTIZE or tflite.BuiltinOperator.QUANTIZE);
        foreach (var op in m.Operators)
        {
            foreach (int o in op.Outputs) Assert.Equal(TensorType.Int8, m.Tensors[o].Type);
            if (op.BuiltinCode is not (tflite.BuiltinOperator.CONV_2D or tflite.BuiltinOperator.DEPTHWISE_CONV_2D)) continue;
            var input = m.Tensors[op.Inputs[0]];
            var w = m.Tensors[op.Inputs[1]];
            var b = m.Tensors[op.Inputs[2]];
            int axis = op.BuiltinCode == tflite.BuiltinOperator.CONV_2D ? 0 : 3;
            int channels = w.Shape[axis];
            Assert.Equal(TensorType.Int8, w.Type);
            Assert.Equal(axis, w.Quantization.QuantizedDimension);
            Assert.Equal(channels, w.Quantization.Scales.Count);
            Assert.All(w.Quantization.ZeroPoints, z => Assert.Equal(0, z));
            var q = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, sbyte>(w.Data.Span).ToArray();
            Assert.DoesNotContain((sbyte)-128, q);
            Assert.Contains(q, v => v is 127 or -127); // each tensor reaches its scale's end
            Assert.Equal(TensorType.Int32, b.Type);
            for (int c = 0; c < channels; c++)
                Assert.Equal(input.Quantization.Scale * w.Quantization.Scales[c], b.Quantization.Scales[c]);
        }
    }

    [Fact]
    public void Concat_and_reshape_share_parameters_and_softmax_output_is_fixed()
    {
        var result = Quantize(new QuantizationOptions { FloatOutputs = false });
        using var m = TfLiteModel.FromBytes(result.Model);
        foreach (var op in m.Operators.Where(op => op.BuiltinCode is tflite.BuiltinOperator.CONCATENATION or tflite.BuiltinOperator.RESHAPE or tflite.BuiltinOperator.MAX_POOL_2D))
        {
            var output = m.Tensors[op.Outputs[0]].Quantization;
            var input = m.Tensors[op.Inputs[0]].Quantization;
            Assert.Equal(output.Scale, input.Scale);
            Assert.Equal(output.ZeroPoint, input.ZeroPoint);
        }
        var softmax = m.Operators.Single(op => op.BuiltinCode == tflite.BuiltinOperator.SOFTMAX);
        Assert.Equal(1f / 256f, m.Tensors[softmax.Outputs[0]].Quantization.Scale);
        Assert.Equal(-128, m.Tensors[softmax.Outputs[0]].Quantization.ZeroPoint);
    }

    [Fact]
    public void Quantizing_twice_writes_the_same_bytes() =>
        Assert.Equal(Quantize(new QuantizationOptions()).Model, Quantize(new QuantizationOptions()).Model);

    [Fact]
    public void Build_without_calibration_is_a_clear_error()
    {
        using var q = new PostTrainingQuantizer(FloatTinyModel.Build());
        var e = Assert.Throws<InvalidOperationException>(() => q.Build(new QuantizationOptions()));
        Assert.Contains("calibration", e.Message);
    }

    [Fact]
    public void Wrong_sample_size_is_a_clear_error()
    {
        using var q = new PostTrainingQuantizer(FloatTinyModel.Build());
        var e = Assert.Throws<ArgumentException>(() => q.Observe([new float[3]]));
        Assert.Contains("192", e.Message);
    }

    [Fact]
    public void Unsupported_operator_is_named()
    {
        var w = new QuantKernels.Runtime.Writing.TfliteWriter();
        int x = w.AddTensor("x", TensorType.Float32, [1, 4]);
        int y = w.AddTensor("y", TensorType.Float32, [1, 4]);
        w.AddOperator(tflite.BuiltinOperator.SQRT, [x], [y]);
        w.SetInputs(x);
        w.SetOutputs(y);
        using var q = new PostTrainingQuantizer(w.Build());
        q.Observe([[1f, 2f, 3f, 4f]]);
        var e = Assert.Throws<NotSupportedException>(() => q.Build(new QuantizationOptions()));
        Assert.Contains("SQRT", e.Message);
        Assert.Contains("CONV_2D", e.Message); // lists what is supported
    }

    [Fact]
    public void Explicit_input_range_sets_the_input_parameters()
    {
        var result = Quantize(new QuantizationOptions { InputRange = new ActivationRange(-1f, 1f), Int8Inputs = true });
        using var m = TfLiteModel.FromBytes(result.Model);
        var input = m.Tensors[m.Inputs[0]].Quantization;
        Assert.Equal(2f / 255f, input.Scale, 1e-7f);
        Assert.Equal(-1, input.ZeroPoint);
    }
}
