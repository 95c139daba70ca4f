namespace QuantKernels.Kernels.Layout;

/// <summary>
/// RESIZE_NEAREST_NEIGHBOR, NHWC, TFLite's reference mapping: scale = in/out (align_corners: (in-1)/(out-1));
/// src = min(align_corners ? round_half_away((v + off) * scale) : floor((v + off) * scale), in-1) with
/// off = 0.5 under half_pixel_centers (then max(0, src)). Pure data movement for every element type.
/// </summary>
public static class ResizeNearestNeighbor
{
    /// <summary>Resizes <paramref name="input"/> to <paramref name="outputShape"/>'s H and W.</summary>
    public static void Run<T>(ReadOnlySpan<T> input, Nhwc inputShape, Span<T> output, Nhwc outputShape, bool alignCorners, bool halfPixelCenters)
    {
        inputShape.Validate("input");
        outputShape.Validate("output");
        if (inputShape.N != outputShape.N || inputShape.C != outputShape.C) throw new ArgumentException($"resize input {inputShape} and output {outputShape} differ in batch or channels");
        if (outputShape.H < 1 || outputShape.W < 1 || inputShape.H < 1 || inputShape.W < 1) throw new ArgumentException($"resize sizes must be positive: input {inputShape}, output {outputShape}");
        if (input.Length != inputShape.ElementCount) throw new ArgumentException($"input holds {input.Length} elements, shape {inputShape} needs {inputShape.ElementCount}", nameof(input));
        if (output.Length != outputShape.ElementCount) throw new ArgumentException($"output holds {output.Length} elements, shape {outputShape} needs {outputShape.ElementCount}", nameof(output));
        int c = inputShape.C;
        for (int b = 0; b < outputShape.N; b++)
            for (int y = 0; y < outputShape.H; y++)
            {
                int iy = Source(y, inputShape.H, outputShape.H, alignCorners, halfPixelCenters);
                for (int x = 0; x < outputShape.W; x++)
                {
                    int ix = Source(x, inputShape.W, outputShape.W, alignCorners, halfPixelCenters);
                    input.Slice(inputShape.Offset(b, iy, ix, 0), c).CopyTo(output.Slice(outputShape.Offset(b, y, x, 0), c));
                }
            }
    }

    /// <summary>TFLite's GetNearestNeighbor: the source index of output index <paramref name="value"/>.</summary>
    public static int Source(int value, int inSize, int outSize, bool alignCorners, bool halfPixelCenters)
    {
        float scale = alignCorners && outSize > 1 ? (inSize - 1) / (float)(outSize - 1) : inSize / (float)outSize;
        float offset = halfPixelCenters ? 0.5f : 0f;
        float v = (value + offset) * scale;
        int r = Math.Min(alignCorners ? (int)MathF.Round(v, MidpointRounding.AwayFromZero) : (int)MathF.Floor(v), inSize - 1);
        if (halfPixelCenters) r = Math.Max(0, r);
        return r;
    }
}
