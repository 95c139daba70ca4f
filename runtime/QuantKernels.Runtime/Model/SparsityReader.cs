using Google.FlatBuffers;
using QuantKernels.Kernels.Sparse;

namespace QuantKernels.Runtime;

/// <summary>A tensor's validated TFLite sparsity parameters, as the Densify kernel takes them.</summary>
/// <param name="TraversalOrder">Expanded dimension stored at each level, outermost first.</param>
/// <param name="BlockMap">Original dimension tiled by each block dimension.</param>
/// <param name="Dimensions">Per-level metadata; CSR index vectors view the model bytes in place.</param>
/// <param name="ValueCount">Number of stored values (the tensor's buffer holds exactly this many elements).</param>
internal sealed record SparsityInfo(int[] TraversalOrder, int[] BlockMap, SparseDimension[] Dimensions, int ValueCount);

/// <summary>
/// Reads <c>tflite.SparsityParameters</c> of a tensor from the model's flatbuffer. Every count is checked against
/// the file size before anything is allocated from it, every union type and vector range is checked, and the
/// metadata is validated against the tensor's dense shape and buffer (<see cref="Densify.CountValues"/>); any
/// inconsistency is a <see cref="ModelFormatException"/> naming the tensor.
/// </summary>
internal static class SparsityReader
{
    /// <summary>Reads the sparsity of <paramref name="tensor"/> from <paramref name="model"/>'s bytes.</summary>
    public static SparsityInfo Read(TfLiteModel model, ModelTensor tensor) => Read(new ByteBuffer(model.Bytes), tensor);

    /// <summary>
    /// Reads the sparsity of <paramref name="tensor"/> (a tensor of subgraph 0) from the model flatbuffer in
    /// <paramref name="bb"/> (position 0 at the file start, as the loader's and operators' buffers are).
    /// </summary>
    public static SparsityInfo Read(ByteBuffer bb, ModelTensor tensor)
    {
        string where = "the sparsity table";
        try
        {
            var model = tflite.Model.GetRootAsModel(bb);
            var sg = model.Subgraphs(0) ?? throw Error(tensor, "subgraph 0 is missing");
            if (tensor.Index >= sg.TensorsLength) throw Error(tensor, "is not in subgraph 0");
            var t = sg.Tensors(tensor.Index) ?? throw Error(tensor, "tensor table is missing");
            var sp = t.Sparsity ?? throw Error(tensor, "has no sparsity parameters");
            int fileLength = bb.Length;
            int rank = tensor.Shape.Count;

            where = "traversal_order";
            int levels = sp.TraversalOrderLength;
            CheckCount(tensor, levels, 4, fileLength, "traversal_order");
            if (levels > Densify.MaxLevels) throw Error(tensor, $"traversal_order has {levels} entries; at most {Densify.MaxLevels} are supported");
            var traversal = new int[levels];
            for (int i = 0; i < levels; i++) traversal[i] = sp.TraversalOrder(i);

            where = "block_map";
            int blocks = sp.BlockMapLength;
            CheckCount(tensor, blocks, 4, fileLength, "block_map");
            if (blocks > rank) throw Error(tensor, $"block_map has {blocks} entries for a rank-{rank} tensor");
            var blockMap = new int[blocks];
            for (int i = 0; i < blocks; i++) blockMap[i] = sp.BlockMap(i);

            where = "dim_metadata";
            int dimCount = sp.DimMetadataLength;
            CheckCount(tensor, dimCount, 4, fileLength, "dim_metadata");
            if (dimCount != levels) throw Error(tensor, $"dim_metadata has {dimCount} entries but traversal_order has {levels}");
            var dims = new SparseDimension[dimCount];
            for (int l = 0; l < dimCount; l++)
            {
                where = $"dim_metadata[{l}]";
                var dm = sp.DimMetadata(l) ?? throw Error(tensor, $"dim_metadata[{l}] is null");
                dims[l] = dm.Format switch
                {
                    tflite.DimensionType.DENSE => SparseDimension.Dense(dm.DenseSize),
                    tflite.DimensionType.SPARSE_CSR => SparseDimension.Csr(
                        ReadIndexVector(tensor, fileLength, dm.ArraySegmentsType, l, "array_segments", isSegments: true, dm),
                        ReadIndexVector(tensor, fileLength, dm.ArrayIndicesType, l, "array_indices", isSegments: false, dm)),
                    _ => throw Error(tensor, $"dim_metadata[{l}] has unknown format {(int)dm.Format}"),
                };
            }

            where = "the metadata against the shape";
            int count;
            try
            {
                count = Densify.CountValues(tensor.Shape.ToArray(), traversal, blockMap, dims);
            }
            catch (ArgumentException e)
            {
                throw Error(tensor, e.Message);
            }

            int elementSize = TensorTypes.ElementSize(tensor.Type);
            if (elementSize == 0) throw Error(tensor, $"sparse data of type {TensorTypes.Name(tensor.Type)} is not supported");
            if ((long)count * elementSize != tensor.Data.Length)
                throw Error(tensor, $"the metadata stores {count} values ({(long)count * elementSize} bytes of {TensorTypes.Name(tensor.Type)}) but buffer {tensor.BufferIndex} holds {tensor.Data.Length} bytes");
            return new SparsityInfo(traversal, blockMap, dims, count);
        }
        catch (ModelFormatException)
        {
            throw;
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or InvalidOperationException or OverflowException)
        {
            // The generated accessors bounds-check reads through ByteBuffer; failing means an offset points outside the file.
            throw new ModelFormatException($"{tensor}: sparsity: malformed flatbuffer while reading {where}: {e.Message}", e);
        }
    }

    private static SparseIndexArray ReadIndexVector(ModelTensor tensor, int fileLength,
        tflite.SparseIndexVector type, int level, string what, bool isSegments, tflite.DimensionMetadata dm)
    {
        string name = $"dim_metadata[{level}].{what}";
        int width = type switch
        {
            tflite.SparseIndexVector.Int32Vector => 4,
            tflite.SparseIndexVector.Uint16Vector => 2,
            tflite.SparseIndexVector.Uint8Vector => 1,
            tflite.SparseIndexVector.NONE => throw Error(tensor, $"{name} is missing on a SPARSE_CSR dimension"),
            _ => throw Error(tensor, $"{name} has unknown vector type {(int)type}"),
        };
        // The three vector tables share one layout (a single `values` vector at field 0); read it through the
        // Uint8Vector accessor only for its table, then size it by the declared element width.
        var table = isSegments ? dm.ArraySegments<tflite.Uint8Vector>() : dm.ArrayIndices<tflite.Uint8Vector>();
        if (table is not { } v) throw Error(tensor, $"{name}: the {type} table is missing");
        int count = v.ValuesLength;
        CheckCount(tensor, count, width, fileLength, name);
        if (count == 0) return new SparseIndexArray(ReadOnlyMemory<byte>.Empty, width);
        if (v.GetValuesBytes() is not { Array: not null } s) throw Error(tensor, $"{name}: values vector is missing");
        // The accessor sizes the segment in elements, not bytes; take only its start and check the byte range here.
        long end = (long)s.Offset + (long)count * width;
        if (s.Offset < 0 || end > s.Array.Length || end > fileLength)
            throw Error(tensor, $"{name}: {count} values of {width} bytes at offset {s.Offset} run past the {fileLength}-byte file");
        return new SparseIndexArray(new ReadOnlyMemory<byte>(s.Array, s.Offset, count * width), width);
    }

    private static void CheckCount(ModelTensor tensor, int count, int elementSize, int fileLength, string what)
    {
        if (count < 0 || (long)count * elementSize > fileLength)
            throw Error(tensor, $"{what}: count {count} does not fit in a {fileLength}-byte file");
    }

    private static ModelFormatException Error(ModelTensor tensor, string message) => new($"{tensor}: sparsity: {message}");
}
