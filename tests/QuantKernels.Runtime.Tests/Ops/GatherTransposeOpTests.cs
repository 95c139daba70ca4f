using static tflite.BuiltinOperator;

namespace QuantKernels.Runtime.Tests.OpTests;

public class GatherTransposeOpTests
{
    [Fact]
    public void Transpose_swaps_axes_of_a_bool_tensor()
    {
        using var m = new OpTestModel();
        int x = m.W.AddTensor("x", TensorType.Bool, [2, 3]);
        int perm = m.W.AddConstant("perm", TensorType.Int32, [2], new[] { 1, 0 });
        int y = m.W.AddTensor("y", TensorType.Bool, [3, 2]);
        m.W.AddOperator(TRANSPOSE, [x, perm], [y]);
        m.W.SetInputs(x);
        m.W.SetOutputs(y);
        m.Prepare().Input(0, true, false, false, false, true, true).Invoke();
        Assert.Equal([3, 2], m.OutputShape(0));
        Assert.Equal([true, false, false, true, false, true], m.Output<bool>(0));
    }

    [Fact]
    public void Transpose_3d_float()
    {
        // x[2,1,3], perm [2,0,1] -> y[3,2,1] with y[k,i,j] = x[i,j,k]
        using var m = new OpTestModel();
        int x = m.W.AddTensor("x", TensorType.Float32, [2, 1, 3]);
        int perm = m.W.AddConstant("perm", TensorType.Int64, [3], new long[] { 2, 0, 1 });
        int y = m.W.AddTensor("y", TensorType.Float32, [3, 2, 1]);
        m.W.AddOperator(TRANSPOSE, [x, perm], [y]);
        m.W.SetInputs(x);
        m.W.SetOutputs(y);
        m.Prepare().Input(0, 1f, 2f, 3f, 4f, 5f, 6f).Invoke();
        Assert.Equal([3, 2, 1], m.OutputShape(0));
        Assert.Equal([1f, 4f, 2f, 5f, 3f, 6f], m.Output<float>(0));
    }

    [Fact]
    public void Transpose_with_a_bad_perm_is_a_model_error_naming_the_operator()
    {
        using var m = new OpTestModel();
        int x = m.W.AddTensor("x", TensorType.Float32, [2, 3]);
        int perm = m.W.AddConstant("perm", TensorType.Int32, [2], new[] { 0, 0 });
        int y = m.W.AddTensor("y", TensorType.Float32, [2, 3]);
        m.W.AddOperator(TRANSPOSE, [x, perm], [y]);
        m.W.SetInputs(x);
        m.W.SetOutputs(y);
        var e = m.PrepareFails("TRANSPOSE");
        Assert.IsNotType<UnsupportedOperatorException>(e);
        Assert.Contains("perm", e.Message);
    }

    [Fact]
    public void Gather_rows_with_runtime_int32_indices()
    {
        using var m = new OpTestModel();
        int p = m.W.AddTensor("p", TensorType.Float32, [3, 2]);
        int idx = m.W.AddTensor("idx", TensorType.Int32, [2]);
        int y = m.W.AddTensor("y", TensorType.Float32, [2, 2]);
        m.W.AddOperator(GATHER, [p, idx], [y], w => (tflite.BuiltinOptions.GatherOptions, tflite.GatherOptions.CreateGatherOptions(w, 0).Value));
        m.W.SetInputs(p, idx);
        m.W.SetOutputs(y);
        m.Prepare().Input(0, 1f, 2f, 3f, 4f, 5f, 6f).Input(1, 2, 0).Invoke();
        Assert.Equal([5f, 6f, 1f, 2f], m.Output<float>(0));
    }

    [Fact]
    public void Gather_along_axis_1_with_constant_int64_indices_of_rank_2()
    {
        // p[2,3]; indices [[2],[0]] on axis 1 -> y[2,2,1]: y[i,j,0] = p[i, idx[j]]
        using var m = new OpTestModel();
        int p = m.W.AddTensor("p", TensorType.UInt8, [2, 3]);
        int idx = m.W.AddConstant("idx", TensorType.Int64, [2, 1], new long[] { 2, 0 });
        int y = m.W.AddTensor("y", TensorType.UInt8, [2, 2, 1]);
        m.W.AddOperator(GATHER, [p, idx], [y], w => (tflite.BuiltinOptions.GatherOptions, tflite.GatherOptions.CreateGatherOptions(w, 1).Value));
        m.W.SetInputs(p);
        m.W.SetOutputs(y);
        m.Prepare().Input<byte>(0, 10, 11, 12, 20, 21, 22).Invoke();
        Assert.Equal([2, 2, 1], m.OutputShape(0));
        Assert.Equal(new byte[] { 12, 10, 22, 20 }, m.Output<byte>(0));
    }

    [Fact]
    public void Gather_with_a_constant_out_of_range_index_is_a_model_error()
    {
        using var m = new OpTestModel();
        int p = m.W.AddTensor("p", TensorType.Float32, [3]);
        int idx = m.W.AddConstant("idx", TensorType.Int32, [1], new[] { 3 });
        int y = m.W.AddTensor("y", TensorType.Float32, [1]);
        m.W.AddOperator(GATHER, [p, idx], [y]);
        m.W.SetInputs(p);
        m.W.SetOutputs(y);
        m.PrepareFails("GATHER");
    }

    [Fact]
    public void Gather_nd_picks_elements_by_coordinates()
    {
        using var m = new OpTestModel();
        int p = m.W.AddTensor("p", TensorType.Int32, [2, 2]);
        int idx = m.W.AddConstant("idx", TensorType.Int32, [2, 2], new[] { 1, 0, 0, 1 });
        int y = m.W.AddTensor("y", TensorType.Int32, [2]);
        m.W.AddOperator(GATHER_ND, [p, idx], [y]);
        m.W.SetInputs(p);
        m.W.SetOutputs(y);
        m.Prepare().Input(0, 1, 2, 3, 4).Invoke();
        Assert.Equal([2], m.OutputShape(0));
        Assert.Equal([3, 2], m.Output<int>(0));
    }

    [Fact]
    public void Gather_nd_slices_with_runtime_int64_indices()
    {
        // idx [[1]] on p[2,3] -> y[1,3] = row 1
        using var m = new OpTestModel();
        int p = m.W.AddTensor("p", TensorType.Float32, [2, 3]);
        int idx = m.W.AddTensor("idx", TensorType.Int64, [1, 1]);
        int y = m.W.AddTensor("y", TensorType.Float32, [1, 3]);
        m.W.AddOperator(GATHER_ND, [p, idx], [y]);
        m.W.SetInputs(p, idx);
        m.W.SetOutputs(y);
        m.Prepare().Input(0, 1f, 2f, 3f, 4f, 5f, 6f).Input(1, 1L).Invoke();
        Assert.Equal([4f, 5f, 6f], m.Output<float>(0));
    }

    [Fact]
    public void Gather_nd_with_a_constant_out_of_range_coordinate_is_a_model_error()
    {
        using var m = new OpTestModel();
        int p = m.W.AddTensor("p", TensorType.Int32, [2, 3]);
        int idx = m.W.AddConstant("idx", TensorType.Int32, [1, 2], new[] { 1, 3 });
        int y = m.W.AddTensor("y", TensorType.Int32, [1]);
        m.W.AddOperator(GATHER_ND, [p, idx], [y]);
        m.W.SetInputs(p);
        m.W.SetOutputs(y);
        m.PrepareFails("GATHER_ND");
    }

    [Fact]
    public void Arg_max_of_int8_rows_to_int32_ties_pick_the_first()
    {
        using var m = new OpTestModel();
        int x = m.W.AddQuantizedTensor("x", TensorType.Int8, [2, 3], 0.1f, 0);
        int axis = m.W.AddConstant("axis", TensorType.Int32, [1], new[] { 1 });
        int y = m.W.AddTensor("y", TensorType.Int32, [2]);
        m.W.AddOperator(ARG_MAX, [x, axis], [y], w => (tflite.BuiltinOptions.ArgMaxOptions, tflite.ArgMaxOptions.CreateArgMaxOptions(w, tflite.TensorType.INT32).Value));
        m.W.SetInputs(x);
        m.W.SetOutputs(y);
        m.Prepare().Input<sbyte>(0, -5, 7, 7, 3, -128, 2).Invoke();
        Assert.Equal([1, 0], m.Output<int>(0));
    }

    [Fact]
    public void Arg_min_of_float_columns_to_int64()
    {
        using var m = new OpTestModel();
        int x = m.W.AddTensor("x", TensorType.Float32, [3, 2]);
        int axis = m.W.AddConstant("axis", TensorType.Int64, [], new long[] { 0 });
        int y = m.W.AddTensor("y", TensorType.Int64, [2]);
        m.W.AddOperator(ARG_MIN, [x, axis], [y], w => (tflite.BuiltinOptions.ArgMinOptions, tflite.ArgMinOptions.CreateArgMinOptions(w, tflite.TensorType.INT64).Value));
        m.W.SetInputs(x);
        m.W.SetOutputs(y);
        m.Prepare().Input(0, 3f, -1f, 0.5f, 2f, 0.5f, -1f).Invoke();
        Assert.Equal([1L, 0L], m.Output<long>(0));
    }

    [Fact]
    public void Arg_max_with_a_non_constant_axis_is_unsupported_naming_the_operator()
    {
        using var m = new OpTestModel();
        int x = m.W.AddTensor("x", TensorType.Float32, [3]);
        int axis = m.W.AddTensor("axis", TensorType.Int32, [1]);
        int y = m.W.AddTensor("y", TensorType.Int32, []);
        m.W.AddOperator(ARG_MAX, [x, axis], [y]);
        m.W.SetInputs(x, axis);
        m.W.SetOutputs(y);
        Assert.IsType<UnsupportedOperatorException>(m.PrepareFails("ARG_MAX"));
    }
}
