using QuantKernels.Kernels.Layout;
using Xunit;

namespace QuantKernels.Kernels.Tests.Layout;

// Seeded random sweeps: each kernel against an independent statement of its definition or its inverse.
public class LayoutPropertyTests
{
    private static int[] RandomShape(Random rng, int rank, int max = 4)
        => Enumerable.Range(0, rank).Select(_ => rng.Next(1, max + 1)).ToArray();

    private static int Count(int[] s) => s.Aggregate(1, (a, b) => a * b);

    private static int[] Unravel(int flat, int[] shape)
    {
        var idx = new int[shape.Length];
        for (int k = shape.Length - 1; k >= 0; k--) { idx[k] = flat % shape[k]; flat /= shape[k]; }
        return idx;
    }

    private static int Ravel(int[] idx, int[] shape)
    {
        int f = 0;
        for (int k = 0; k < shape.Length; k++) f = f * shape[k] + idx[k];
        return f;
    }

    [Fact]
    public void TransposeMatchesIndexDefinitionAndInverts()
    {
        var rng = new Random(11);
        for (int t = 0; t < 200; t++)
        {
            int rank = rng.Next(1, 7);
            int[] shape = RandomShape(rng, rank, 3);
            int[] perm = Enumerable.Range(0, rank).OrderBy(_ => rng.Next()).ToArray();
            int n = Count(shape);
            int[] input = Enumerable.Range(0, n).ToArray();
            var outShape = new int[rank];
            Transpose.ComputeOutputShape(shape, perm, outShape);
            var o = new int[n];
            Transpose.Run<int>(input, shape, perm, o);
            for (int f = 0; f < n; f++)
            {
                int[] oi = Unravel(f, outShape);
                var ii = new int[rank];
                for (int k = 0; k < rank; k++) ii[perm[k]] = oi[k];
                Assert.Equal(Ravel(ii, shape), o[f]);
            }
            var inv = new int[rank];
            for (int k = 0; k < rank; k++) inv[perm[k]] = k;
            var back = new int[n];
            Transpose.Run<int>(o, outShape, inv, back);
            Assert.Equal(input, back);
        }
    }

    [Fact]
    public void StridedSliceMatchesPythonSlicing()
    {
        // Without masks, TFLite's strided slice equals Python's a[b:e:s] on every axis.
        var rng = new Random(12);
        for (int t = 0; t < 300; t++)
        {
            int rank = rng.Next(1, 4);
            int[] shape = RandomShape(rng, rank, 5);
            var begin = new int[rank]; var end = new int[rank]; var strides = new int[rank];
            var axes = new List<int>[rank];
            for (int k = 0; k < rank; k++)
            {
                begin[k] = rng.Next(-7, 8); end[k] = rng.Next(-7, 8);
                strides[k] = rng.Next(1, 4) * (rng.Next(2) == 0 ? 1 : -1);
                axes[k] = PySlice(shape[k], begin[k], end[k], strides[k]);
            }
            var outShape = new int[8];
            int r = StridedSlice.ComputeOutputShape(shape, begin, end, strides, default, outShape);
            Assert.Equal(axes.Select(a => a.Count).ToArray(), outShape[..r]);
            int n = Count(shape);
            int[] input = Enumerable.Range(0, n).ToArray();
            var o = new int[axes.Aggregate(1, (a, l) => a * l.Count)];
            StridedSlice.Run<int>(input, shape, begin, end, strides, default, o);
            for (int f = 0; f < o.Length; f++)
            {
                int[] oi = Unravel(f, axes.Select(a => a.Count).ToArray());
                var ii = new int[rank];
                for (int k = 0; k < rank; k++) ii[k] = axes[k][oi[k]];
                Assert.Equal(Ravel(ii, shape), o[f]);
            }
        }

        static List<int> PySlice(int size, int b, int e, int s)
        {
            // Python's slice.indices semantics.
            int lower = s > 0 ? 0 : -1, upper = s > 0 ? size : size - 1;
            int start = b < 0 ? Math.Max(b + size, lower) : Math.Min(b, upper);
            int stop = e < 0 ? Math.Max(e + size, lower) : Math.Min(e, upper);
            var l = new List<int>();
            for (int i = start; s > 0 ? i < stop : i > stop; i += s) l.Add(i);
            return l;
        }
    }

    [Fact]
    public void PadThenSliceIsIdentity()
    {
        var rng = new Random(13);
        for (int t = 0; t < 100; t++)
        {
            int rank = rng.Next(1, 5);
            int[] shape = RandomShape(rng, rank);
            var pads = new int[2 * rank];
            for (int i = 0; i < pads.Length; i++) pads[i] = rng.Next(0, 3);
            // Unpadded trailing axes (NHWC spatial padding): Pad copies whole runs of them at once.
            if (t % 3 == 0) for (int i = 2 * rng.Next(rank); i < pads.Length; i++) pads[i] = 0;
            var padded = new int[rank];
            Pad.ComputeOutputShape(shape, pads, padded);
            int[] input = Enumerable.Range(1, Count(shape)).ToArray();
            var p = new int[Count(padded)];
            Pad.Run<int>(input, shape, pads, -1, p);
            Assert.Equal(Count(padded) - input.Length, p.Count(v => v == -1));
            var begin = Enumerable.Range(0, rank).Select(k => pads[2 * k]).ToArray();
            var back = new int[input.Length];
            Slice.Run<int>(p, padded, begin, shape, back);
            Assert.Equal(input, back);
        }
    }

    [Fact]
    public void SplitThenConcatIsIdentityAndPackUnpackInvert()
    {
        var rng = new Random(14);
        for (int t = 0; t < 100; t++)
        {
            int rank = rng.Next(1, 5);
            int[] shape = RandomShape(rng, rank);
            int axis = rng.Next(rank);
            int[] input = Enumerable.Range(0, Count(shape)).ToArray();
            var o = new int[input.Length];
            int start = 0;
            while (start < shape[axis])
            {
                int len = rng.Next(1, shape[axis] - start + 1);
                var partShape = (int[])shape.Clone(); partShape[axis] = len;
                var part = new int[Count(partShape)];
                Split.ExtractRange<int>(input, shape, axis, start, len, part);
                Concatenation.CopyInput<int>(part, partShape, axis, o, shape, start);
                start += len;
            }
            Assert.Equal(input, o);
            // Unpack along the axis, then pack back.
            int[] valueShape = shape.Where((_, k) => k != axis).ToArray();
            var packed = new int[input.Length];
            for (int i = 0; i < shape[axis]; i++)
            {
                var v = new int[Count(valueShape)];
                Pack.UnpackOutput<int>(input, valueShape, axis, i, shape[axis], v);
                Pack.PackInput<int>(v, valueShape, axis, i, shape[axis], packed);
            }
            Assert.Equal(input, packed);
        }
    }

    [Fact]
    public void GatherMatchesIndexDefinition()
    {
        var rng = new Random(15);
        for (int t = 0; t < 100; t++)
        {
            int rank = rng.Next(1, 4);
            int[] shape = RandomShape(rng, rank);
            int axis = rng.Next(rank);
            int nIdx = rng.Next(1, 5);
            int[] indices = Enumerable.Range(0, nIdx).Select(_ => rng.Next(shape[axis])).ToArray();
            var outShape = new int[8];
            int r = Gather.ComputeOutputShape(shape, [nIdx], axis, 0, outShape);
            int[] os = outShape[..r];
            int[] input = Enumerable.Range(0, Count(shape)).ToArray();
            var o = new int[Count(os)];
            Gather.Run<int, int>(input, shape, indices, [nIdx], axis, 0, o);
            for (int f = 0; f < o.Length; f++)
            {
                int[] oi = Unravel(f, os);
                int[] ii = (int[])oi.Clone();
                ii[axis] = indices[oi[axis]];
                Assert.Equal(Ravel(ii, shape), o[f]);
            }
        }
    }
}
