using System.Buffers.Binary;
using Google.FlatBuffers;
using static QuantKernels.Runtime.Tests.Densify.Level;

namespace QuantKernels.Runtime.Tests.Densify;

/// <summary>Malformed sparsity must raise <see cref="ModelFormatException"/> naming the tensor — never another exception.</summary>
public class DensifyMalformedTests
{
    private static readonly byte[] Values5 = SparseModels.Bytes(6f, 9f, 8f, 5f, 7f);

    private static ModelFormatException Fails(byte[] bytes)
    {
        using var model = TfLiteModel.FromBytes(bytes, "bad-sparsity");
        using var interp = new Interpreter(model);
        return Assert.Throws<ModelFormatException>(interp.AllocateTensors);
    }

    public static TheoryData<string, Sparsity, string> BadMetadata() => new()
    {
        { "index out of range", new([0, 1], [], [D(3), S([0, 3, 3, 5], [0, 2, 4, 0, 3])]), "array_indices[2] = 4 is outside 0..3" },
        { "segments not monotonic", new([0, 1], [], [D(3), S([0, 3, 2, 5], [0, 2, 3, 0, 3])]), "decreases" },
        { "segments wrong length", new([0, 1], [], [D(3), S([0, 3, 5], [0, 2, 3, 0, 3])]), "array_segments has 3 entries" },
        { "segments end short", new([0, 1], [], [D(3), S([0, 3, 3, 4], [0, 2, 3, 0, 3])]), "ends at 4" },
        { "segments past indices", new([0, 1], [], [D(3), S([0, 3, 3, 9], [0, 2, 3, 0, 3])]), "array_indices has 5" },
        { "indices unsorted", new([0, 1], [], [D(3), S([0, 3, 3, 5], [2, 0, 3, 0, 3])]), "strictly increasing" },
        { "dense size wrong", new([0, 1], [], [D(3), D(5)]), "has size 4" },
        { "traversal too short", new([0], [], [D(3)]), "traversal_order has 1" },
        { "dim_metadata count", new([0, 1], [], [D(3)]), "dim_metadata has 1 entries but traversal_order has 2" },
        { "traversal out of range", new([0, 5], [], [D(3), D(4)]), "each once" },
        { "block map out of range", new([0, 1, 2], [7], [D(3), D(2), D(2)]), "block_map[0] = 7" },
        { "block not dividing", new([0, 1, 2], [0], [D(1), D(4), D(2)]), "block size 2 of block dimension 0 does not divide dense dimension 0 of size 3" },
        { "block map longer than rank", new([0, 1, 2, 3, 4], [0, 1, 1], [D(3), D(4), D(1), D(1), D(1)]), "block_map has 3 entries" },
        { "segments table missing", new([0, 1], [], [D(3), new Level(true, 0, null, [0, 2, 3, 0, 3])]), "array_segments: the Int32Vector table is missing" },
        { "segments type NONE", new([0, 1], [], [D(3), new Level(true, 0, [0, 3, 3, 5], [0, 2, 3, 0, 3], tflite.SparseIndexVector.NONE)]), "array_segments is missing on a SPARSE_CSR dimension" },
        { "indices table missing", new([0, 1], [], [D(3), new Level(true, 0, [0, 3, 3, 5], null)]), "array_indices: the Int32Vector table is missing" },
        { "unknown vector type", new([0, 1], [], [D(3), new Level(true, 0, [0, 3, 3, 5], [0, 2, 3, 0, 3], (tflite.SparseIndexVector)9)]), "unknown vector type 9" },
    };

    [Theory]
    [MemberData(nameof(BadMetadata))]
    public void Bad_metadata_names_the_tensor(string name, Sparsity sparsity, string expected)
    {
        var e = Fails(SparseModels.Build(TensorType.Float32, [3, 4], Values5, sparsity));
        Assert.Contains("'weights'", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.True(name.Length > 0);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    public void Value_buffer_of_the_wrong_length_names_the_tensor(int count)
    {
        var values = SparseModels.Bytes(new float[count]);
        var e = Fails(SparseModels.Build(TensorType.Float32, [3, 4], values, new([0, 1], [], [D(3), S([0, 3, 3, 5], [0, 2, 3, 0, 3])])));
        Assert.Contains("'weights'", e.Message);
        Assert.Contains($"stores 5 values (20 bytes of float32) but buffer 1 holds {count * 4} bytes", e.Message);
    }

    /// <summary>Corrupts the length prefix of a vector found through the generated accessors.</summary>
    private static byte[] CorruptLength(Func<tflite.SparsityParameters, ArraySegment<byte>?> vector, int newLength)
    {
        var bytes = SparseModels.Build(TensorType.Float32, [3, 4], Values5, new([0, 1], [], [D(3), S([0, 3, 3, 5], [0, 2, 3, 0, 3])]));
        var sp = tflite.Model.GetRootAsModel(new ByteBuffer(bytes)).Subgraphs(0)!.Value.Tensors(0)!.Value.Sparsity!.Value;
        var seg = vector(sp)!.Value;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(seg.Offset - 4), newLength);
        return bytes;
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(-1)]
    [InlineData(100000)]
    public void Corrupt_vector_lengths_are_format_errors_not_crashes(int length)
    {
        var cases = new Func<tflite.SparsityParameters, ArraySegment<byte>?>[]
        {
            sp => sp.GetTraversalOrderBytes(),
            sp => sp.DimMetadata(1)!.Value.ArraySegments<tflite.Int32Vector>()!.Value.GetValuesBytes(),
            sp => sp.DimMetadata(1)!.Value.ArrayIndices<tflite.Int32Vector>()!.Value.GetValuesBytes(),
        };
        foreach (var c in cases)
        {
            var e = Fails(CorruptLength(c, length));
            Assert.Contains("'weights'", e.Message);
        }
    }

    [Fact]
    public void Random_byte_mutations_load_and_run_or_raise_ModelFormatException()
    {
        // BCSR over a [4,4] tensor (sparsity_format_converter_test.cc BlockTestD0S12DBlock): 12 stored values.
        var original = SparseModels.Build(TensorType.Float32, [4, 4], SparseModels.Bytes(new float[12]),
            new([0, 1, 2, 3], [0, 1], [D(2), S([0, 2, 3], [0, 1, 1]), D(2), D(2)]));
        var failures = new List<string>();
        int ran = 0, sparsityErrors = 0;
        for (int seed = 0; seed < 3000 && failures.Count < 3; seed++)
        {
            var rng = new Random(seed);
            var bytes = (byte[])original.Clone();
            int flips = 1 + rng.Next(4);
            for (int k = 0; k < flips; k++) bytes[rng.Next(bytes.Length)] = (byte)rng.Next(256);
            try
            {
                using var model = TfLiteModel.FromBytes(bytes);
                using var interp = new Interpreter(model);
                interp.AllocateTensors();
                interp.Invoke();
                ran++;
            }
            catch (ModelFormatException e)
            {
                if (e.Message.Contains("sparsity")) sparsityErrors++;
            }
            catch (Exception e)
            {
                failures.Add($"seed {seed}: {e.GetType().Name}: {e.Message}");
            }
        }
        Assert.Empty(failures);
        // The mutations reach both outcomes: models that still run, and sparsity the reader rejects.
        Assert.True(ran > 0 && sparsityErrors > 0, $"ran {ran}, sparsity errors {sparsityErrors}");
    }
}
