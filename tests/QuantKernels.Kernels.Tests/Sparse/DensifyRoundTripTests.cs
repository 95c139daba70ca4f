using QuantKernels.Kernels.Sparse;

namespace QuantKernels.Kernels.Tests.Sparse;

/// <summary>
/// Random dense tensors encoded by an independent, brute-force encoder (the format's definition: a CSR level keeps
/// exactly the children whose subtree holds a nonzero; a dense level keeps all) under random traversal orders,
/// level formats, blocks and index widths, then expanded by <see cref="Densify.ToDense{T}"/>: it must give back the
/// tensor.
/// </summary>
public class DensifyRoundTripTests
{
    [Fact]
    public void Random_encodings_expand_back_to_the_dense_tensor()
    {
        for (int seed = 0; seed < 600; seed++)
        {
            var rng = new Random(seed);
            int rank = 1 + rng.Next(3);
            var shape = new int[rank];
            for (int d = 0; d < rank; d++) shape[d] = 1 + rng.Next(5);

            // Block some dimensions by a divisor of their size.
            var blockMapList = new List<int>();
            var blockSizes = new List<int>();
            for (int d = 0; d < rank; d++)
            {
                if (rng.Next(3) != 0) continue;
                var divisors = Enumerable.Range(1, shape[d]).Where(k => shape[d] % k == 0).ToArray();
                blockMapList.Add(d);
                blockSizes.Add(divisors[rng.Next(divisors.Length)]);
            }
            int[] blockMap = [.. blockMapList];
            int levels = rank + blockMap.Length;
            int[] traversal = [.. Enumerable.Range(0, rank).OrderBy(_ => rng.Next()), .. Enumerable.Range(rank, blockMap.Length).OrderBy(_ => rng.Next())];
            var csr = new bool[levels];
            for (int l = 0; l < rank; l++) csr[l] = rng.Next(2) == 0;
            int width = new[] { 1, 2, 4 }[rng.Next(3)];

            int n = shape.Aggregate(1, (a, b) => a * b);
            var dense = new int[n];
            for (int i = 0; i < n; i++) dense[i] = rng.Next(10) < 3 ? rng.Next(-50, 50) : 0;

            var (dims, values) = Encode(dense, shape, traversal, blockMap, [.. blockSizes], csr, width);
            string label = $"seed {seed}: shape [{string.Join(",", shape)}] traversal [{string.Join(",", traversal)}] blocks [{string.Join(",", blockMap)}]x[{string.Join(",", blockSizes)}] csr [{string.Join(",", csr)}]";
            Assert.True(values.Length == Densify.CountValues(shape, traversal, blockMap, dims), label);
            var output = new int[n];
            Array.Fill(output, 12345);
            Densify.ToDense<int>(values, shape, traversal, blockMap, dims, output);
            Assert.True(dense.SequenceEqual(output), label);
        }
    }

    /// <summary>Brute-force encoder: enumerates each level's nodes as coordinate prefixes.</summary>
    private static (SparseDimension[] Dims, int[] Values) Encode(int[] dense, int[] shape, int[] traversal, int[] blockMap,
        int[] blockSizes, bool[] csr, int width)
    {
        int rank = shape.Length, levels = traversal.Length;
        var bs = new int[rank];
        Array.Fill(bs, 1);
        for (int b = 0; b < blockMap.Length; b++) bs[blockMap[b]] = blockSizes[b];
        int SizeOf(int e) => e < rank ? shape[e] / bs[e] : blockSizes[e - rank];

        // Level coordinates of a dense element; and the prefixes that lead to a nonzero.
        int[] LevelCoords(int flat)
        {
            var orig = new int[rank];
            for (int d = rank - 1; d >= 0; d--) { orig[d] = flat % shape[d]; flat /= shape[d]; }
            var expanded = new int[levels];
            for (int d = 0; d < rank; d++) expanded[d] = orig[d] / bs[d];
            for (int b = 0; b < blockMap.Length; b++) expanded[rank + b] = orig[blockMap[b]] % blockSizes[b];
            return traversal.Select(e => expanded[e]).ToArray();
        }
        var nonzeroPrefixes = new HashSet<string>();
        for (int i = 0; i < dense.Length; i++)
        {
            if (dense[i] == 0) continue;
            var c = LevelCoords(i);
            for (int l = 1; l <= levels; l++) nonzeroPrefixes.Add(string.Join(",", c.Take(l)));
        }
        var denseOf = new Dictionary<string, int>();
        for (int i = 0; i < dense.Length; i++) denseOf[string.Join(",", LevelCoords(i))] = dense[i];

        var nodes = new List<int[]> { Array.Empty<int>() };
        var dims = new SparseDimension[levels];
        for (int l = 0; l < levels; l++)
        {
            int size = SizeOf(traversal[l]);
            var next = new List<int[]>();
            var segments = new List<int> { 0 };
            var indices = new List<int>();
            foreach (var p in nodes)
            {
                for (int i = 0; i < size; i++)
                {
                    int[] child = [.. p, i];
                    if (csr[l] && !nonzeroPrefixes.Contains(string.Join(",", child))) continue;
                    next.Add(child);
                    indices.Add(i);
                }
                segments.Add(indices.Count);
            }
            dims[l] = csr[l] ? SparseDimension.Csr(Index(segments, width), Index(indices, width)) : SparseDimension.Dense(size);
            nodes = next;
        }
        return (dims, nodes.Select(c => denseOf[string.Join(",", c)]).ToArray());
    }

    private static SparseIndexArray Index(List<int> v, int width) => width switch
    {
        1 => SparseIndexArray.FromUInt8(v.Select(x => (byte)x).ToArray()),
        2 => SparseIndexArray.FromUInt16(v.Select(x => (ushort)x).ToArray()),
        _ => SparseIndexArray.FromInt32(v.ToArray()),
    };
}
