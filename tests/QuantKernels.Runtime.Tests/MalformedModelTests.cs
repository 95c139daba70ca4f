using QuantKernels.Runtime.Writing;

namespace QuantKernels.Runtime.Tests;

/// <summary>Each malformed model fails with a ModelFormatException whose message names the element at fault.</summary>
public class MalformedModelTests
{
    private static byte[] Valid() => TinyModels.Relu();

    [Fact]
    public void Too_short_file()
    {
        var e = Assert.Throws<ModelFormatException>(() => TfLiteModel.FromBytes([1, 2, 3]));
        Assert.Contains("too short", e.Message);
    }

    [Fact]
    public void Root_offset_outside_the_file()
    {
        var bytes = Valid();
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 4), 1 << 30);
        var e = Assert.Throws<ModelFormatException>(() => TfLiteModel.FromBytes(bytes));
        Assert.Contains("root table offset", e.Message);
    }

    [Fact]
    public void Truncated_file_names_what_was_being_read()
    {
        var bytes = File.ReadAllBytes(TestData.Model("hello_world_int8.tflite"));
        var e = Assert.Throws<ModelFormatException>(() => TfLiteModel.FromBytes(bytes[..(bytes.Length / 2)]));
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    [Fact]
    public void Tensor_index_out_of_range_in_an_operator()
    {
        var w = new TfliteWriter();
        int x = w.AddTensor("x", TensorType.Float32, [4]);
        int y = w.AddTensor("y", TensorType.Float32, [4]);
        w.AddOperator(tflite.BuiltinOperator.RELU, [x, 7], [y]);
        w.SetInputs(x);
        w.SetOutputs(y);
        var e = Assert.Throws<ModelFormatException>(() => TfLiteModel.FromBytes(w.Build()));
        Assert.Contains("operator 0 (RELU) inputs", e.Message);
        Assert.Contains("tensor index 7", e.Message);
    }

    [Fact]
    public void Buffer_size_that_does_not_match_the_shape()
    {
        var w = new TfliteWriter();
        int x = w.AddTensor("x", TensorType.Float32, [4]);
        int c = w.AddTensor("c", TensorType.Float32, [4], data: new byte[12]);
        int y = w.AddTensor("y", TensorType.Float32, [4]);
        w.AddOperator(tflite.BuiltinOperator.ADD, [x, c], [y]);
        w.SetInputs(x);
        w.SetOutputs(y);
        var e = Assert.Throws<ModelFormatException>(() => TfLiteModel.FromBytes(w.Build()));
        Assert.Contains("tensor 1 'c'", e.Message);
        Assert.Contains("holds 12 bytes", e.Message);
    }

    [Fact]
    public void Operators_out_of_execution_order()
    {
        var w = new TfliteWriter();
        int x = w.AddTensor("x", TensorType.Float32, [4]);
        int a = w.AddTensor("a", TensorType.Float32, [4]);
        int b = w.AddTensor("b", TensorType.Float32, [4]);
        w.AddOperator(tflite.BuiltinOperator.RELU, [a], [b]);
        w.AddOperator(tflite.BuiltinOperator.RELU, [x], [a]);
        w.SetInputs(x);
        w.SetOutputs(b);
        var e = Assert.Throws<ModelFormatException>(() => TfLiteModel.FromBytes(w.Build()));
        Assert.Contains("operator 0 (RELU): reads tensor 1 'a'", e.Message);
        Assert.Contains("before any operator writes it", e.Message);
    }

    [Fact]
    public void Tensor_written_twice()
    {
        var w = new TfliteWriter();
        int x = w.AddTensor("x", TensorType.Float32, [4]);
        int a = w.AddTensor("a", TensorType.Float32, [4]);
        w.AddOperator(tflite.BuiltinOperator.RELU, [x], [a]);
        w.AddOperator(tflite.BuiltinOperator.RELU, [x], [a]);
        w.SetInputs(x);
        w.SetOutputs(a);
        var e = Assert.Throws<ModelFormatException>(() => TfLiteModel.FromBytes(w.Build()));
        Assert.Contains("already writes", e.Message);
    }

    [Fact]
    public void Per_axis_scales_that_do_not_match_the_axis()
    {
        var w = new TfliteWriter();
        int x = w.AddTensor("x", TensorType.Int8, [2, 3], scales: [0.1f, 0.2f], zeroPoints: [0, 0], quantizedDimension: 1);
        int y = w.AddTensor("y", TensorType.Int8, [6], scales: [0.1f], zeroPoints: [0]);
        w.AddOperator(tflite.BuiltinOperator.RESHAPE, [x], [y]);
        w.SetInputs(x);
        w.SetOutputs(y);
        var e = Assert.Throws<ModelFormatException>(() => TfLiteModel.FromBytes(w.Build()));
        Assert.Contains("tensor 0 'x': 2 per-axis scales but dimension 1 has size 3", e.Message);
    }

    [Fact]
    public void Negative_dimension()
    {
        var w = new TfliteWriter();
        int x = w.AddTensor("x", TensorType.Float32, [-1, 4]);
        int y = w.AddTensor("y", TensorType.Float32, [4]);
        w.AddOperator(tflite.BuiltinOperator.RESHAPE, [x], [y]);
        w.SetInputs(x);
        w.SetOutputs(y);
        var e = Assert.Throws<ModelFormatException>(() => TfLiteModel.FromBytes(w.Build()));
        Assert.Contains("dimension 0 is -1", e.Message);
    }

    [Fact]
    public void Unsupported_builtin_is_named_at_interpreter_creation()
    {
        var w = new TfliteWriter();
        int x = w.AddTensor("x", TensorType.Float32, [4]);
        int y = w.AddTensor("y", TensorType.Float32, [4]);
        w.AddOperator(tflite.BuiltinOperator.LSTM, [x], [y]);
        w.SetInputs(x);
        w.SetOutputs(y);
        using var model = TfLiteModel.FromBytes(w.Build());
        var e = Assert.Throws<UnsupportedOperatorException>(() => new Interpreter(model));
        Assert.Contains("operator 0 (LSTM)", e.Message);
    }
}
