using static tflite.BuiltinOperator;

namespace QuantKernels.Runtime.Tests.OpTests;

public class PackSplitOpTests
{
    [Fact]
    public void Pack_stacks_along_axis_1()
    {
        using var m = new OpTestModel();
        int a = m.W.AddTensor("a", TensorType.Int32, [2]);
        int b = m.W.AddTensor("b", TensorType.Int32, [2]);
        int c = m.W.AddTensor("c", TensorType.Int32, [2]);
        int y = m.W.AddTensor("y", TensorType.Int32, [2, 3]);
        m.W.AddOperator(PACK, [a, b, c], [y], w => (tflite.BuiltinOptions.PackOptions, tflite.PackOptions.CreatePackOptions(w, 3, 1).Value));
        m.W.SetInputs(a, b, c);
        m.W.SetOutputs(y);
        m.Prepare().Input(0, 1, 4).Input(1, 2, 5).Input(2, 3, 6).Invoke();
        Assert.Equal([2, 3], m.OutputShape(0));
        Assert.Equal([1, 2, 3, 4, 5, 6], m.Output<int>(0));
    }

    [Fact]
    public void Pack_with_a_wrong_values_count_is_a_model_error()
    {
        using var m = new OpTestModel();
        int a = m.W.AddTensor("a", TensorType.Float32, [2]);
        int y = m.W.AddTensor("y", TensorType.Float32, [1, 2]);
        m.W.AddOperator(PACK, [a], [y], w => (tflite.BuiltinOptions.PackOptions, tflite.PackOptions.CreatePackOptions(w, 2, 0).Value));
        m.W.SetInputs(a);
        m.W.SetOutputs(y);
        m.PrepareFails("PACK");
    }

    [Fact]
    public void Unpack_splits_int16_along_axis_1()
    {
        using var m = new OpTestModel();
        int x = m.W.AddTensor("x", TensorType.Int16, [2, 3]);
        int[] ys = [m.W.AddTensor("y0", TensorType.Int16, [2]), m.W.AddTensor("y1", TensorType.Int16, [2]), m.W.AddTensor("y2", TensorType.Int16, [2])];
        m.W.AddOperator(UNPACK, [x], ys, w => (tflite.BuiltinOptions.UnpackOptions, tflite.UnpackOptions.CreateUnpackOptions(w, 3, -1).Value));
        m.W.SetInputs(x);
        m.W.SetOutputs(ys);
        m.Prepare().Input<short>(0, 1, 2, 3, -4, -5, short.MinValue).Invoke();
        Assert.Equal(new short[] { 1, -4 }, m.Output<short>(0));
        Assert.Equal(new short[] { 2, -5 }, m.Output<short>(1));
        Assert.Equal(new short[] { 3, short.MinValue }, m.Output<short>(2));
    }

    [Fact]
    public void Split_divides_the_axis_from_the_constant_axis_input()
    {
        using var m = new OpTestModel();
        int axis = m.W.AddConstant("axis", TensorType.Int32, [], new[] { -1 });
        int x = m.W.AddTensor("x", TensorType.Float32, [2, 4]);
        int y0 = m.W.AddTensor("y0", TensorType.Float32, [2, 2]);
        int y1 = m.W.AddTensor("y1", TensorType.Float32, [2, 2]);
        m.W.AddOperator(SPLIT, [axis, x], [y0, y1], w => (tflite.BuiltinOptions.SplitOptions, tflite.SplitOptions.CreateSplitOptions(w, 2).Value));
        m.W.SetInputs(x);
        m.W.SetOutputs(y0, y1);
        m.Prepare().Input(0, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f).Invoke();
        Assert.Equal([1f, 2f, 5f, 6f], m.Output<float>(0));
        Assert.Equal([3f, 4f, 7f, 8f], m.Output<float>(1));
    }

    [Fact]
    public void Split_with_a_non_constant_axis_is_unsupported_naming_the_operator()
    {
        using var m = new OpTestModel();
        int axis = m.W.AddTensor("axis", TensorType.Int32, []);
        int x = m.W.AddTensor("x", TensorType.Float32, [4]);
        int y0 = m.W.AddTensor("y0", TensorType.Float32, [2]);
        int y1 = m.W.AddTensor("y1", TensorType.Float32, [2]);
        m.W.AddOperator(SPLIT, [axis, x], [y0, y1], w => (tflite.BuiltinOptions.SplitOptions, tflite.SplitOptions.CreateSplitOptions(w, 2).Value));
        m.W.SetInputs(axis, x);
        m.W.SetOutputs(y0, y1);
        var e = m.PrepareFails("SPLIT");
        Assert.IsType<UnsupportedOperatorException>(e);
        Assert.Contains("axis", e.Message);
    }

    [Fact]
    public void Split_that_does_not_divide_is_a_model_error()
    {
        using var m = new OpTestModel();
        int axis = m.W.AddConstant("axis", TensorType.Int32, [], new[] { 0 });
        int x = m.W.AddTensor("x", TensorType.Float32, [5]);
        int y0 = m.W.AddTensor("y0", TensorType.Float32, [2]);
        int y1 = m.W.AddTensor("y1", TensorType.Float32, [2]);
        m.W.AddOperator(SPLIT, [axis, x], [y0, y1], w => (tflite.BuiltinOptions.SplitOptions, tflite.SplitOptions.CreateSplitOptions(w, 2).Value));
        m.W.SetInputs(x);
        m.W.SetOutputs(y0, y1);
        m.PrepareFails("SPLIT");
    }

    [Fact]
    public void SplitV_resolves_a_minus_one_size_with_int64_size_splits()
    {
        using var m = new OpTestModel();
        int x = m.W.AddTensor("x", TensorType.UInt8, [3, 2]);
        int sizes = m.W.AddConstant("sizes", TensorType.Int64, [2], new long[] { 1, -1 });
        int axis = m.W.AddConstant("axis", TensorType.Int32, [1], new[] { 0 });
        int y0 = m.W.AddTensor("y0", TensorType.UInt8, [1, 2]);
        int y1 = m.W.AddTensor("y1", TensorType.UInt8, [2, 2]);
        m.W.AddOperator(SPLIT_V, [x, sizes, axis], [y0, y1], w => (tflite.BuiltinOptions.SplitVOptions, tflite.SplitVOptions.CreateSplitVOptions(w, 2).Value));
        m.W.SetInputs(x);
        m.W.SetOutputs(y0, y1);
        m.Prepare().Input<byte>(0, 1, 2, 3, 4, 5, 6).Invoke();
        Assert.Equal([1, 2], m.OutputShape(0));
        Assert.Equal([2, 2], m.OutputShape(1));
        Assert.Equal(new byte[] { 1, 2 }, m.Output<byte>(0));
        Assert.Equal(new byte[] { 3, 4, 5, 6 }, m.Output<byte>(1));
    }

    [Fact]
    public void SplitV_with_non_constant_sizes_is_unsupported()
    {
        using var m = new OpTestModel();
        int x = m.W.AddTensor("x", TensorType.Float32, [3]);
        int sizes = m.W.AddTensor("sizes", TensorType.Int32, [2]);
        int axis = m.W.AddConstant("axis", TensorType.Int32, [], new[] { 0 });
        int y0 = m.W.AddTensor("y0", TensorType.Float32, [1]);
        int y1 = m.W.AddTensor("y1", TensorType.Float32, [2]);
        m.W.AddOperator(SPLIT_V, [x, sizes, axis], [y0, y1]);
        m.W.SetInputs(x, sizes);
        m.W.SetOutputs(y0, y1);
        Assert.IsType<UnsupportedOperatorException>(m.PrepareFails("SPLIT_V"));
    }
}
