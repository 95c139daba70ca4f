using static QuantKernels.Runtime.Tests.Densify.Level;

namespace QuantKernels.Runtime.Tests.Densify;

/// <summary>
/// DENSIFY end to end: a model with a sparse constant, DENSIFY, and RESHAPE of the dense result runs through the
/// interpreter (DENSIFY is folded at AllocateTensors). Vectors from tensorflow/lite/kernels/densify_test.cc and
/// tensorflow/lite/kernels/internal/utils/sparsity_format_converter_test.cc.
/// </summary>
public class DensifyOpTests
{
    private static readonly float[] Dense3x4 = [6, 0, 9, 8, 0, 0, 0, 0, 5, 0, 0, 7];
    private static readonly Sparsity D0S1 = new([0, 1], [], [D(3), S([0, 3, 3, 5], [0, 2, 3, 0, 3])]);

    private static (Interpreter Interp, TfLiteModel Model) Run(byte[] bytes)
    {
        var model = TfLiteModel.FromBytes(bytes, "densify-test");
        var interp = new Interpreter(model);
        interp.AllocateTensors();
        float[] x = [1, 2, 3, 4, 5, 6];
        interp.GetInputTensor(0).CopyFrom<float>(x);
        interp.Invoke();
        Assert.Equal(x, interp.GetTensor(SparseModels.XFlat).ToArray<float>());
        return (interp, model);
    }

    [Fact]
    public void Float_densify_test_vector_runs_end_to_end()
    {
        // densify_test.cc DensifyOpTest.Float: [3,4], (dense, CSR), stored {6,9,8,5,7}.
        var (interp, model) = Run(SparseModels.Build(TensorType.Float32, [3, 4], SparseModels.Bytes(6f, 9f, 8f, 5f, 7f), D0S1));
        using (model) using (interp)
        {
            var dense = interp.GetTensor(SparseModels.Dense);
            Assert.True(dense.IsConstant);
            Assert.Equal([3, 4], dense.Shape.ToArray());
            Assert.Equal(Dense3x4, dense.ToArray<float>());
            Assert.Equal(Dense3x4, interp.GetOutputTensor(0).ToArray<float>());
            Assert.Equal([12], interp.GetOutputTensor(0).Shape.ToArray());
            Assert.True(interp.FoldedConstantBytes >= 48);
            // The sparse input keeps its stored values in place.
            Assert.Equal([6f, 9f, 8f, 5f, 7f], interp.GetTensor(SparseModels.Weights).ToArray<float>());

            // Re-allocating keeps the folded result (DENSIFY is not re-run on a constant output).
            interp.AllocateTensors();
            interp.Invoke();
            Assert.Equal(Dense3x4, interp.GetOutputTensor(0).ToArray<float>());
        }
    }

    [Fact]
    public void Float3D_and_int8_and_float16_and_int32()
    {
        // densify_test.cc Float3D: [3,2,2], (dense, dense, CSR).
        var s3 = new Sparsity([0, 1, 2], [], [D(3), D(2), S([0, 1, 3, 3, 3, 4, 5], [0, 0, 1, 0, 1])]);
        var (i1, m1) = Run(SparseModels.Build(TensorType.Float32, [3, 2, 2], SparseModels.Bytes(6f, 9f, 8f, 5f, 7f), s3));
        using (m1) using (i1) Assert.Equal(Dense3x4, i1.GetOutputTensor(0).ToArray<float>());

        // densify_test.cc Int8.
        var (i2, m2) = Run(SparseModels.Build(TensorType.Int8, [3, 4], SparseModels.Bytes<sbyte>(6, 9, 8, 5, -7), D0S1));
        using (m2) using (i2) Assert.Equal([6, 0, 9, 8, 0, 0, 0, 0, 5, 0, 0, -7], i2.GetOutputTensor(0).ToArray<sbyte>().Select(v => (int)v));

        var (i3, m3) = Run(SparseModels.Build(TensorType.Float16, [3, 4], SparseModels.Bytes((Half)6, (Half)9, (Half)8, (Half)5, (Half)(-0.5f)), D0S1));
        using (m3) using (i3) Assert.Equal([6f, 0, 9, 8, 0, 0, 0, 0, 5, 0, 0, -0.5f], i3.GetOutputTensor(0).ToArray<Half>().Select(v => (float)v));

        var (i4, m4) = Run(SparseModels.Build(TensorType.Int32, [3, 4], SparseModels.Bytes(6, 9, 8, 5, int.MinValue), D0S1));
        using (m4) using (i4) Assert.Equal([6, 0, 9, 8, 0, 0, 0, 0, 5, 0, 0, int.MinValue], i4.GetOutputTensor(0).ToArray<int>());
    }

    [Theory]
    [InlineData(tflite.SparseIndexVector.Uint16Vector)]
    [InlineData(tflite.SparseIndexVector.Uint8Vector)]
    public void Uint16_and_uint8_index_vectors(tflite.SparseIndexVector type)
    {
        var s = new Sparsity([0, 1], [], [D(3), new Level(true, 0, [0, 3, 3, 5], [0, 2, 3, 0, 3], type, type)]);
        var (interp, model) = Run(SparseModels.Build(TensorType.Float32, [3, 4], SparseModels.Bytes(6f, 9f, 8f, 5f, 7f), s));
        using (model) using (interp) Assert.Equal(Dense3x4, interp.GetOutputTensor(0).ToArray<float>());
    }

    [Fact]
    public void Block_sparse_int8_BCSR_and_BCSC()
    {
        // sparsity_format_converter_test.cc BlockTestD0S12DBlock and BlockTestD1S0 (2x2 blocks of a 4x4 matrix).
        sbyte[] dense = [1, 0, 2, 3, 0, 4, 0, 0, 0, 0, 5, 0, 0, 0, 0, 6];
        var bcsr = new Sparsity([0, 1, 2, 3], [0, 1], [D(2), S([0, 2, 3], [0, 1, 1]), D(2), D(2)]);
        var (i1, m1) = Run(SparseModels.Build(TensorType.Int8, [4, 4], SparseModels.Bytes<sbyte>(1, 0, 0, 4, 2, 3, 0, 0, 5, 0, 0, 6), bcsr));
        using (m1) using (i1) Assert.Equal(dense, i1.GetOutputTensor(0).ToArray<sbyte>());

        var bcsc = new Sparsity([1, 0, 3, 2], [0, 1], [D(2), S([0, 1, 3], [0, 0, 1]), D(2), D(2)]);
        var (i2, m2) = Run(SparseModels.Build(TensorType.Int8, [4, 4], SparseModels.Bytes<sbyte>(1, 0, 0, 4, 2, 0, 3, 0, 5, 0, 0, 6), bcsc));
        using (m2) using (i2) Assert.Equal(dense, i2.GetOutputTensor(0).ToArray<sbyte>());
    }

    [Fact]
    public void Reader_returns_the_metadata_it_validated()
    {
        using var model = TfLiteModel.FromBytes(SparseModels.Build(TensorType.Float32, [3, 4], SparseModels.Bytes(6f, 9f, 8f, 5f, 7f), D0S1));
        Assert.True(model.Tensors[0].HasSparsity);
        var info = SparsityReader.Read(model, model.Tensors[0]);
        Assert.Equal([0, 1], info.TraversalOrder);
        Assert.Empty(info.BlockMap);
        Assert.Equal(5, info.ValueCount);
        Assert.Equal(3, info.Dimensions[0].DenseSize);
        Assert.Equal(4, info.Dimensions[1].Segments.Length);
        Assert.Equal(3, info.Dimensions[1].Indices[4]);
        var e = Assert.Throws<ModelFormatException>(() => SparsityReader.Read(model, model.Tensors[1]));
        Assert.Contains("'dense'", e.Message);
        Assert.Contains("no sparsity parameters", e.Message);
    }

    [Fact]
    public void Sparse_tensor_read_by_another_op_is_refused()
    {
        using var model = TfLiteModel.FromBytes(SparseModels.Build(TensorType.Float32, [3, 4], SparseModels.Bytes(6f, 9f, 8f, 5f, 7f), D0S1, densify: false));
        var e = Assert.Throws<UnsupportedOperatorException>(() => new Interpreter(model));
        Assert.Contains("'weights'", e.Message);
        Assert.Contains("only DENSIFY", e.Message);
    }

    [Fact]
    public void Unsupported_value_type_is_named()
    {
        using var model = TfLiteModel.FromBytes(SparseModels.Build(TensorType.UInt8, [3, 4], [6, 9, 8, 5, 7], D0S1));
        using var interp = new Interpreter(model);
        var e = Assert.Throws<UnsupportedOperatorException>(interp.AllocateTensors);
        Assert.Contains("uint8", e.Message);
        Assert.Contains("DENSIFY", e.Message);
    }
}
