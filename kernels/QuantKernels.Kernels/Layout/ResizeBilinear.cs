using System.Numerics;

namespace QuantKernels.Kernels.Layout;

/// <summary>
/// RESIZE_BILINEAR, NHWC. The output size (H, W) comes from <c>outputShape</c>; N and C must match.
/// <list type="bullet">
/// <item><see cref="Float"/>: TFLite's reference float kernel.</item>
/// <item><see cref="QuantizedXnnpack{T}"/>: what TFLite runs by default on CPU for int8/uint8 — the XNNPACK
/// delegate's resize-bilinear (11-bit fixed-point weights, "q11" indirection + s8/u8 ibilinear microkernel).
/// The delegate maps align_corners to XNNPACK's ALIGN_CORNERS and (!align_corners &amp;&amp; !half_pixel_centers)
/// to TENSORFLOW_LEGACY_MODE.</item>
/// <item><see cref="QuantizedReference{T}"/>: TFLite's reference ResizeBilinearInteger (10-bit fixed point,
/// rounding half away from zero), the int8 path of TFLite without delegates and of TFLite Micro.</item>
/// </list>
/// </summary>
public static class ResizeBilinear
{
    /// <summary>TFLite reference float resize.</summary>
    /// <param name="input">NHWC input.</param><param name="inputShape">Input shape.</param>
    /// <param name="output">NHWC output.</param><param name="outputShape">Output shape (same N, C).</param>
    /// <param name="alignCorners">TFLite align_corners.</param><param name="halfPixelCenters">TFLite half_pixel_centers (not with align_corners).</param>
    public static void Float(ReadOnlySpan<float> input, Nhwc inputShape, Span<float> output, Nhwc outputShape, bool alignCorners, bool halfPixelCenters)
    {
        Check(input.Length, inputShape, output.Length, outputShape, alignCorners, halfPixelCenters);
        float hScale = Scale(inputShape.H, outputShape.H, alignCorners);
        float wScale = Scale(inputShape.W, outputShape.W, alignCorners);
        for (int b = 0; b < outputShape.N; b++)
            for (int y = 0; y < outputShape.H; y++)
            {
                Interp(y, hScale, halfPixelCenters, inputShape.H, out float iy, out int y0, out int y1);
                for (int x = 0; x < outputShape.W; x++)
                {
                    Interp(x, wScale, halfPixelCenters, inputShape.W, out float ix, out int x0, out int x1);
                    float dy = iy - y0, dx = ix - x0;
                    int o = outputShape.Offset(b, y, x, 0);
                    for (int c = 0; c < outputShape.C; c++)
                    {
                        // Same association order as TFLite: tl, bl, tr, br, each value * wy * wx.
                        output[o + c] = input[inputShape.Offset(b, y0, x0, c)] * (1 - dy) * (1 - dx)
                                      + input[inputShape.Offset(b, y1, x0, c)] * dy * (1 - dx)
                                      + input[inputShape.Offset(b, y0, x1, c)] * (1 - dy) * dx
                                      + input[inputShape.Offset(b, y1, x1, c)] * dy * dx;
                    }
                }
            }
    }

    /// <summary>
    /// int8/uint8 resize as XNNPACK computes it: per output pixel, float source coordinates
    /// (legacy/align: y * scale; half-pixel: clamp(y * scale + (0.5 * scale - 0.5), 0, H-1)), top = (int)coord,
    /// bottom = min(top+1, H-1), alpha = lrintf((coord - top) * 2048); then per channel
    /// t = (tl &lt;&lt; 11) + (tr - tl) * ax, b = (bl &lt;&lt; 11) + (br - bl) * ax, acc = (t &lt;&lt; 11) + (b - t) * ay,
    /// out = (acc + 2^21) &gt;&gt; 22 (arithmetic shift). Scale and zero point pass through unchanged.
    /// </summary>
    public static void QuantizedXnnpack<T>(ReadOnlySpan<T> input, Nhwc inputShape, Span<T> output, Nhwc outputShape, bool alignCorners, bool halfPixelCenters)
        where T : unmanaged, IBinaryInteger<T>
    {
        Check(input.Length, inputShape, output.Length, outputShape, alignCorners, halfPixelCenters);
        XnnScales(inputShape, outputShape, alignCorners, halfPixelCenters, out float hScale, out float wScale, out bool legacyOrAlign);
        for (int b = 0; b < outputShape.N; b++)
            for (int y = 0; y < outputShape.H; y++)
            {
                XnnCoord(y, hScale, inputShape.H, legacyOrAlign, out int top, out int bottom, out int ay);
                for (int x = 0; x < outputShape.W; x++)
                {
                    XnnCoord(x, wScale, inputShape.W, legacyOrAlign, out int left, out int right, out int ax);
                    int o = outputShape.Offset(b, y, x, 0);
                    for (int c = 0; c < outputShape.C; c++)
                    {
                        int tl = int.CreateTruncating(input[inputShape.Offset(b, top, left, c)]);
                        int tr = int.CreateTruncating(input[inputShape.Offset(b, top, right, c)]);
                        int bl = int.CreateTruncating(input[inputShape.Offset(b, bottom, left, c)]);
                        int br = int.CreateTruncating(input[inputShape.Offset(b, bottom, right, c)]);
                        int t = (tl << 11) + (tr - tl) * ax;
                        int bo = (bl << 11) + (br - bl) * ax;
                        int acc = (t << 11) + (bo - t) * ay;
                        output[o + c] = T.CreateTruncating((acc + (1 << 21)) >> 22);
                    }
                }
            }
    }

    /// <summary>
    /// TFLite's reference ResizeBilinearInteger: scale_10 = ((1&lt;&lt;10) * in + out/2) / out (align_corners:
    /// (in-1), (out-1)); source = y * scale_10 (+ scale_10/2 - 512 with half_pixel_centers); y0 = max(src/1024, 0),
    /// y1 = min(ceil(src/1024), in-1); 20-bit weighted sum in int64 rounded half away from zero.
    /// </summary>
    public static void QuantizedReference<T>(ReadOnlySpan<T> input, Nhwc inputShape, Span<T> output, Nhwc outputShape, bool alignCorners, bool halfPixelCenters)
        where T : unmanaged, IBinaryInteger<T>
    {
        Check(input.Length, inputShape, output.Length, outputShape, alignCorners, halfPixelCenters);
        int hScale = ((1 << 10) * inputShape.H + outputShape.H / 2) / outputShape.H;
        int wScale = ((1 << 10) * inputShape.W + outputShape.W / 2) / outputShape.W;
        if (alignCorners && outputShape.H > 1) hScale = ((1 << 10) * (inputShape.H - 1) + (outputShape.H - 1) / 2) / (outputShape.H - 1);
        if (alignCorners && outputShape.W > 1) wScale = ((1 << 10) * (inputShape.W - 1) + (outputShape.W - 1) / 2) / (outputShape.W - 1);
        for (int b = 0; b < outputShape.N; b++)
            for (int y = 0; y < outputShape.H; y++)
            {
                Interp10(y, hScale, halfPixelCenters, inputShape.H, out int iy, out int y0, out int y1);
                for (int x = 0; x < outputShape.W; x++)
                {
                    Interp10(x, wScale, halfPixelCenters, inputShape.W, out int ix, out int x0, out int x1);
                    long wy1 = iy - (1 << 10) * y0, wy0 = (1 << 10) - wy1;
                    long wx1 = ix - (1 << 10) * x0, wx0 = (1 << 10) - wx1;
                    int o = outputShape.Offset(b, y, x, 0);
                    for (int c = 0; c < outputShape.C; c++)
                    {
                        long sum = long.CreateTruncating(input[inputShape.Offset(b, y0, x0, c)]) * wy0 * wx0
                                 + long.CreateTruncating(input[inputShape.Offset(b, y1, x0, c)]) * wy1 * wx0
                                 + long.CreateTruncating(input[inputShape.Offset(b, y0, x1, c)]) * wy0 * wx1
                                 + long.CreateTruncating(input[inputShape.Offset(b, y1, x1, c)]) * wy1 * wx1;
                        long round = sum > 0 ? (1 << 19) : -(1 << 19);
                        output[o + c] = T.CreateTruncating((sum + round) / (1 << 20));
                    }
                }
            }
    }

    internal static float Scale(int inSize, int outSize, bool alignCorners)
        => alignCorners && outSize > 1 ? (float)(inSize - 1) / (outSize - 1) : (float)inSize / outSize;

    internal static void Interp(int value, float scale, bool halfPixel, int inSize, out float scaled, out int lower, out int upper)
    {
        scaled = halfPixel ? (value + 0.5f) * scale - 0.5f : value * scale;
        lower = Math.Max((int)MathF.Floor(scaled), 0);
        upper = Math.Min((int)MathF.Ceiling(scaled), inSize - 1);
    }

    private static void Interp10(int value, int scale10, bool halfPixel, int inSize, out int scaled, out int lower, out int upper)
    {
        scaled = halfPixel ? value * scale10 + scale10 / 2 - (1 << 9) : value * scale10;
        lower = Math.Max(scaled / (1 << 10), 0);
        upper = Math.Min((scaled + (1 << 10) - 1) / (1 << 10), inSize - 1);
    }

    /// <summary>XNNPACK's source-per-destination scales; <paramref name="legacyOrAlign"/> when coordinates are not half-pixel.</summary>
    internal static void XnnScales(Nhwc inputShape, Nhwc outputShape, bool alignCorners, bool halfPixelCenters,
        out float hScale, out float wScale, out bool legacyOrAlign)
    {
        legacyOrAlign = alignCorners || !halfPixelCenters;
        int hAdj = alignCorners && outputShape.H != 1 ? 1 : 0, wAdj = alignCorners && outputShape.W != 1 ? 1 : 0;
        hScale = (float)(inputShape.H - hAdj) / (float)(outputShape.H - hAdj);
        wScale = (float)(inputShape.W - wAdj) / (float)(outputShape.W - wAdj);
    }

    /// <summary>XNNPACK's source pair and 11-bit weight of destination coordinate <paramref name="value"/>.</summary>
    internal static void XnnCoord(int value, float scale, int inSize, bool legacyOrAlign, out int lo, out int hi, out int alpha)
    {
        int max = inSize - 1;
        float coord;
        if (legacyOrAlign) coord = (float)value * scale;
        else
        {
            float offset = 0.5f * scale - 0.5f;
            coord = (float)value * scale + offset;
            coord = Math.Min(Math.Max(coord, 0f), (float)max);
        }
        lo = (int)coord;
        hi = Math.Min(lo + 1, max);
        alpha = (short)(int)MathF.Round((coord - lo) * 2048f, MidpointRounding.ToEven);
    }

    internal static void Check(int inLen, Nhwc inShape, int outLen, Nhwc outShape, bool alignCorners, bool halfPixelCenters)
    {
        inShape.Validate("input");
        outShape.Validate("output");
        if (alignCorners && halfPixelCenters) throw new ArgumentException("align_corners and half_pixel_centers cannot both be set");
        if (inShape.N != outShape.N || inShape.C != outShape.C) throw new ArgumentException($"resize input {inShape} and output {outShape} differ in batch or channels");
        if (outShape.H < 1 || outShape.W < 1 || inShape.H < 1 || inShape.W < 1) throw new ArgumentException($"resize sizes must be positive: input {inShape}, output {outShape}");
        if (inLen != inShape.ElementCount) throw new ArgumentException($"input holds {inLen} elements, shape {inShape} needs {inShape.ElementCount}", "input");
        if (outLen != outShape.ElementCount) throw new ArgumentException($"output holds {outLen} elements, shape {outShape} needs {outShape.ElementCount}", "output");
    }
}
