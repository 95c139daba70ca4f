namespace QuantKernels.Kernels.Layout;

/// <summary>
/// DEPTH_TO_SPACE and SPACE_TO_DEPTH, NHWC (TensorFlow's DCR order): depth index = (by * block + bx) * C' + c.
/// Pure data movement; quantized tensors keep their parameters.
/// </summary>
public static class DepthSpace
{
    /// <summary>Output shape of DEPTH_TO_SPACE: [N, H*b, W*b, C/(b*b)]; throws unless C divides by b*b.</summary>
    public static Nhwc DepthToSpaceShape(Nhwc input, int blockSize)
    {
        if (blockSize < 1) throw new ArgumentException($"block_size must be >= 1, got {blockSize}", nameof(blockSize));
        if (input.C % (blockSize * blockSize) != 0) throw new ArgumentException($"depth {input.C} is not divisible by block_size^2 = {blockSize * blockSize}", nameof(blockSize));
        return new Nhwc(input.N, input.H * blockSize, input.W * blockSize, input.C / (blockSize * blockSize));
    }

    /// <summary>Output shape of SPACE_TO_DEPTH: [N, H/b, W/b, C*b*b]; throws unless H and W divide by b.</summary>
    public static Nhwc SpaceToDepthShape(Nhwc input, int blockSize)
    {
        if (blockSize < 1) throw new ArgumentException($"block_size must be >= 1, got {blockSize}", nameof(blockSize));
        if (input.H % blockSize != 0 || input.W % blockSize != 0) throw new ArgumentException($"height {input.H} and width {input.W} must be divisible by block_size {blockSize}", nameof(blockSize));
        return new Nhwc(input.N, input.H / blockSize, input.W / blockSize, input.C * blockSize * blockSize);
    }

    /// <summary>DEPTH_TO_SPACE.</summary>
    public static void DepthToSpace<T>(ReadOnlySpan<T> input, Nhwc inputShape, int blockSize, Span<T> output)
    {
        Nhwc o = DepthToSpaceShape(inputShape, blockSize);
        Check(input.Length, inputShape, output.Length, o);
        for (int b = 0; b < o.N; b++)
            for (int y = 0; y < o.H; y++)
                for (int x = 0; x < o.W; x++)
                {
                    int src = inputShape.Offset(b, y / blockSize, x / blockSize, ((y % blockSize) * blockSize + x % blockSize) * o.C);
                    input.Slice(src, o.C).CopyTo(output.Slice(o.Offset(b, y, x, 0), o.C));
                }
    }

    /// <summary>SPACE_TO_DEPTH.</summary>
    public static void SpaceToDepth<T>(ReadOnlySpan<T> input, Nhwc inputShape, int blockSize, Span<T> output)
    {
        Nhwc o = SpaceToDepthShape(inputShape, blockSize);
        Check(input.Length, inputShape, output.Length, o);
        for (int b = 0; b < inputShape.N; b++)
            for (int y = 0; y < inputShape.H; y++)
                for (int x = 0; x < inputShape.W; x++)
                {
                    int dst = o.Offset(b, y / blockSize, x / blockSize, ((y % blockSize) * blockSize + x % blockSize) * inputShape.C);
                    input.Slice(inputShape.Offset(b, y, x, 0), inputShape.C).CopyTo(output.Slice(dst, inputShape.C));
                }
    }

    private static void Check(int inLen, Nhwc inShape, int outLen, Nhwc outShape)
    {
        inShape.Validate("input");
        if (inLen != inShape.ElementCount) throw new ArgumentException($"input holds {inLen} elements, shape {inShape} needs {inShape.ElementCount}", "input");
        if (outLen != outShape.ElementCount) throw new ArgumentException($"output holds {outLen} elements, shape {outShape} needs {outShape.ElementCount}", "output");
    }
}
