namespace QuantKernels.Runtime.Tests;

public class ModelLoadingTests
{
    public static TheoryData<string> Models => new(TestData.AllModels());

    [Theory]
    [MemberData(nameof(Models))]
    public void Every_real_model_loads_and_validates(string name)
    {
        using var model = TfLiteModel.FromFile(TestData.Model(name));
        Assert.Equal(3, model.Version);
        Assert.NotEmpty(model.Tensors);
        Assert.NotEmpty(model.Operators);
        Assert.NotEmpty(model.Inputs);
        Assert.NotEmpty(model.Outputs);
        Assert.True(model.WeightBytes > 0);
        foreach (var op in model.Operators)
            foreach (int i in op.Inputs) Assert.InRange(i, -1, model.Tensors.Count - 1);
    }

    [Fact]
    public void Person_detect_bias_quantized_dimension_quirk_is_read_as_axis_0()
    {
        // person_detect.tflite's 1-D per-channel bias tensors carry quantized_dimension=3 (TFLite Micro accepts it).
        using var model = TfLiteModel.FromFile(TestData.Model("person_detect.tflite"));
        var perAxis1D = model.Tensors.Where(t => t.Shape.Count == 1 && t.Quantization.IsPerAxis).ToList();
        Assert.NotEmpty(perAxis1D);
        Assert.All(perAxis1D, t => Assert.Equal(0, t.Quantization.QuantizedDimension));
        Assert.All(perAxis1D, t => Assert.Equal(t.Shape[0], t.Quantization.Scales.Count));
    }

    [Fact]
    public void Mobilenet_v2_quant_reports_uint8_io_and_per_tensor_quantization()
    {
        using var model = TfLiteModel.FromFile(TestData.Model("mobilenet_v2_1.0_224_quant.tflite"));
        var input = model.Tensors[model.Inputs[0]];
        Assert.Equal(TensorType.UInt8, input.Type);
        Assert.Equal([1, 224, 224, 3], input.Shape);
        Assert.False(input.Quantization.IsPerAxis);
        Assert.True(input.Quantization.Scale > 0);
        Assert.Contains(model.Operators, o => o.BuiltinCode == tflite.BuiltinOperator.CONV_2D);
    }

    [Fact]
    public void Constant_data_is_a_view_of_the_model_bytes_not_a_copy()
    {
        byte[] bytes = File.ReadAllBytes(TestData.Model("hello_world_int8.tflite"));
        using var model = TfLiteModel.FromBytes(bytes);
        var weights = model.Tensors.First(t => t.IsConstant);
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(weights.Data, out var seg));
        Assert.Same(bytes, seg.Array);
    }

    [Fact]
    public void Missing_file_is_FileNotFoundException()
        => Assert.Throws<FileNotFoundException>(() => TfLiteModel.FromFile(Path.Combine(Path.GetTempPath(), "no-such-model.tflite")));
}
