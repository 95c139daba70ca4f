using QuantKernels.Kernels.Layout;
using Xunit;

namespace QuantKernels.Kernels.Tests.Layout;

// Cases follow tensorflow/lite/kernels/strided_slice_test.cc (same names, inputs and expectations).
public class StridedSliceTests
{
    private static (int[] Shape, int[] Data) Slice(int[] data, int[] shape, int[] begin, int[] end, int[] strides, StridedSliceOptions o = default)
    {
        var outShape = new int[16];
        int rank = StridedSlice.ComputeOutputShape(shape, begin, end, strides, o, outShape);
        var s = outShape[..rank];
        var output = new int[s.Aggregate(1, (a, b) => a * b)];
        StridedSlice.Run<int>(data, shape, begin, end, strides, o, output);
        return (s, output);
    }

    private static readonly int[] D1234 = [1, 2, 3, 4];

    [Theory]
    [InlineData(new[] { 1 }, new[] { 3 }, new[] { 1 }, 0, 0, new[] { 2, 3 })]        // In1D
    [InlineData(new[] { 10 }, new[] { 3 }, new[] { 1 }, 0, 0, new int[0])]          // In1D_EmptyOutput
    [InlineData(new[] { -3 }, new[] { 3 }, new[] { 1 }, 0, 0, new[] { 2, 3 })]      // In1D_NegativeBegin
    [InlineData(new[] { -5 }, new[] { 3 }, new[] { 1 }, 0, 0, new[] { 1, 2, 3 })]   // In1D_OutOfRangeBegin
    [InlineData(new[] { 1 }, new[] { -2 }, new[] { 1 }, 0, 0, new[] { 2 })]         // In1D_NegativeEnd
    [InlineData(new[] { -3 }, new[] { 5 }, new[] { 1 }, 0, 0, new[] { 2, 3, 4 })]   // In1D_OutOfRangeEnd
    [InlineData(new[] { 1 }, new[] { 3 }, new[] { 1 }, 1, 0, new[] { 1, 2, 3 })]    // In1D_BeginMask
    [InlineData(new[] { -2 }, new[] { -3 }, new[] { -1 }, 0, 0, new[] { 3 })]       // In1D_NegativeBeginNegativeStride
    [InlineData(new[] { 5 }, new[] { 2 }, new[] { -1 }, 0, 0, new[] { 4 })]         // In1D_OutOfRangeBeginNegativeStride
    [InlineData(new[] { 2 }, new[] { -4 }, new[] { -1 }, 0, 0, new[] { 3, 2 })]     // In1D_NegativeEndNegativeStride
    [InlineData(new[] { -3 }, new[] { -5 }, new[] { -1 }, 0, 0, new[] { 2, 1 })]    // In1D_OutOfRangeEndNegativeStride
    [InlineData(new[] { 1 }, new[] { 3 }, new[] { 1 }, 0, 1, new[] { 2, 3, 4 })]    // In1D_EndMask
    [InlineData(new[] { 0 }, new[] { 4 }, new[] { 2 }, 0, 0, new[] { 1, 3 })]       // stride 2
    [InlineData(new[] { 3 }, new[] { 0 }, new[] { -2 }, 0, 0, new[] { 4, 2 })]
    public void In1D(int[] begin, int[] end, int[] strides, int beginMask, int endMask, int[] expected)
    {
        var (shape, data) = Slice(D1234, [4], begin, end, strides, new StridedSliceOptions(BeginMask: beginMask, EndMask: endMask));
        Assert.Equal([expected.Length], shape);
        Assert.Equal(expected, data);
    }

    [Fact]
    public void In1D_NegStride()
    {
        Assert.Equal([3, 2, 1], Slice([1, 2, 3], [3], [-1], [-4], [-1]).Data);
        Assert.Equal([1], Slice([1, 2], [2], [0], [2], [2]).Data);          // In1D_EvenLenStride2
        Assert.Equal([1, 3], Slice([1, 2, 3], [3], [0], [3], [2]).Data);    // In1D_OddLenStride2
    }

    private static readonly int[] D2x3 = [1, 2, 3, 4, 5, 6];

    [Fact]
    public void In2D()
    {
        Assert.Equal(D2x3, Slice(D2x3, [2, 3], [0, 0], [2, 3], [1, 1]).Data);                 // In2D_Identity
        var r = Slice(D2x3, [2, 3], [1, 0], [2, 2], [1, 1]);                                  // In2D
        Assert.Equal([1, 2], r.Shape); Assert.Equal([4, 5], r.Data);
        Assert.Equal([1, 3], Slice(D2x3, [2, 3], [0, 0], [2, 3], [2, 2]).Data);               // In2D_Stride2
        Assert.Equal([6, 5, 4], Slice(D2x3, [2, 3], [1, -1], [2, -4], [2, -1]).Data);         // In2D_NegStride
        Assert.Equal([1, 2, 4, 5], Slice(D2x3, [2, 3], [1, 0], [2, 2], [1, 1], new(BeginMask: 1)).Data);   // In2D_BeginMask
        Assert.Equal([4, 5, 6], Slice(D2x3, [2, 3], [1, 0], [2, 2], [1, 1], new(EndMask: 2)).Data);        // In2D_EndMask
        Assert.Equal([6, 5, 4], Slice(D2x3, [2, 3], [1, -2], [2, -4], [1, -1], new(BeginMask: 2)).Data);   // In2D_NegStrideBeginMask
        Assert.Equal([5, 4], Slice(D2x3, [2, 3], [1, -2], [2, -3], [1, -1], new(EndMask: 2)).Data);        // In2D_NegStrideEndMask
    }

    private static readonly int[] D2x3x2 = Enumerable.Range(1, 12).ToArray();

    [Fact]
    public void In3D()
    {
        Assert.Equal(D2x3x2, Slice(D2x3x2, [2, 3, 2], [0, 0, 0], [2, 3, 2], [1, 1, 1]).Data);
        Assert.Equal(D2x3x2.Reverse().ToArray(), Slice(D2x3x2, [2, 3, 2], [-1, -1, -1], [-3, -4, -3], [-1, -1, -1]).Data); // In3D_NegStride
        Assert.Equal([1, 5], Slice(D2x3x2, [2, 3, 2], [0, 0, 0], [2, 3, 2], [2, 2, 2]).Data);                             // In3D_Strided2
    }

    [Fact]
    public void ShrinkAxis()
    {
        var r = Slice(D1234, [4], [1], [2], [1], new(ShrinkAxisMask: 1));   // In1D_ShrinkAxisMask1
        Assert.Empty(r.Shape); Assert.Equal([2], r.Data);
        r = Slice([0, 1, 2, 3], [4], [-1], [0], [1], new(ShrinkAxisMask: 1)); // In1D_ShrinkAxisMask1_NegativeSlice
        Assert.Equal([3], r.Data);
        r = Slice([0, 1, 2, 3], [4, 1], [-2, -1], [-1, 0], [1, 1], new(ShrinkAxisMask: 3)); // In2D_ShrinkAxis3_NegativeSlice
        Assert.Empty(r.Shape); Assert.Equal([2], r.Data);
        r = Slice([0, 1, 2, 3], [4, 1], [0, -1], [0, 0], [1, 1], new(BeginMask: 1, EndMask: 1, ShrinkAxisMask: 2)); // In2D_ShrinkAxis2_BeginEndAxis1_NegativeSlice
        Assert.Equal([4], r.Shape); Assert.Equal([0, 1, 2, 3], r.Data);
        r = Slice(D2x3x2, [2, 3, 2], [0, 0, 0], [1, 3, 2], [1, 1, 1], new(ShrinkAxisMask: 1)); // In3D_IdentityShrinkAxis1
        Assert.Equal([3, 2], r.Shape); Assert.Equal([1, 2, 3, 4, 5, 6], r.Data);
        r = Slice(D2x3x2, [2, 3, 2], [0, 0, 0], [1, 1, 1], [1, 1, 1], new(ShrinkAxisMask: 7)); // In3D_IdentityShrinkAxis7
        Assert.Empty(r.Shape); Assert.Equal([1], r.Data);
    }

    [Fact]
    public void EllipsisAndNewAxis()
    {
        // [..., 0:1] on 2x3x2 -> 2x3x1; the ellipsis covers the first two dims.
        var r = Slice(D2x3x2, [2, 3, 2], [0, 0], [0, 1], [1, 1], new(EllipsisMask: 1));
        Assert.Equal([2, 3, 1], r.Shape); Assert.Equal([1, 3, 5, 7, 9, 11], r.Data);
        // EllipsisMask1_NewAxisMask2: [..., newaxis, 1:2] -> 2x3x1x1.
        r = Slice(D2x3x2, [2, 3, 2], [0, 0, 1], [1, 1, 2], [1, 1, 1], new(EllipsisMask: 1, NewAxisMask: 2));
        Assert.Equal([2, 3, 1, 1], r.Shape); Assert.Equal([2, 4, 6, 8, 10, 12], r.Data);
        // [newaxis, 1:2] on 2x3x2 -> 1x1x3x2 (unspecified trailing dims are full).
        r = Slice(D2x3x2, [2, 3, 2], [0, 1], [0, 2], [1, 1], new(NewAxisMask: 1));
        Assert.Equal([1, 1, 3, 2], r.Shape); Assert.Equal([7, 8, 9, 10, 11, 12], r.Data);
    }

    [Fact]
    public void FewerEntriesThanRankTakeWholeTrailingDims()
    {
        var r = Slice(D2x3x2, [2, 3, 2], [1], [2], [1]);
        Assert.Equal([1, 3, 2], r.Shape); Assert.Equal([7, 8, 9, 10, 11, 12], r.Data);
    }

    [Fact]
    public void OffsetMakesEndRelative()
    {
        var r = Slice(D1234, [4], [1], [2], [1], new(Offset: true));
        Assert.Equal([2, 3], r.Data);
        r = Slice(D2x3, [2, 3], [1, -2], [1, 2], [1, 1], new(Offset: true));
        Assert.Equal([5, 6], r.Data);
    }

    [Fact]
    public void WorksOnBytes()
    {
        var o = new byte[2];
        StridedSlice.Run<byte>([10, 20, 30, 40], [4], [3], [0], [-2], default, o);
        Assert.Equal([40, 20], o);
    }

    [Fact]
    public void BadArgumentsThrow()
    {
        var o = new int[4];
        Assert.Throws<ArgumentException>(() => StridedSlice.ComputeOutputShape([4], [0], [4], [0], default, o));       // zero stride
        Assert.Throws<ArgumentException>(() => StridedSlice.ComputeOutputShape([4], [0, 0], [4], [1], default, o));   // length mismatch
        Assert.Throws<ArgumentException>(() => StridedSlice.ComputeOutputShape([4], [0, 0], [1, 1], [1, 1], default, o)); // too many entries
        Assert.Throws<ArgumentException>(() => StridedSlice.ComputeOutputShape([4], [5], [6], [1], new(ShrinkAxisMask: 1), o)); // shrink out of range
        Assert.Throws<ArgumentException>(() => StridedSlice.Run<int>(new int[4], [4], [0], [4], [1], default, new int[3]));
        Assert.Throws<ArgumentException>(() => StridedSlice.Run<int>(new int[3], [4], [0], [4], [1], default, new int[4]));
    }
}
