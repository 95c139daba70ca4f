namespace QuantKernels.Kernels.Sparse;

/// <summary>
/// Expands a tensor stored in TFLite's sparsity format into its dense row-major form — what TFLite's DENSIFY op
/// and <c>tflite::internal::sparsity::FormatConverter::SparseToDense</c> compute.
/// </summary>
/// <remarks>
/// The format: a dense tensor of rank R may be tiled by blocks along the original dimensions listed in
/// <c>blockMap</c> (increasing); that gives R + B "expanded" dimensions (0..R-1 the blocked originals, R+b the
/// position inside block b). <c>traversalOrder</c> lists them outermost first: its first R entries permute
/// 0..R-1 and its last B entries permute R..R+B-1. Level l stores expanded dimension traversalOrder[l] as
/// <c>dimensions[l]</c>: dense (all indices present) or CSR (segments per parent node, present indices). The
/// stored values are the leaves in traversal order; absent elements are zero. Block levels must be dense (TFLite
/// supports only dense blocks, and their dense size is the block size).
/// All validation happens up front (<see cref="CountValues"/>), so expansion never reads or writes out of range.
/// </remarks>
public static class Densify
{
    /// <summary>Most levels (rank plus block dimensions) accepted.</summary>
    public const int MaxLevels = 16;

    /// <summary>
    /// Validates sparsity metadata against the dense shape and returns how many values it stores (the number of
    /// leaves). Checks: ranks and lengths agree; traversal order and block map are well formed; block levels are
    /// dense and divide their dimension; dense sizes equal the (blocked) dimension sizes; CSR segments have one entry
    /// per parent node plus one, start at 0, never decrease and end at the index count; CSR indices are in range
    /// and strictly increasing within each segment.
    /// </summary>
    /// <param name="denseShape">Shape of the dense tensor (rank 1..8).</param>
    /// <param name="traversalOrder">Expanded dimension stored at each level, outermost first.</param>
    /// <param name="blockMap">Original dimension tiled by each block dimension (strictly increasing; may be empty).</param>
    /// <param name="dimensions">Metadata of each level, in traversal order.</param>
    /// <exception cref="ArgumentException">The metadata is inconsistent; the message says how.</exception>
    public static int CountValues(ReadOnlySpan<int> denseShape, ReadOnlySpan<int> traversalOrder,
        ReadOnlySpan<int> blockMap, ReadOnlySpan<SparseDimension> dimensions)
    {
        Span<int> levelSize = stackalloc int[MaxLevels];
        Span<int> levelStride = stackalloc int[MaxLevels];
        return Analyze(denseShape, traversalOrder, blockMap, dimensions, levelSize, levelStride, out _);
    }

    /// <summary>
    /// Writes the dense tensor: zero everywhere, then each stored value at its position. Zero is the all-zero bit
    /// pattern, which is 0 for every numeric type (float, half, integers), as TFLite's <c>T(0)</c>.
    /// </summary>
    /// <typeparam name="T">Element type; only its bits are moved (float, Half, sbyte, int, ...).</typeparam>
    /// <param name="values">The stored values, exactly <see cref="CountValues"/> of them.</param>
    /// <param name="denseShape">Shape of the dense tensor.</param>
    /// <param name="traversalOrder">Expanded dimension stored at each level.</param>
    /// <param name="blockMap">Original dimension tiled by each block dimension.</param>
    /// <param name="dimensions">Metadata of each level, in traversal order.</param>
    /// <param name="dense">Output, row-major, product(denseShape) elements.</param>
    /// <exception cref="ArgumentException">The metadata is inconsistent, or a span length does not match it.</exception>
    public static void ToDense<T>(ReadOnlySpan<T> values, ReadOnlySpan<int> denseShape, ReadOnlySpan<int> traversalOrder,
        ReadOnlySpan<int> blockMap, ReadOnlySpan<SparseDimension> dimensions, Span<T> dense) where T : unmanaged
    {
        Span<int> levelSize = stackalloc int[MaxLevels];
        Span<int> levelStride = stackalloc int[MaxLevels];
        int count = Analyze(denseShape, traversalOrder, blockMap, dimensions, levelSize, levelStride, out long elements);
        if (values.Length != count)
            throw new ArgumentException($"the sparsity metadata addresses {count} stored values but {values.Length} were given", nameof(values));
        if (dense.Length != elements)
            throw new ArgumentException($"dense shape [{string.Join(",", denseShape.ToArray())}] has {elements} elements but the output holds {dense.Length}", nameof(dense));
        dense.Clear();
        if (count == 0) return;
        var walker = new Walker<T>(values, dense, dimensions, levelSize[..dimensions.Length], levelStride[..dimensions.Length]);
        walker.Visit(0, 0, 0);
    }

    /// <summary>Depth-first walk of the levels; each leaf's node number is its position in the values.</summary>
    private readonly ref struct Walker<T>(ReadOnlySpan<T> values, Span<T> dense, ReadOnlySpan<SparseDimension> dims,
        ReadOnlySpan<int> size, ReadOnlySpan<int> stride) where T : unmanaged
    {
        private readonly ReadOnlySpan<T> _values = values;
        private readonly Span<T> _dense = dense;
        private readonly ReadOnlySpan<SparseDimension> _dims = dims;
        private readonly ReadOnlySpan<int> _size = size;
        private readonly ReadOnlySpan<int> _stride = stride;

        /// <param name="level">Level being expanded.</param>
        /// <param name="node">Position of the parent node among all nodes of the previous level (0 at the root).</param>
        /// <param name="offset">Dense offset accumulated from the outer levels.</param>
        public void Visit(int level, int node, int offset)
        {
            if (level == _dims.Length)
            {
                _dense[offset] = _values[node];
                return;
            }
            int stride = _stride[level];
            var dim = _dims[level];
            if (dim.Format == SparseDimensionFormat.Dense)
            {
                int n = _size[level];
                int first = node * n;
                for (int i = 0; i < n; i++) Visit(level + 1, first + i, offset + i * stride);
            }
            else
            {
                var indices = dim.Indices;
                int end = dim.Segments[node + 1];
                for (int k = dim.Segments[node]; k < end; k++) Visit(level + 1, k, offset + indices[k] * stride);
            }
        }
    }

    /// <summary>Validates everything and computes each level's size and dense stride; returns the leaf count.</summary>
    private static int Analyze(ReadOnlySpan<int> denseShape, ReadOnlySpan<int> traversalOrder, ReadOnlySpan<int> blockMap,
        ReadOnlySpan<SparseDimension> dimensions, Span<int> levelSize, Span<int> levelStride, out long elements)
    {
        int rank = denseShape.Length;
        int blocks = blockMap.Length;
        if (rank < 1 || rank > 8) throw new ArgumentException($"dense rank {rank} is outside 1..8", nameof(denseShape));
        if (blocks > rank) throw new ArgumentException($"block_map has {blocks} entries for a rank-{rank} tensor", nameof(blockMap));
        int levels = rank + blocks;
        if (traversalOrder.Length != levels)
            throw new ArgumentException($"traversal_order has {traversalOrder.Length} entries; rank {rank} plus {blocks} block dimensions needs {levels}", nameof(traversalOrder));
        if (dimensions.Length != levels)
            throw new ArgumentException($"dim_metadata has {dimensions.Length} entries; traversal_order has {levels}", nameof(dimensions));

        elements = 1;
        for (int d = 0; d < rank; d++)
        {
            if (denseShape[d] < 0) throw new ArgumentException($"dense dimension {d} is {denseShape[d]}", nameof(denseShape));
            elements *= denseShape[d];
            if (elements > int.MaxValue) throw new ArgumentException($"dense shape [{string.Join(",", denseShape.ToArray())}] has more than {int.MaxValue} elements", nameof(denseShape));
        }

        for (int b = 0; b < blocks; b++)
        {
            if ((uint)blockMap[b] >= (uint)rank)
                throw new ArgumentException($"block_map[{b}] = {blockMap[b]} is outside 0..{rank - 1}", nameof(blockMap));
            if (b > 0 && blockMap[b] <= blockMap[b - 1])
                throw new ArgumentException($"block_map must be strictly increasing, but [{string.Join(",", blockMap.ToArray())}] is not", nameof(blockMap));
        }

        // traversal_order: the first `rank` levels hold the (blocked) original dimensions, the rest the block
        // dimensions (TFLite's SparseToDense maps levels to dimensions this way). levelOf[e] = level storing e.
        Span<int> levelOf = stackalloc int[MaxLevels];
        levelOf.Fill(-1);
        for (int l = 0; l < levels; l++)
        {
            int e = traversalOrder[l];
            bool ok = l < rank ? (uint)e < (uint)rank : e >= rank && e < levels;
            if (!ok || levelOf[e] >= 0)
                throw new ArgumentException($"traversal_order [{string.Join(",", traversalOrder.ToArray())}] must list original dimensions 0..{rank - 1} first and block dimensions {rank}..{levels - 1} after, each once", nameof(traversalOrder));
            levelOf[e] = l;
        }

        // Block sizes come from the block levels' dense sizes; the blocked original dimension shrinks by them.
        Span<int> blocked = stackalloc int[8];
        Span<int> blockSize = stackalloc int[8];
        denseShape.CopyTo(blocked);
        blockSize.Fill(1);
        for (int b = 0; b < blocks; b++)
        {
            var bd = dimensions[levelOf[rank + b]];
            if (bd.Format != SparseDimensionFormat.Dense)
                throw new ArgumentException($"block dimension {b} (level {levelOf[rank + b]}) is compressed; only dense blocks are supported", nameof(dimensions));
            int size = bd.DenseSize;
            int d = blockMap[b];
            if (size < 1 || denseShape[d] % size != 0)
                throw new ArgumentException($"block size {size} of block dimension {b} does not divide dense dimension {d} of size {denseShape[d]}", nameof(dimensions));
            blocked[d] = denseShape[d] / size;
            blockSize[d] = size;
        }

        Span<int> rowStride = stackalloc int[8];
        int s = 1;
        for (int d = rank - 1; d >= 0; d--) { rowStride[d] = s; s *= Math.Max(denseShape[d], 1); }

        long nodes = 1; // nodes of the previous level (the root is one node)
        for (int l = 0; l < levels; l++)
        {
            int e = traversalOrder[l];
            int size;
            if (e < rank) { size = blocked[e]; levelStride[l] = rowStride[e] * blockSize[e]; }
            else { int d = blockMap[e - rank]; size = blockSize[d]; levelStride[l] = rowStride[d]; }
            levelSize[l] = size;

            var dim = dimensions[l];
            if (dim.Format == SparseDimensionFormat.Dense)
            {
                if (dim.DenseSize != size)
                    throw new ArgumentException($"level {l} (dimension {e}) is dense with size {dim.DenseSize}, but that dimension has size {size}", nameof(dimensions));
                nodes *= size; // bounded by the element count: every level's size multiplies into it
            }
            else if (dim.Format == SparseDimensionFormat.SparseCsr)
            {
                var seg = dim.Segments;
                var idx = dim.Indices;
                if (seg.Length != nodes + 1)
                    throw new ArgumentException($"level {l} (dimension {e}): array_segments has {seg.Length} entries but the level above has {nodes} nodes, so {nodes + 1} are needed", nameof(dimensions));
                if (seg[0] != 0)
                    throw new ArgumentException($"level {l} (dimension {e}): array_segments starts at {seg[0]}, not 0", nameof(dimensions));
                for (int p = 0; p < nodes; p++)
                {
                    int start = seg[p], end = seg[p + 1];
                    if (end < start)
                        throw new ArgumentException($"level {l} (dimension {e}): array_segments decreases at entry {p + 1} ({start} then {end})", nameof(dimensions));
                    if (end > idx.Length)
                        throw new ArgumentException($"level {l} (dimension {e}): array_segments entry {p + 1} is {end} but array_indices has {idx.Length} entries", nameof(dimensions));
                    int previous = -1;
                    for (int k = start; k < end; k++)
                    {
                        int v = idx[k];
                        if (v < 0 || v >= size)
                            throw new ArgumentException($"level {l} (dimension {e}): array_indices[{k}] = {v} is outside 0..{size - 1}", nameof(dimensions));
                        if (v <= previous)
                            throw new ArgumentException($"level {l} (dimension {e}): array_indices are not strictly increasing within segment {p} ({previous} then {v} at {k})", nameof(dimensions));
                        previous = v;
                    }
                }
                if (seg[(int)nodes] != idx.Length)
                    throw new ArgumentException($"level {l} (dimension {e}): array_segments ends at {seg[(int)nodes]} but array_indices has {idx.Length} entries", nameof(dimensions));
                nodes = idx.Length;
            }
            else
            {
                throw new ArgumentException($"level {l}: unknown dimension format {(int)dim.Format}", nameof(dimensions));
            }
        }
        return (int)nodes;
    }
}
