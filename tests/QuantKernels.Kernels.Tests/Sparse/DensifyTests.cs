using QuantKernels.Kernels.Sparse;

namespace QuantKernels.Kernels.Tests.Sparse;

/// <summary>
/// Vectors from tensorflow/lite/kernels/internal/utils/sparsity_format_converter_test.cc (the stored values and
/// dim_metadata its DenseToSparse produces, expanded back with SparseToDense) and
/// tensorflow/lite/kernels/densify_test.cc. Metadata is listed per level, in traversal order.
/// </summary>
public class DensifyTests
{
    private static readonly int[] Dense3x4 = [6, 0, 9, 8, 0, 0, 0, 0, 5, 0, 0, 7];
    private static readonly int[] Dense4x4 = [1, 0, 2, 3, 0, 4, 0, 0, 0, 0, 5, 0, 0, 0, 0, 6];

    private static SparseDimension D(int size) => SparseDimension.Dense(size);
    private static SparseDimension S(int[] segments, int[] indices)
        => SparseDimension.Csr(SparseIndexArray.FromInt32(segments), SparseIndexArray.FromInt32(indices));

    private static int[] Expand(int[] values, int[] shape, int[] traversal, int[] blockMap, SparseDimension[] dims)
    {
        long n = 1;
        foreach (int d in shape) n *= d;
        var dense = new int[n];
        Array.Fill(dense, -99); // proves absent elements are written as zero, not left alone
        Assert.Equal(values.Length, Densify.CountValues(shape, traversal, blockMap, dims));
        Densify.ToDense<int>(values, shape, traversal, blockMap, dims, dense);
        return dense;
    }

    public static TheoryData<string, int[], int[], int[], int[], SparseDimension[], int[]> ConverterVectors() => new()
    {
        { "SimpleTestD0D1", Dense3x4, [3, 4], [0, 1], [], [D(3), D(4)], Dense3x4 },
        { "SimpleTestS0D1", Dense3x4, [3, 4], [0, 1], [], [S([0, 2], [0, 2]), D(4)], [6, 0, 9, 8, 5, 0, 0, 7] },
        { "SimpleTestD0S1", Dense3x4, [3, 4], [0, 1], [], [D(3), S([0, 3, 3, 5], [0, 2, 3, 0, 3])], [6, 9, 8, 5, 7] },
        { "SimpleTestS0S1", Dense3x4, [3, 4], [0, 1], [], [S([0, 2], [0, 2]), S([0, 3, 5], [0, 2, 3, 0, 3])], [6, 9, 8, 5, 7] },
        { "SimpleTestD1D0", Dense3x4, [3, 4], [1, 0], [], [D(4), D(3)], [6, 0, 5, 0, 0, 0, 9, 0, 0, 8, 0, 7] },
        { "SimpleTestS1D0", Dense3x4, [3, 4], [1, 0], [], [S([0, 3], [0, 2, 3]), D(3)], [6, 0, 5, 9, 0, 0, 8, 0, 7] },
        { "SimpleTestD1S0", Dense3x4, [3, 4], [1, 0], [], [D(4), S([0, 2, 2, 3, 5], [0, 2, 0, 0, 2])], [6, 5, 9, 8, 7] },
        { "SimpleTestS1S0", Dense3x4, [3, 4], [1, 0], [], [S([0, 3], [0, 2, 3]), S([0, 2, 3, 5], [0, 2, 0, 0, 2])], [6, 5, 9, 8, 7] },
        { "3DTestS0D1S2", Dense3x4, [3, 2, 2], [0, 1, 2], [], [S([0, 2], [0, 2]), D(2), S([0, 1, 3, 4, 5], [0, 0, 1, 0, 1])], [6, 9, 8, 5, 7] },
        { "3DTestD0D1S2", Dense3x4, [3, 2, 2], [0, 1, 2], [], [D(3), D(2), S([0, 1, 3, 3, 3, 4, 5], [0, 0, 1, 0, 1])], [6, 9, 8, 5, 7] },
        { "3DTestS0S1S2", [1, 7, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 4, 8, 3, 9], [3, 4, 2], [0, 1, 2], [],
            [S([0, 2], [0, 2]), S([0, 2, 5], [0, 2, 0, 2, 3]), S([0, 2, 3, 4, 6, 8], [0, 1, 1, 1, 0, 1, 0, 1])], [1, 7, 5, 2, 4, 8, 3, 9] },
        { "BlockTestD0D1", Dense4x4, [4, 4], [0, 1, 2, 3], [0, 1], [D(2), D(2), D(2), D(2)], [1, 0, 0, 4, 2, 3, 0, 0, 0, 0, 0, 0, 5, 0, 0, 6] },
        { "BlockTestD0S11DBlock", Dense4x4, [4, 4], [0, 1, 2], [1], [D(4), S([0, 2, 3, 4, 5], [0, 1, 0, 1, 1]), D(2)], [1, 0, 2, 3, 0, 4, 5, 0, 0, 6] },
        { "BlockTestD0S12DBlock", Dense4x4, [4, 4], [0, 1, 2, 3], [0, 1], [D(2), S([0, 2, 3], [0, 1, 1]), D(2), D(2)], [1, 0, 0, 4, 2, 3, 0, 0, 5, 0, 0, 6] },
        { "BlockTestD1S0", Dense4x4, [4, 4], [1, 0, 3, 2], [0, 1], [D(2), S([0, 1, 3], [0, 0, 1]), D(2), D(2)], [1, 0, 0, 4, 2, 0, 3, 0, 5, 0, 0, 6] },
        { "BlockTestD0S1LastBlockEmpty", [1, 0, 2, 3, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [4, 4], [0, 1, 2, 3], [0, 1],
            [D(2), S([0, 2, 2], [0, 1]), D(2), D(2)], [1, 0, 0, 4, 2, 3, 0, 0] },
        { "BlockTestD0S1ColMajorBlock", [1, 0, 2, 3, 0, 4, 0, 0, 1, 0, 2, 3, 0, 4, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            [4, 8], [0, 1, 3, 2], [0, 1], [D(2), S([0, 3, 4], [0, 1, 2, 1]), D(2), D(2)], [1, 1, 0, 0, 2, 2, 3, 3, 0, 0, 4, 4, 5, 0, 0, 0] },
    };

    [Theory]
    [MemberData(nameof(ConverterVectors))]
    public void Sparsity_format_converter_vectors_expand_to_the_dense_tensor(string name, int[] dense, int[] shape,
        int[] traversal, int[] blockMap, SparseDimension[] dims, int[] values)
    {
        Assert.True(name.Length > 0);
        Assert.Equal(dense, Expand(values, shape, traversal, blockMap, dims));
    }

    [Fact]
    public void Uint16_and_uint8_index_vectors_read_like_int32()
    {
        // densify_test.cc Float: [3,4] with (dense, CSR) -> stored {6,9,8,5,7}.
        SparseDimension[] u16 = [D(3), SparseDimension.Csr(SparseIndexArray.FromUInt16([0, 3, 3, 5]), SparseIndexArray.FromUInt16([0, 2, 3, 0, 3]))];
        SparseDimension[] u8 = [D(3), SparseDimension.Csr(SparseIndexArray.FromUInt8([0, 3, 3, 5]), SparseIndexArray.FromUInt8([0, 2, 3, 0, 3]))];
        Assert.Equal(Dense3x4, Expand([6, 9, 8, 5, 7], [3, 4], [0, 1], [], u16));
        Assert.Equal(Dense3x4, Expand([6, 9, 8, 5, 7], [3, 4], [0, 1], [], u8));
    }

    [Fact]
    public void Densify_test_float_int8_and_half_values()
    {
        // densify_test.cc: Float ([3,4], D,S), Float3D ([3,2,2], D,D,S), Int8 ([3,4], D,S); float16 is the same walk.
        SparseDimension[] dims2 = [D(3), S([0, 3, 3, 5], [0, 2, 3, 0, 3])];
        SparseDimension[] dims3 = [D(3), D(2), S([0, 1, 3, 3, 3, 4, 5], [0, 0, 1, 0, 1])];
        float[] expectF = [6, 0, 9, 8, 0, 0, 0, 0, 5, 0, 0, 7];

        var f = new float[12];
        Densify.ToDense<float>([6f, 9f, 8f, 5f, 7f], [3, 4], [0, 1], [], dims2, f);
        Assert.Equal(expectF, f);

        var f3 = new float[12];
        Densify.ToDense<float>([6f, 9f, 8f, 5f, 7f], [3, 2, 2], [0, 1, 2], [], dims3, f3);
        Assert.Equal(expectF, f3);

        var i8 = new sbyte[12];
        Densify.ToDense<sbyte>([6, 9, 8, 5, 7], [3, 4], [0, 1], [], dims2, i8);
        Assert.Equal(expectF.Select(v => (sbyte)v).ToArray(), i8);

        var h = new Half[12];
        Array.Fill(h, Half.NaN);
        Densify.ToDense<Half>([(Half)6, (Half)9, (Half)8, (Half)5, (Half)(-7.5f)], [3, 4], [0, 1], [], dims2, h);
        Assert.Equal([6f, 0, 9, 8, 0, 0, 0, 0, 5, 0, 0, -7.5f], h.Select(v => (float)v).ToArray());
    }

    [Fact]
    public void Empty_tensor_with_no_stored_values_is_all_zero()
    {
        var dense = new int[12];
        Array.Fill(dense, 5);
        Densify.ToDense<int>([], [3, 4], [0, 1], [], [D(3), S([0, 0, 0, 0], [])], dense);
        Assert.All(dense, v => Assert.Equal(0, v));
    }

    public static TheoryData<string, int[], int[], int[], SparseDimension[], string> Malformed() => new()
    {
        { "index out of range", [3, 4], [0, 1], [], [D(3), S([0, 3, 3, 5], [0, 2, 4, 0, 3])], "outside 0..3" },
        { "negative index", [3, 4], [0, 1], [], [D(3), S([0, 3, 3, 5], [0, 2, -1, 0, 3])], "outside 0..3" },
        { "segments decrease", [3, 4], [0, 1], [], [D(3), S([0, 3, 2, 5], [0, 2, 3, 0, 3])], "decreases" },
        { "segments do not start at 0", [3, 4], [0, 1], [], [D(3), S([1, 3, 3, 5], [0, 2, 3, 0, 3])], "starts at 1" },
        { "segments too short", [3, 4], [0, 1], [], [D(3), S([0, 3, 5], [0, 2, 3, 0, 3])], "4 are needed" },
        { "segments end short of indices", [3, 4], [0, 1], [], [D(3), S([0, 3, 3, 4], [0, 2, 3, 0, 3])], "ends at 4" },
        { "segment beyond indices", [3, 4], [0, 1], [], [D(3), S([0, 3, 3, 6], [0, 2, 3, 0, 3])], "array_indices has 5" },
        { "indices not increasing", [3, 4], [0, 1], [], [D(3), S([0, 3, 3, 5], [0, 3, 2, 0, 3])], "strictly increasing" },
        { "dense size wrong", [3, 4], [0, 1], [], [D(4), D(4)], "has size 3" },
        { "traversal order too short", [3, 4], [0], [], [D(3)], "traversal_order has 1" },
        { "dim metadata count", [3, 4], [0, 1], [], [D(3)], "dim_metadata has 1" },
        { "traversal repeats", [3, 4], [0, 0], [], [D(3), D(3)], "each once" },
        { "block level before original", [4, 4], [2, 0, 1], [1], [D(2), D(4), D(2)], "each once" },
        { "block not dividing", [4, 4], [0, 1, 2], [1], [D(4), D(2), D(3)], "does not divide" },
        { "compressed block", [4, 4], [0, 1, 2], [1], [D(4), D(2), S([0], [])], "only dense blocks" },
        { "block map out of range", [4, 4], [0, 1, 2], [2], [D(4), D(2), D(2)], "block_map[0]" },
        { "block map not increasing", [4, 4], [0, 1, 2, 3], [1, 0], [D(2), D(2), D(2), D(2)], "strictly increasing" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_metadata_is_an_argument_error(string name, int[] shape, int[] traversal, int[] blockMap,
        SparseDimension[] dims, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => Densify.CountValues(shape, traversal, blockMap, dims));
        Assert.Contains(expected, e.Message);
        var dense = new int[shape.Aggregate(1, (a, b) => a * b)];
        Assert.Throws<ArgumentException>(() => Densify.ToDense<int>(new int[5], shape, traversal, blockMap, dims, dense));
        Assert.True(name.Length > 0);
    }

    [Fact]
    public void Value_and_output_lengths_must_match()
    {
        SparseDimension[] dims = [D(3), S([0, 3, 3, 5], [0, 2, 3, 0, 3])];
        var e = Assert.Throws<ArgumentException>(() => Densify.ToDense<int>(new int[4], [3, 4], [0, 1], [], dims, new int[12]));
        Assert.Contains("5 stored values but 4", e.Message);
        e = Assert.Throws<ArgumentException>(() => Densify.ToDense<int>(new int[5], [3, 4], [0, 1], [], dims, new int[11]));
        Assert.Contains("holds 11", e.Message);
    }

    [Fact]
    public void Index_array_rejects_bad_widths()
    {
        Assert.Throws<ArgumentException>(() => new SparseIndexArray(new byte[6], 3));
        Assert.Throws<ArgumentException>(() => new SparseIndexArray(new byte[6], 4));
        Assert.Equal(0, default(SparseIndexArray).Length);
    }
}
