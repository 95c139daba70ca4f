using QuantKernels.Kernels.Layout;
using Xunit;

namespace QuantKernels.Kernels.Tests.Layout;

public class DataMovementTests
{
    private static int[] Iota(int n, int from = 0) => Enumerable.Range(from, n).ToArray();

    [Fact]
    public void ReshapeResolvesWildcard()
    {
        var s = new int[3];
        Reshape.ResolveShape(24, [2, -1, 3], s);
        Assert.Equal([2, 4, 3], s);
        var o = new float[4];
        Reshape.Copy<float>([1, 2, 3, 4], o);
        Assert.Equal([1f, 2, 3, 4], o);
        Assert.Throws<ArgumentException>(() => Reshape.ResolveShape(24, [-1, -1], new int[2]));
        Assert.Throws<ArgumentException>(() => Reshape.ResolveShape(24, [5, -1], new int[2]));
        Assert.Throws<ArgumentException>(() => Reshape.ResolveShape(24, [5, 5], new int[2]));
        Assert.Throws<ArgumentException>(() => Reshape.Copy<float>(new float[3], new float[4]));
    }

    [Fact]
    public void ConcatenationAxis1And0()
    {
        int[] a = [1, 2, 3, 4, 5, 6], b = [7, 8, 9, 10, 11, 12];
        var shape = new int[] { 2, 0 };
        Concatenation.AccumulateShape([2, 3], 1, shape);
        Concatenation.AccumulateShape([2, 3], 1, shape);
        Assert.Equal([2, 6], shape);
        var o = new int[12];
        Concatenation.CopyInput<int>(a, [2, 3], 1, o, [2, 6], 0);
        Concatenation.CopyInput<int>(b, [2, 3], -1, o, [2, 6], 3);
        Assert.Equal([1, 2, 3, 7, 8, 9, 4, 5, 6, 10, 11, 12], o);
        Concatenation.CopyInput<int>(a, [2, 3], 0, o, [4, 3], 0);
        Concatenation.CopyInput<int>(b, [2, 3], 0, o, [4, 3], 2);
        Assert.Equal(Iota(12, 1), o);
    }

    [Fact]
    public void ConcatenationRequantizesDifferingInputs()
    {
        // input (scale 0.5, zp 10) -> output (scale 0.25, zp 0): q = round(2*(x-10)), x=11 -> 2, x=10 -> 0, x=255 -> 490 -> 255.
        // second input (0.1, 0) -> (0.25, 0): 0.4*x: 5 -> 2, 6 -> 2.4 -> 2, 7 -> 2.8 -> 3; float 0.4f*x rounds half away.
        var o = new byte[6];
        Concatenation.CopyInputRequantized<byte>([11, 10, 255], [1, 3], 0, o, [2, 3], 0, 0.5f, 10, 0.25f, 0);
        Concatenation.CopyInputRequantized<byte>([5, 6, 7], [1, 3], 0, o, [2, 3], 1, 0.1f, 0, 0.25f, 0);
        Assert.Equal([2, 0, 255, 2, 2, 3], o);
        // Equal params copy bits exactly.
        var s = new sbyte[2];
        Concatenation.CopyInputRequantized<sbyte>([-128, 127], [2], 0, s, [2], 0, 0.3f, -5, 0.3f, -5);
        Assert.Equal([-128, 127], s);
        // Ties: 0.5 * (x - 0) / 1 with x = 1, 3, -1 -> 0.5, 1.5, -0.5 -> 1, 2, -1 (half away from zero, TfLiteRound).
        Concatenation.CopyInputRequantized<sbyte>([1, -1], [2], 0, s, [2], 0, 0.5f, 0, 1f, 0);
        Assert.Equal([1, -1], s);
    }

    [Fact]
    public void ConcatenationBadShapesThrow()
    {
        var o = new int[12];
        Assert.Throws<ArgumentException>(() => Concatenation.CopyInput<int>(new int[6], [3, 2], 1, o, [2, 6], 0));
        Assert.Throws<ArgumentException>(() => Concatenation.CopyInput<int>(new int[6], [2, 3], 1, o, [2, 6], 4));
        Assert.Throws<ArgumentException>(() => Concatenation.CopyInput<int>(new int[6], [2, 3], 2, o, [2, 6], 0));
        Assert.Throws<ArgumentException>(() => Concatenation.AccumulateShape([2, 3], 1, new int[] { 3, 0 }));
    }

    [Fact]
    public void PackAndUnpack()
    {
        // pack_test.cc FloatThreeInputs: {1,4}, {2,5}, {3,6}; axis 0 -> {1,4,2,5,3,6}; axis 1 -> {1,2,3,4,5,6}.
        int[][] values = [[1, 4], [2, 5], [3, 6]];
        var shape = new int[2];
        Assert.Equal(2, Pack.ComputeOutputShape([2], 1, 3, shape));
        Assert.Equal([2, 3], shape);
        var o = new int[6];
        for (int i = 0; i < 3; i++) Pack.PackInput<int>(values[i], [2], 0, i, 3, o);
        Assert.Equal([1, 4, 2, 5, 3, 6], o);
        for (int i = 0; i < 3; i++) Pack.PackInput<int>(values[i], [2], 1, i, 3, o);
        Assert.Equal([1, 2, 3, 4, 5, 6], o);
        // unpack_test.cc: 3x2 {1..6} axis 0 -> {1,2},{3,4},{5,6}; axis 1 (2 outputs) -> {1,3,5},{2,4,6}.
        var u = new int[2];
        Pack.UnpackOutput<int>(Iota(6, 1), [2], 0, 1, 3, u);
        Assert.Equal([3, 4], u);
        var u3 = new int[3];
        Pack.UnpackOutput<int>(Iota(6, 1), [3], -1, 1, 2, u3);
        Assert.Equal([2, 4, 6], u3);
        Assert.Throws<ArgumentException>(() => Pack.PackInput<int>(new int[2], [2], 0, 3, 3, o));
        Assert.Throws<ArgumentException>(() => Pack.PackInput<int>(new int[2], [2], 0, 0, 4, o));
    }

    [Fact]
    public void SplitAndSplitV()
    {
        // split_test.cc FourDimensional: 2x2x2x2 of 1..16.
        int[] input = Iota(16, 1);
        int[] shape = [2, 2, 2, 2];
        int size = Split.EqualSizes(2, 2);
        var o = new int[8];
        Split.ExtractRange<int>(input, shape, 0, 0, size, o);
        Assert.Equal(Iota(8, 1), o);
        Split.ExtractRange<int>(input, shape, 1, 1, size, o);
        Assert.Equal([5, 6, 7, 8, 13, 14, 15, 16], o);
        Split.ExtractRange<int>(input, shape, -1, 0, size, o);
        Assert.Equal([1, 3, 5, 7, 9, 11, 13, 15], o);
        // SPLIT_V with a -1.
        var sizes = new int[3];
        Split.ResolveSizes(6, [1, -1, 2], sizes);
        Assert.Equal([1, 3, 2], sizes);
        var mid = new int[3];
        Split.ExtractRange<int>(Iota(6), [6], 0, 1, 3, mid);
        Assert.Equal([1, 2, 3], mid);
        Assert.Throws<ArgumentException>(() => Split.EqualSizes(5, 2));
        Assert.Throws<ArgumentException>(() => Split.ResolveSizes(6, [1, 2], sizes));
        Assert.Throws<ArgumentException>(() => Split.ResolveSizes(6, [-1, -1], sizes));
        Assert.Throws<ArgumentException>(() => Split.ExtractRange<int>(Iota(6), [6], 0, 5, 3, mid));
    }

    [Fact]
    public void SliceWithMinusOneSize()
    {
        // slice_test.cc: 3x2x3x1, begin {1,0,0,0}, size {2,1,-1,1} -> {3,3,3,5,5,5}.
        int[] input = [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6];
        int[] shape = [3, 2, 3, 1];
        var outShape = new int[4];
        Slice.ComputeOutputShape(shape, [1, 0, 0, 0], [2, 1, -1, 1], outShape);
        Assert.Equal([2, 1, 3, 1], outShape);
        var o = new int[6];
        Slice.Run<int>(input, shape, [1, 0, 0, 0], outShape, o);
        Assert.Equal([3, 3, 3, 5, 5, 5], o);
        var o1 = new int[2];
        Slice.Run<int>([1, 2, 3, 4], [4], [1], [2], o1); // In1D
        Assert.Equal([2, 3], o1);
        Assert.Throws<ArgumentException>(() => Slice.ComputeOutputShape([4], [3], [2], new int[1]));
        Assert.Throws<ArgumentException>(() => Slice.ComputeOutputShape([4], [-1], [2], new int[1]));
    }

    [Fact]
    public void PadConstants()
    {
        // pad_test.cc SimpleConstTest and AdvancedConstTest.
        var o = new float[16];
        Pad.Run<float>([1, 2, 3, 4], [1, 2, 2, 1], [0, 0, 1, 1, 1, 1, 0, 0], 0f, o);
        Assert.Equal([0f, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0], o);
        var shape = new int[4];
        Pad.ComputeOutputShape([1, 2, 3, 1], [0, 0, 0, 2, 1, 3, 0, 0], shape);
        Assert.Equal([1, 4, 7, 1], shape);
        var a = new float[28];
        Pad.Run<float>([1, 2, 3, 4, 5, 6], [1, 2, 3, 1], [0, 0, 0, 2, 1, 3, 0, 0], 0f, a);
        Assert.Equal([0f, 1, 2, 3, 0, 0, 0, 0, 4, 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], a);
        // Quantized PAD pads with the zero point; PADV2 with its constant.
        var q = new sbyte[5];
        Pad.Run<sbyte>([1, 2], [2], [1, 2], (sbyte)-7, q);
        Assert.Equal([-7, 1, 2, -7, -7], q);
        Assert.Throws<ArgumentException>(() => Pad.Run<sbyte>([1, 2], [2], [-1, 2], 0, q));
        Assert.Throws<ArgumentException>(() => Pad.Run<sbyte>([1, 2], [2], [1, 2, 3], 0, q));
        Assert.Throws<ArgumentException>(() => Pad.Run<sbyte>([1, 2], [2], [1, 1], 0, q));
    }

    [Fact]
    public void TransposeTfliteVectors()
    {
        // transpose_test.cc: 3x2 perm {1,0}; 2x3x4 perm {2,0,1}.
        var o = new int[6];
        Transpose.Run<int>(Iota(6), [3, 2], [1, 0], o);
        Assert.Equal([0, 2, 4, 1, 3, 5], o);
        var o3 = new int[24];
        var shape = new int[3];
        Transpose.ComputeOutputShape([2, 3, 4], [2, 0, 1], shape);
        Assert.Equal([4, 2, 3], shape);
        Transpose.Run<int>(Iota(24), [2, 3, 4], [2, 0, 1], o3);
        Assert.Equal([0, 4, 8, 12, 16, 20, 1, 5, 9, 13, 17, 21, 2, 6, 10, 14, 18, 22, 3, 7, 11, 15, 19, 23], o3);
        // 6-D: reversing all axes is the same as reading the transposed index.
        int[] s6 = [2, 1, 3, 2, 1, 2];
        var o6 = new byte[24];
        byte[] in6 = Iota(24).Select(i => (byte)i).ToArray();
        Transpose.Run<byte>(in6, s6, [5, 4, 3, 2, 1, 0], o6);
        int k = 0;
        for (int f = 0; f < 2; f++) for (int e = 0; e < 1; e++) for (int d = 0; d < 2; d++) for (int c = 0; c < 3; c++) for (int b = 0; b < 1; b++) for (int a = 0; a < 2; a++)
            Assert.Equal(in6[((((a * 1 + b) * 3 + c) * 2 + d) * 1 + e) * 2 + f], o6[k++]);
        Assert.Throws<ArgumentException>(() => Transpose.Run<int>(Iota(6), [3, 2], [0, 0], o));
        Assert.Throws<ArgumentException>(() => Transpose.Run<int>(Iota(6), [3, 2], [0], o));
        Assert.Throws<ArgumentException>(() => Transpose.ComputeOutputShape([1, 1, 1, 1, 1, 1, 1], [0, 1, 2, 3, 4, 5, 6], new int[7]));
    }

    [Fact]
    public void GatherTfliteVectors()
    {
        // gather_test.cc Shuffle: params 2x2, indices {1, 0}.
        var o = new float[4];
        Gather.Run<float, int>([-2f, 0.2f, 0.7f, 0.8f], [2, 2], [1, 0], [2], 0, 0, o);
        Assert.Equal([0.7f, 0.8f, -2f, 0.2f], o);
        // Axis1: params 1x2x3, indices {1, 0}, axis 1 -> 1x2x3 {4,5,6,1,2,3}.
        var shape = new int[3];
        Assert.Equal(3, Gather.ComputeOutputShape([1, 2, 3], [2], 1, 0, shape));
        var o6 = new int[6];
        Gather.Run<int, long>(Iota(6, 1), [1, 2, 3], [1L, 0L], [2], 1, 0, o6);
        Assert.Equal([4, 5, 6, 1, 2, 3], o6);
        // LastAxis: indices {2, 0}, axis -1 -> {3,1,6,4}.
        var o4 = new int[4];
        Gather.Run<int, int>(Iota(6, 1), [1, 2, 3], [2, 0], [2], -1, 0, o4);
        Assert.Equal([3, 1, 6, 4], o4);
        // Scalar index drops the axis.
        Assert.Equal(2, Gather.ComputeOutputShape([1, 2, 3], [], 1, 0, shape));
        // batch_dims 1: params 2x3, indices 2x2 {{0,2},{1,1}}, axis 1 -> {1,3,5,5}.
        Gather.Run<int, int>(Iota(6, 1), [2, 3], [0, 2, 1, 1], [2, 2], 1, 1, o4);
        Assert.Equal([1, 3, 5, 5], o4);
        Assert.Throws<ArgumentException>(() => Gather.Run<int, int>(Iota(6, 1), [2, 3], [0, 3], [2], 1, 0, o4));
        Assert.Throws<ArgumentException>(() => Gather.Run<int, long>(Iota(6, 1), [2, 3], [-1L, 0L], [2], 1, 0, o4));
        Assert.Throws<ArgumentException>(() => Gather.Run<int, int>(Iota(6, 1), [2, 3], [0, 1], [2], 2, 0, o4));
        Assert.Throws<ArgumentException>(() => Gather.Run<int, int>(Iota(6, 1), [2, 3], [0, 1], [2], 0, 0, new int[5]));
    }

    [Fact]
    public void GatherNdVectors()
    {
        // gather_nd_test.cc ElementIndexingIntoMatrix and SliceIndexingIntoMatrix.
        var o = new float[2];
        GatherNd.Run<float, int>([1.1f, 1.2f, 2.1f, 2.2f], [2, 2], [0, 0, 1, 1], [2, 2], o);
        Assert.Equal([1.1f, 2.2f], o);
        var o4 = new float[4];
        var shape = new int[3];
        Assert.Equal(2, GatherNd.ComputeOutputShape([2, 2], [2, 1], shape));
        GatherNd.Run<float, long>([1.1f, 1.2f, 2.1f, 2.2f], [2, 2], [1L, 0L], [2, 1], o4);
        Assert.Equal([2.1f, 2.2f, 1.1f, 1.2f], o4);
        Assert.Throws<ArgumentException>(() => GatherNd.Run<float, int>(new float[4], [2, 2], [0, 2], [1, 2], new float[1]));
        Assert.Throws<ArgumentException>(() => GatherNd.Run<float, int>(new float[4], [2, 2], [0, 0, 0], [1, 3], new float[1]));
    }

    [Fact]
    public void ArgMinMaxVectors()
    {
        // arg_min_max_test.cc.
        var i32 = new int[1];
        ArgMinMax.Run<float, int>([0.1f, 0.9f, 0.7f, 0.3f], [1, 1, 1, 4], 3, true, i32);
        Assert.Equal(1, i32[0]);
        ArgMinMax.Run<float, int>([0.1f, 0.9f, 0.7f, 0.3f], [1, 1, 1, 4], 3, false, i32);
        Assert.Equal(0, i32[0]);
        var i64 = new long[2];
        ArgMinMax.Run<int, long>([1, 2, 7, 8, 1, 9, 7, 3], [1, 1, 2, 4], 3, true, i64);
        Assert.Equal([3L, 1L], i64);
        var neg = new int[4];
        ArgMinMax.Run<sbyte, int>([1, 2, 7, 8, 1, 9, 7, 3], [1, 1, 2, 4], -2, true, neg);
        Assert.Equal([0, 1, 0, 0], neg);
        // Ties -> lowest index.
        ArgMinMax.Run<byte, int>([5, 5, 5], [3], 0, true, i32);
        Assert.Equal(0, i32[0]);
        ArgMinMax.Run<byte, int>([9, 1, 1], [3], 0, false, i32);
        Assert.Equal(1, i32[0]);
        var shape = new int[3];
        Assert.Equal(3, ArgMinMax.ComputeOutputShape([1, 1, 2, 4], 3, shape));
        Assert.Equal([1, 1, 2], shape);
        Assert.Throws<ArgumentException>(() => ArgMinMax.Run<byte, int>([1, 2], [2], 1, true, i32));
        Assert.Throws<ArgumentException>(() => ArgMinMax.Run<byte, int>([1, 2], [2], 0, true, new int[2]));
    }

    [Fact]
    public void DepthToSpaceAndBack()
    {
        // depth_to_space_test.cc SimpleCase2: 1x1x2x4 {1..8}, block 2 -> 1x2x4x1 {1,2,5,6,3,4,7,8}.
        var o = new int[8];
        Assert.Equal(new Nhwc(1, 2, 4, 1), DepthSpace.DepthToSpaceShape(new Nhwc(1, 1, 2, 4), 2));
        DepthSpace.DepthToSpace<int>(Iota(8, 1), new Nhwc(1, 1, 2, 4), 2, o);
        Assert.Equal([1, 2, 5, 6, 3, 4, 7, 8], o);
        // space_to_depth_test.cc SimpleCase3: 1x4x4x1 -> 1x2x2x4.
        int[] s2d = [1, 2, 5, 6, 3, 4, 7, 8, 9, 10, 13, 14, 11, 12, 15, 16];
        var o16 = new int[16];
        DepthSpace.SpaceToDepth<int>(s2d, new Nhwc(1, 4, 4, 1), 2, o16);
        Assert.Equal(Iota(16, 1), o16);
        var back = new int[16];
        DepthSpace.DepthToSpace<int>(o16, new Nhwc(1, 2, 2, 4), 2, back);
        Assert.Equal(s2d, back);
        Assert.Throws<ArgumentException>(() => DepthSpace.DepthToSpaceShape(new Nhwc(1, 1, 1, 6), 2));
        Assert.Throws<ArgumentException>(() => DepthSpace.SpaceToDepthShape(new Nhwc(1, 3, 4, 1), 2));
        Assert.Throws<ArgumentException>(() => DepthSpace.SpaceToDepth<int>(new int[15], new Nhwc(1, 4, 4, 1), 2, o16));
    }
}
