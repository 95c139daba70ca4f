namespace QuantKernels.Kernels.Sparse;

/// <summary>How one level of a sparse tensor is stored (TFLite's <c>DimensionType</c>).</summary>
public enum SparseDimensionFormat
{
    /// <summary>Every index 0..size-1 is present; only the size is stored.</summary>
    Dense = 0,

    /// <summary>Compressed: per parent node, a segment of <c>array_indices</c> lists the present indices.</summary>
    SparseCsr = 1,
}

/// <summary>
/// Metadata of one level of TFLite's sparsity format (one <c>DimensionMetadata</c>, in traversal order):
/// a dense size, or CSR segments and indices.
/// </summary>
public readonly struct SparseDimension
{
    private SparseDimension(SparseDimensionFormat format, int denseSize, SparseIndexArray segments, SparseIndexArray indices)
    {
        Format = format;
        DenseSize = denseSize;
        Segments = segments;
        Indices = indices;
    }

    /// <summary>A dense level of <paramref name="size"/> entries.</summary>
    public static SparseDimension Dense(int size) => new(SparseDimensionFormat.Dense, size, default, default);

    /// <summary>
    /// A compressed level: parent node p owns <c>indices[segments[p] .. segments[p+1])</c>; so segments has one entry
    /// more than the previous level has nodes, starts at 0, never decreases and ends at indices.Length.
    /// </summary>
    public static SparseDimension Csr(SparseIndexArray segments, SparseIndexArray indices)
        => new(SparseDimensionFormat.SparseCsr, 0, segments, indices);

    /// <summary>Dense or compressed.</summary>
    public SparseDimensionFormat Format { get; }

    /// <summary>Size of a dense level (unused for a compressed one).</summary>
    public int DenseSize { get; }

    /// <summary>CSR segment boundaries (compressed levels only).</summary>
    public SparseIndexArray Segments { get; }

    /// <summary>CSR indices within the level (compressed levels only).</summary>
    public SparseIndexArray Indices { get; }
}
