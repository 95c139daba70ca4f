using QuantKernels.Runtime;

namespace QuantKernels.Quantization.Tests;

/// <summary>
/// The quantizer's output checked against real TFLite: testdata/quantization/tiny holds the int8 model the quantizer
/// wrote from <see cref="FloatTinyModel"/> (raw int8 outputs), an input, and the outputs the oracle (TFLite WebAssembly
/// with XNNPACK) computed for it. Made once with
/// <c>node ../oracle/tflite_wasm_run.js tiny_int8.tflite --iters 1 --in DIR --out DIR</c>.
/// </summary>
public class OracleAgreementTests
{
    private static string Dir => TestData.Path("quantization", "tiny");

    [Fact]
    public void Quantizer_still_writes_the_model_the_oracle_ran()
    {
        var result = TinyModelQuantizationTests.Quantize(new QuantizationOptions { FloatOutputs = false });
        Assert.Equal(File.ReadAllBytes(Path.Combine(Dir, "tiny_int8.tflite")), result.Model);
    }

    [Fact]
    public void Our_runtime_gives_real_TFLite_int8_outputs_byte_for_byte()
    {
        using var model = TfLiteModel.FromFile(Path.Combine(Dir, "tiny_int8.tflite"));
        using var interpreter = new Interpreter(model, new InterpreterOptions { Convention = QuantKernels.Kernels.Quantization.RequantConvention.Xnnpack });
        interpreter.AllocateTensors();
        interpreter.GetInputTensor(0).CopyFrom(File.ReadAllBytes(Path.Combine(Dir, "input_0.bin")));
        interpreter.Invoke();
        Assert.Equal(3, interpreter.OutputCount);
        for (int i = 0; i < interpreter.OutputCount; i++)
        {
            var expected = File.ReadAllBytes(Path.Combine(Dir, $"output_{i}.bin"));
            Assert.Equal(expected, interpreter.GetOutputTensor(i).Bytes.ToArray());
        }
    }
}

/// <summary>
/// The shipped int8 detector against real TFLite: testdata/models/detector/oracle/dog holds dog.jpg's input as the
/// int8 codes the model's QUANTIZE produces (input_int8.bin; the float input is (q - zp) * scale, which quantizes back
/// to exactly q) and the oracle's four post-process outputs for that input.
/// </summary>
public class DetectorOracleTests
{
    [Fact]
    public void Shipped_detector_gives_real_TFLite_detections_byte_for_byte()
    {
        string dir = TestData.Path("models", "detector", "oracle", "dog");
        using var model = TfLiteModel.FromFile(TestData.Path("models", "detector", "ssd_mobilenetv2_oidv4_int8.tflite"));
        using var interpreter = new Interpreter(model);
        interpreter.AllocateTensors();
        var quantize = model.Operators[0];
        Assert.Equal(tflite.BuiltinOperator.QUANTIZE, quantize.BuiltinCode);
        var q = model.Tensors[quantize.Outputs[0]].Quantization;
        var codes = File.ReadAllBytes(Path.Combine(dir, "input_int8.bin"));
        var input = new float[codes.Length];
        for (int i = 0; i < codes.Length; i++) input[i] = ((float)(sbyte)codes[i] - q.ZeroPoint) * q.Scale;
        interpreter.GetInputTensor(0).CopyFrom<float>(input);
        interpreter.Invoke();
        Assert.Equal(4, interpreter.OutputCount);
        for (int i = 0; i < 4; i++)
            Assert.Equal(File.ReadAllBytes(Path.Combine(dir, $"output_{i}.bin")), interpreter.GetOutputTensor(i).Bytes.ToArray());
        Assert.Equal(7f, interpreter.GetOutputTensor(3).ToArray<float>()[0]);
    }
}
