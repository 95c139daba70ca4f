using QuantKernels.Kernels.Layout;
using Xunit;

namespace QuantKernels.Kernels.Tests.Layout;

// TFLite vectors from tensorflow/lite/kernels/resize_bilinear_test.cc and resize_nearest_neighbor_test.cc.
public class ResizeTests
{
    private static void AssertNear(float[] expected, float[] actual, float tol = 1e-5f)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.InRange(actual[i], expected[i] - tol, expected[i] + tol);
    }

    [Fact]
    public void FloatVectors()
    {
        var o = new float[3];
        ResizeBilinear.Float([3, 6], new Nhwc(1, 1, 2, 1), o, new Nhwc(1, 1, 3, 1), false, false);
        AssertNear([3, 5, 6], o);
        ResizeBilinear.Float([3, 9], new Nhwc(1, 2, 1, 1), o, new Nhwc(1, 3, 1, 1), false, false);
        AssertNear([3, 7, 9], o);
        var o18 = new float[18];
        ResizeBilinear.Float([3, 6, 9, 12, 4, 10, 10, 16], new Nhwc(2, 2, 2, 1), o18, new Nhwc(2, 3, 3, 1), false, false);
        AssertNear([3, 5, 6, 7, 9, 10, 9, 11, 12, 4, 8, 10, 8, 12, 14, 10, 14, 16], o18);
        ResizeBilinear.Float([1, 2, 3, 4, 1, 2, 3, 4], new Nhwc(2, 2, 2, 1), o18, new Nhwc(2, 3, 3, 1), false, true);
        AssertNear([1, 1.5f, 2, 2, 2.5f, 3, 3, 3.5f, 4, 1, 1.5f, 2, 2, 2.5f, 3, 3, 3.5f, 4], o18);
        ResizeBilinear.Float([3, 4, 6, 10, 9, 10, 12, 16], new Nhwc(1, 2, 2, 2), o18, new Nhwc(1, 3, 3, 2), false, false);
        AssertNear([3, 4, 5, 8, 6, 10, 7, 8, 9, 12, 10, 14, 9, 10, 11, 14, 12, 16], o18);
        // align_corners: 2x2 -> 3x3 puts the corners on the corners.
        var a = new float[9];
        ResizeBilinear.Float([3, 6, 9, 12], new Nhwc(1, 2, 2, 1), a, new Nhwc(1, 3, 3, 1), true, false);
        AssertNear([3, 4.5f, 6, 6, 7.5f, 9, 9, 10.5f, 12], a);
    }

    public static IEnumerable<object[]> Uint8Vectors() =>
    [
        // (input, in shape, out H, W, expected, half_pixel)
        [new byte[] { 3, 6 }, new Nhwc(1, 1, 2, 1), 1, 3, new byte[] { 3, 5, 6 }, false],
        [new byte[] { 3, 9 }, new Nhwc(1, 2, 1, 1), 3, 1, new byte[] { 3, 7, 9 }, false],
        [new byte[] { 3, 6, 9, 12 }, new Nhwc(1, 2, 2, 1), 3, 3, new byte[] { 3, 5, 6, 7, 9, 10, 9, 11, 12 }, false],
        [new byte[] { 3, 6, 9, 12, 4, 10, 12, 16 }, new Nhwc(2, 2, 2, 1), 3, 3, new byte[] { 3, 5, 6, 7, 9, 10, 9, 11, 12, 4, 8, 10, 9, 12, 14, 12, 14, 16 }, false],
        [new byte[] { 3, 6, 9, 12, 4, 10, 12, 16 }, new Nhwc(2, 2, 2, 1), 3, 3, new byte[] { 2, 4, 6, 6, 7, 9, 9, 10, 12, 4, 7, 10, 8, 10, 13, 12, 14, 16 }, true],
        [new byte[] { 3, 4, 6, 10, 10, 12, 14, 16 }, new Nhwc(1, 2, 2, 2), 3, 3, new byte[] { 3, 4, 5, 8, 6, 10, 7, 9, 10, 12, 11, 14, 10, 12, 12, 14, 14, 16 }, false],
        [new byte[] { 253, 255 }, new Nhwc(1, 1, 2, 1), 1, 3, new byte[] { 253, 254, 255 }, false],
    ];

    // TFLite's vectors allow max_abs_err 1 for 8-bit (kernels differ by path); both of ours must stay within it.
    [Theory]
    [MemberData(nameof(Uint8Vectors))]
    public void Uint8WithinTfliteTolerance(byte[] input, Nhwc inShape, int h, int w, byte[] expected, bool halfPixel)
    {
        var outShape = new Nhwc(inShape.N, h, w, inShape.C);
        var x = new byte[outShape.ElementCount];
        var r = new byte[outShape.ElementCount];
        ResizeBilinear.QuantizedXnnpack<byte>(input, inShape, x, outShape, false, halfPixel);
        ResizeBilinear.QuantizedReference<byte>(input, inShape, r, outShape, false, halfPixel);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.InRange(x[i], expected[i] - 1, expected[i] + 1);
            Assert.InRange(r[i], expected[i] - 1, expected[i] + 1);
        }
    }

    [Fact]
    public void Int8ExactHandComputed()
    {
        // HorizontalResizeExtremeValuesInt8 {125,127} -> {125,126,127} and ...NegativeValuesInt8 {-120,-128} -> {-120,-125,-128}.
        // XNNPACK: alpha = lrintf(2/3 * 2048) = 1365; -120*2048 - 8*1365 = -256680; (-256680*2048 + 2^21) >> 22 = -125.
        // Reference: scale_10 = 683; (-120*341 - 128*683)*1024 = -131431424; (x - 2^19) / 2^20 = -125 (truncating).
        var o = new sbyte[3];
        foreach (bool xnn in new[] { true, false })
        {
            Run(xnn, [125, 127], o); Assert.Equal([125, 126, 127], o);
            Run(xnn, [-120, -128], o); Assert.Equal([-120, -125, -128], o);
            Run(xnn, [3, 6], o); Assert.Equal([3, 5, 6], o);
        }
        static void Run(bool xnn, sbyte[] input, sbyte[] o)
        {
            if (xnn) ResizeBilinear.QuantizedXnnpack<sbyte>(input, new Nhwc(1, 1, 2, 1), o, new Nhwc(1, 1, 3, 1), false, false);
            else ResizeBilinear.QuantizedReference<sbyte>(input, new Nhwc(1, 1, 2, 1), o, new Nhwc(1, 1, 3, 1), false, false);
        }
    }

    [Fact]
    public void XnnpackMatchesQ11FormulaOnRandomImages()
    {
        // Independent statement of XNNPACK's q11 math, computed with doubles where exact, over all three coordinate modes.
        var rng = new Random(5);
        var input = new byte[1 * 5 * 7 * 3];
        rng.NextBytes(input);
        var inShape = new Nhwc(1, 5, 7, 3);
        foreach (var (align, half) in new[] { (false, false), (true, false), (false, true) })
        {
            var outShape = new Nhwc(1, 9, 4, 3);
            var o = new byte[outShape.ElementCount];
            ResizeBilinear.QuantizedXnnpack<byte>(input, inShape, o, outShape, align, half);
            for (int y = 0; y < 9; y++)
                for (int x = 0; x < 4; x++)
                {
                    var (t, b, ay) = Coord(y, 5, 9, align, half);
                    var (l, r, ax) = Coord(x, 7, 4, align, half);
                    for (int c = 0; c < 3; c++)
                    {
                        long tl = input[inShape.Offset(0, t, l, c)], tr = input[inShape.Offset(0, t, r, c)];
                        long bl = input[inShape.Offset(0, b, l, c)], br = input[inShape.Offset(0, b, r, c)];
                        long top = tl * 2048 + (tr - tl) * ax, bot = bl * 2048 + (br - bl) * ax;
                        long acc = top * 2048 + (bot - top) * ay;
                        long expected = (long)Math.Floor((acc + (1L << 21)) / (double)(1L << 22));
                        Assert.Equal(expected, o[outShape.Offset(0, y, x, c)]);
                    }
                }
        }

        static (int Lo, int Hi, int Alpha) Coord(int v, int inSize, int outSize, bool align, bool half)
        {
            int adj = align && outSize != 1 ? 1 : 0;
            float scale = (float)(inSize - adj) / (outSize - adj);
            float c = half ? Math.Clamp(v * scale + (0.5f * scale - 0.5f), 0f, inSize - 1) : v * scale;
            int lo = (int)c;
            return (lo, Math.Min(lo + 1, inSize - 1), (int)Math.Round((c - lo) * 2048f, MidpointRounding.ToEven));
        }
    }

    [Fact]
    public void ResizeBilinearBadArgumentsThrow()
    {
        var o = new byte[9];
        Assert.Throws<ArgumentException>(() => ResizeBilinear.QuantizedXnnpack<byte>(new byte[4], new Nhwc(1, 2, 2, 1), o, new Nhwc(1, 3, 3, 1), true, true));
        Assert.Throws<ArgumentException>(() => ResizeBilinear.QuantizedReference<byte>(new byte[3], new Nhwc(1, 2, 2, 1), o, new Nhwc(1, 3, 3, 1), false, false));
        Assert.Throws<ArgumentException>(() => ResizeBilinear.Float(new float[4], new Nhwc(1, 2, 2, 1), new float[18], new Nhwc(1, 3, 3, 2), false, false));
        Assert.Throws<ArgumentException>(() => ResizeBilinear.Float(new float[4], new Nhwc(1, 2, 2, 1), new float[0], new Nhwc(1, 0, 3, 1), false, false));
    }

    [Fact]
    public void NearestNeighborVectors()
    {
        var o3 = new int[3];
        ResizeNearestNeighbor.Run<int>([3, 6], new Nhwc(1, 1, 2, 1), o3, new Nhwc(1, 1, 3, 1), false, false); // HorizontalResize
        Assert.Equal([3, 3, 6], o3);
        var o9 = new byte[9];
        ResizeNearestNeighbor.Run<byte>([3, 6, 9, 12], new Nhwc(1, 2, 2, 1), o9, new Nhwc(1, 3, 3, 1), false, false); // TwoDimensionalResize
        Assert.Equal([3, 3, 6, 3, 3, 6, 9, 9, 12], o9);
        ResizeNearestNeighbor.Run<byte>([3, 6, 9, 12], new Nhwc(1, 2, 2, 1), o9, new Nhwc(1, 3, 3, 1), true, false); // AlignCorners
        Assert.Equal([3, 6, 6, 9, 12, 12, 9, 12, 12], o9);
        ResizeNearestNeighbor.Run<byte>([1, 2, 3, 4], new Nhwc(1, 2, 2, 1), o9, new Nhwc(1, 3, 3, 1), false, true); // HalfPixelCenters
        Assert.Equal([1, 2, 2, 3, 4, 4, 3, 4, 4], o9);
        // Downscale 4 -> 2 with half-pixel centers picks 1 and 3.
        var o2 = new sbyte[2];
        ResizeNearestNeighbor.Run<sbyte>([0, 1, 2, 3], new Nhwc(1, 1, 4, 1), o2, new Nhwc(1, 1, 2, 1), false, true);
        Assert.Equal([1, 3], o2);
        Assert.Throws<ArgumentException>(() => ResizeNearestNeighbor.Run<byte>(new byte[4], new Nhwc(1, 2, 2, 1), new byte[8], new Nhwc(1, 3, 3, 1), false, false));
    }
}
