using QuantKernels.Kernels.Quantization;
using static tflite.BuiltinOperator;

namespace QuantKernels.Runtime.Tests.OpTests;

public class ResizeDepthSpaceOpTests
{
    private static (tflite.BuiltinOptions, int) Bilinear(Google.FlatBuffers.FlatBufferBuilder w, bool align = false, bool half = false)
        => (tflite.BuiltinOptions.ResizeBilinearOptions, tflite.ResizeBilinearOptions.CreateResizeBilinearOptions(w, align, half).Value);

    [Fact]
    public void Resize_bilinear_float_2x2_to_4x4()
    {
        // TFLite reference (no align_corners, no half pixel): src = dst * 0.5, bottom/right rows clamp.
        using var m = new OpTestModel();
        int x = m.W.AddTensor("x", TensorType.Float32, [1, 2, 2, 1]);
        int size = m.W.AddConstant("size", TensorType.Int32, [2], new[] { 4, 4 });
        int y = m.W.AddTensor("y", TensorType.Float32, [1, 4, 4, 1]);
        m.W.AddOperator(RESIZE_BILINEAR, [x, size], [y], w => Bilinear(w));
        m.W.SetInputs(x);
        m.W.SetOutputs(y);
        m.Prepare().Input(0, 1f, 2f, 3f, 4f).Invoke();
        Assert.Equal([1, 4, 4, 1], m.OutputShape(0));
        Assert.Equal([
            1f, 1.5f, 2f, 2f,
            2f, 2.5f, 3f, 3f,
            3f, 3.5f, 4f, 4f,
            3f, 3.5f, 4f, 4f], m.Output<float>(0));
    }

    [Theory]
    [InlineData(RequantConvention.Xnnpack)]
    [InlineData(RequantConvention.Reference)]
    public void Resize_bilinear_uint8_horizontal_in_both_conventions(RequantConvention convention)
    {
        // tensorflow/lite/kernels/resize_bilinear_test.cc HorizontalResize: {3, 6} -> width 3 gives {3, 5, 6}.
        using var m = new OpTestModel();
        int x = m.W.AddQuantizedTensor("x", TensorType.UInt8, [1, 1, 2, 1], 1f, 0);
        int size = m.W.AddConstant("size", TensorType.Int32, [2], new[] { 1, 3 });
        int y = m.W.AddQuantizedTensor("y", TensorType.UInt8, [1, 1, 3, 1], 1f, 0);
        m.W.AddOperator(RESIZE_BILINEAR, [x, size], [y], w => Bilinear(w));
        m.W.SetInputs(x);
        m.W.SetOutputs(y);
        m.Prepare(convention).Input<byte>(0, 3, 6).Invoke();
        Assert.Equal(new byte[] { 3, 5, 6 }, m.Output<byte>(0));
    }

    [Fact]
    public void Resize_bilinear_int8_runs_in_both_conventions()
    {
        // 2 -> 3 columns at src x = 2/3: the reference integer kernel weighs in 10-bit fixed point, XNNPACK in 11-bit
        // weights, so the middle value may round either way of the exact 0; the ends are copies.
        foreach (var convention in new[] { RequantConvention.Xnnpack, RequantConvention.Reference })
        {
            using var m = new OpTestModel();
            int x = m.W.AddQuantizedTensor("x", TensorType.Int8, [1, 1, 2, 1], 1f, 0);
            int size = m.W.AddConstant("size", TensorType.Int32, [2], new[] { 1, 3 });
            int y = m.W.AddQuantizedTensor("y", TensorType.Int8, [1, 1, 3, 1], 1f, 0);
            m.W.AddOperator(RESIZE_BILINEAR, [x, size], [y], w => Bilinear(w));
            m.W.SetInputs(x);
            m.W.SetOutputs(y);
            var r = m.Prepare(convention).Input<sbyte>(0, -100, 50).Invoke().Output<sbyte>(0);
            Assert.Equal(-100, r[0]);
            Assert.Equal(50, r[2]);
            Assert.InRange(r[1], (sbyte)0, (sbyte)1); // -100 + 150 * 2/3 = 0
        }
    }

    [Fact]
    public void Resize_bilinear_with_a_non_constant_size_is_unsupported_naming_the_operator()
    {
        using var m = new OpTestModel();
        int x = m.W.AddTensor("x", TensorType.Float32, [1, 2, 2, 1]);
        int size = m.W.AddTensor("size", TensorType.Int32, [2]);
        int y = m.W.AddTensor("y", TensorType.Float32, [1, 4, 4, 1]);
        m.W.AddOperator(RESIZE_BILINEAR, [x, size], [y]);
        m.W.SetInputs(x, size);
        m.W.SetOutputs(y);
        Assert.IsType<UnsupportedOperatorException>(m.PrepareFails("RESIZE_BILINEAR"));
    }

    [Fact]
    public void Resize_bilinear_align_corners_with_half_pixel_centers_is_a_model_error()
    {
        using var m = new OpTestModel();
        int x = m.W.AddTensor("x", TensorType.Float32, [1, 2, 2, 1]);
        int size = m.W.AddConstant("size", TensorType.Int32, [2], new[] { 3, 3 });
        int y = m.W.AddTensor("y", TensorType.Float32, [1, 3, 3, 1]);
        m.W.AddOperator(RESIZE_BILINEAR, [x, size], [y], w => Bilinear(w, true, true));
        m.W.SetInputs(x);
        m.W.SetOutputs(y);
        m.PrepareFails("RESIZE_BILINEAR");
    }

    [Fact]
    public void Resize_nearest_neighbor_2x2_to_3x3()
    {
        // src = floor(dst * 2/3): 0 -> 0, 1 -> 0, 2 -> 1.
        using var m = new OpTestModel();
        int x = m.W.AddTensor("x", TensorType.Int32, [1, 2, 2, 1]);
        int size = m.W.AddConstant("size", TensorType.Int32, [2], new[] { 3, 3 });
        int y = m.W.AddTensor("y", TensorType.Int32, [1, 3, 3, 1]);
        m.W.AddOperator(RESIZE_NEAREST_NEIGHBOR, [x, size], [y]);
        m.W.SetInputs(x);
        m.W.SetOutputs(y);
        m.Prepare().Input(0, 1, 2, 3, 4).Invoke();
        Assert.Equal([1, 1, 2, 1, 1, 2, 3, 3, 4], m.Output<int>(0));
    }

    [Fact]
    public void Resize_nearest_neighbor_half_pixel_centers()
    {
        // half pixel: src = floor((dst + 0.5) * 2/3): 0 -> 0, 1 -> 1, 2 -> 1.
        using var m = new OpTestModel();
        int x = m.W.AddTensor("x", TensorType.UInt8, [1, 1, 2, 1]);
        int size = m.W.AddConstant("size", TensorType.Int32, [2], new[] { 1, 3 });
        int y = m.W.AddTensor("y", TensorType.UInt8, [1, 1, 3, 1]);
        m.W.AddOperator(RESIZE_NEAREST_NEIGHBOR, [x, size], [y], w => (tflite.BuiltinOptions.ResizeNearestNeighborOptions,
            tflite.ResizeNearestNeighborOptions.CreateResizeNearestNeighborOptions(w, false, true).Value));
        m.W.SetInputs(x);
        m.W.SetOutputs(y);
        m.Prepare().Input<byte>(0, 7, 9).Invoke();
        Assert.Equal(new byte[] { 7, 9, 9 }, m.Output<byte>(0));
    }

    [Fact]
    public void Depth_to_space_and_back()
    {
        // [1,1,1,4] block 2 -> [1,2,2,1]: depth (by*2+bx) goes to pixel (by, bx).
        using (var m = new OpTestModel())
        {
            int x = m.W.AddTensor("x", TensorType.Float32, [1, 1, 2, 4]);
            int y = m.W.AddTensor("y", TensorType.Float32, [1, 2, 4, 1]);
            m.W.AddOperator(DEPTH_TO_SPACE, [x], [y], w => (tflite.BuiltinOptions.DepthToSpaceOptions, tflite.DepthToSpaceOptions.CreateDepthToSpaceOptions(w, 2).Value));
            m.W.SetInputs(x);
            m.W.SetOutputs(y);
            m.Prepare().Input(0, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f).Invoke();
            Assert.Equal([1, 2, 4, 1], m.OutputShape(0));
            Assert.Equal([1f, 2f, 5f, 6f, 3f, 4f, 7f, 8f], m.Output<float>(0));
        }
        using (var m = new OpTestModel())
        {
            int x = m.W.AddTensor("x", TensorType.Float32, [1, 2, 4, 1]);
            int y = m.W.AddTensor("y", TensorType.Float32, [1, 1, 2, 4]);
            m.W.AddOperator(SPACE_TO_DEPTH, [x], [y], w => (tflite.BuiltinOptions.SpaceToDepthOptions, tflite.SpaceToDepthOptions.CreateSpaceToDepthOptions(w, 2).Value));
            m.W.SetInputs(x);
            m.W.SetOutputs(y);
            m.Prepare().Input(0, 1f, 2f, 5f, 6f, 3f, 4f, 7f, 8f).Invoke();
            Assert.Equal([1, 1, 2, 4], m.OutputShape(0));
            Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f], m.Output<float>(0));
        }
    }

    [Fact]
    public void Space_to_depth_with_an_indivisible_size_is_a_model_error()
    {
        using var m = new OpTestModel();
        int x = m.W.AddTensor("x", TensorType.Float32, [1, 3, 2, 1]);
        int y = m.W.AddTensor("y", TensorType.Float32, [1, 1, 1, 4]);
        m.W.AddOperator(SPACE_TO_DEPTH, [x], [y], w => (tflite.BuiltinOptions.SpaceToDepthOptions, tflite.SpaceToDepthOptions.CreateSpaceToDepthOptions(w, 2).Value));
        m.W.SetInputs(x);
        m.W.SetOutputs(y);
        m.PrepareFails("SPACE_TO_DEPTH");
    }
}
