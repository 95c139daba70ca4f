using static tflite.BuiltinOperator;

namespace QuantKernels.Runtime.Tests.OpTests;

public class SliceOpTests
{
    [Fact]
    public void Slice_takes_begin_and_size_with_minus_one_to_the_end()
    {
        using var m = new OpTestModel();
        int x = m.W.AddTensor("x", TensorType.Int8, [3, 4]);
        int begin = m.W.AddConstant("begin", TensorType.Int32, [2], new[] { 1, 1 });
        int size = m.W.AddConstant("size", TensorType.Int64, [2], new long[] { 2, -1 });
        int y = m.W.AddTensor("y", TensorType.Int8, [2, 3]);
        m.W.AddOperator(SLICE, [x, begin, size], [y]);
        m.W.SetInputs(x);
        m.W.SetOutputs(y);
        m.Prepare().Input<sbyte>(0, 0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23).Invoke();
        Assert.Equal([2, 3], m.OutputShape(0));
        Assert.Equal(new sbyte[] { 11, 12, 13, 21, 22, 23 }, m.Output<sbyte>(0));
    }

    [Fact]
    public void Slice_with_non_constant_begin_is_unsupported_naming_the_operator()
    {
        using var m = new OpTestModel();
        int x = m.W.AddTensor("x", TensorType.Float32, [4]);
        int begin = m.W.AddTensor("begin", TensorType.Int32, [1]);
        int size = m.W.AddConstant("size", TensorType.Int32, [1], new[] { 2 });
        int y = m.W.AddTensor("y", TensorType.Float32, [2]);
        m.W.AddOperator(SLICE, [x, begin, size], [y]);
        m.W.SetInputs(x, begin);
        m.W.SetOutputs(y);
        Assert.IsType<UnsupportedOperatorException>(m.PrepareFails("SLICE"));
    }

    [Fact]
    public void Strided_slice_with_a_negative_stride()
    {
        // x[4:0:-2] of [0..4] = [4, 2]
        using var m = new OpTestModel();
        int x = m.W.AddTensor("x", TensorType.Float32, [5]);
        int begin = m.W.AddConstant("begin", TensorType.Int32, [1], new[] { 4 });
        int end = m.W.AddConstant("end", TensorType.Int32, [1], new[] { 0 });
        int strides = m.W.AddConstant("strides", TensorType.Int32, [1], new[] { -2 });
        int y = m.W.AddTensor("y", TensorType.Float32, [2]);
        m.W.AddOperator(STRIDED_SLICE, [x, begin, end, strides], [y]);
        m.W.SetInputs(x);
        m.W.SetOutputs(y);
        m.Prepare().Input(0, 0f, 1f, 2f, 3f, 4f).Invoke();
        Assert.Equal([4f, 2f], m.Output<float>(0));
    }

    [Fact]
    public void Strided_slice_masks_shrink_and_end_mask()
    {
        // x[1, ::2] of [[0,1,2],[3,4,5]]: shrink axis 0 (begin 1), end_mask on axis 1 -> [3, 5], rank 1.
        using var m = new OpTestModel();
        int x = m.W.AddTensor("x", TensorType.Int32, [2, 3]);
        int begin = m.W.AddConstant("begin", TensorType.Int32, [2], new[] { 1, 0 });
        int end = m.W.AddConstant("end", TensorType.Int32, [2], new[] { 2, 0 });
        int strides = m.W.AddConstant("strides", TensorType.Int32, [2], new[] { 1, 2 });
        int y = m.W.AddTensor("y", TensorType.Int32, [2]);
        m.W.AddOperator(STRIDED_SLICE, [x, begin, end, strides], [y], w => (tflite.BuiltinOptions.StridedSliceOptions,
            tflite.StridedSliceOptions.CreateStridedSliceOptions(w, end_mask: 2, shrink_axis_mask: 1).Value));
        m.W.SetInputs(x);
        m.W.SetOutputs(y);
        m.Prepare().Input(0, 0, 1, 2, 3, 4, 5).Invoke();
        Assert.Equal([2], m.OutputShape(0));
        Assert.Equal([3, 5], m.Output<int>(0));
    }

    [Fact]
    public void Strided_slice_zero_stride_is_a_model_error()
    {
        using var m = new OpTestModel();
        int x = m.W.AddTensor("x", TensorType.Float32, [5]);
        int begin = m.W.AddConstant("begin", TensorType.Int32, [1], new[] { 0 });
        int end = m.W.AddConstant("end", TensorType.Int32, [1], new[] { 5 });
        int strides = m.W.AddConstant("strides", TensorType.Int32, [1], new[] { 0 });
        int y = m.W.AddTensor("y", TensorType.Float32, [5]);
        m.W.AddOperator(STRIDED_SLICE, [x, begin, end, strides], [y]);
        m.W.SetInputs(x);
        m.W.SetOutputs(y);
        m.PrepareFails("STRIDED_SLICE");
    }

    [Fact]
    public void Pad_float_pads_with_zero()
    {
        using var m = new OpTestModel();
        int x = m.W.AddTensor("x", TensorType.Float32, [1, 2]);
        int p = m.W.AddConstant("p", TensorType.Int32, [2, 2], new[] { 0, 1, 1, 0 });
        int y = m.W.AddTensor("y", TensorType.Float32, [2, 3]);
        m.W.AddOperator(PAD, [x, p], [y]);
        m.W.SetInputs(x);
        m.W.SetOutputs(y);
        m.Prepare().Input(0, 1f, 2f).Invoke();
        Assert.Equal([2, 3], m.OutputShape(0));
        Assert.Equal([0f, 1f, 2f, 0f, 0f, 0f], m.Output<float>(0));
    }

    [Fact]
    public void Quantized_pad_pads_with_the_zero_point()
    {
        using var m = new OpTestModel();
        int x = m.W.AddQuantizedTensor("x", TensorType.Int8, [2], 0.5f, -3);
        int p = m.W.AddConstant("p", TensorType.Int64, [1, 2], new long[] { 1, 2 });
        int y = m.W.AddQuantizedTensor("y", TensorType.Int8, [5], 0.5f, -3);
        m.W.AddOperator(PAD, [x, p], [y]);
        m.W.SetInputs(x);
        m.W.SetOutputs(y);
        m.Prepare().Input<sbyte>(0, 7, -128).Invoke();
        Assert.Equal(new sbyte[] { -3, 7, -128, -3, -3 }, m.Output<sbyte>(0));
    }

    [Fact]
    public void PadV2_pads_with_the_constant_value()
    {
        using var m = new OpTestModel();
        int x = m.W.AddTensor("x", TensorType.Float32, [2]);
        int p = m.W.AddConstant("p", TensorType.Int32, [1, 2], new[] { 2, 1 });
        int v = m.W.AddConstant("v", TensorType.Float32, [], new[] { 9.5f });
        int y = m.W.AddTensor("y", TensorType.Float32, [5]);
        m.W.AddOperator(PADV2, [x, p, v], [y]);
        m.W.SetInputs(x);
        m.W.SetOutputs(y);
        m.Prepare().Input(0, 1f, 2f).Invoke();
        Assert.Equal([9.5f, 9.5f, 1f, 2f, 9.5f], m.Output<float>(0));
    }

    [Fact]
    public void Pad_with_a_wrong_paddings_shape_is_a_model_error()
    {
        using var m = new OpTestModel();
        int x = m.W.AddTensor("x", TensorType.Float32, [2, 2]);
        int p = m.W.AddConstant("p", TensorType.Int32, [1, 2], new[] { 1, 1 });
        int y = m.W.AddTensor("y", TensorType.Float32, [4, 2]);
        m.W.AddOperator(PAD, [x, p], [y]);
        m.W.SetInputs(x);
        m.W.SetOutputs(y);
        m.PrepareFails("PAD");
    }
}
