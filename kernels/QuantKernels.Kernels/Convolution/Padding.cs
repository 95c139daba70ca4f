namespace QuantKernels.Kernels.Convolution;

/// <summary>TFLite's padding schemes (schema <c>Padding</c>: SAME = 0, VALID = 1).</summary>
public enum PaddingType
{
    /// <summary>Output size ceil(in / stride); zeros (skipped taps) around the image, the odd pixel after.</summary>
    Same = 0,

    /// <summary>No padding: only windows that lie wholly inside the image.</summary>
    Valid = 1,
}

/// <summary>Output size and leading padding of one spatial dimension, as TFLite computes them (DESIGN.md §3).</summary>
public static class Padding
{
    /// <summary>
    /// SAME: out = ceil(in / stride), total = max((out - 1) * stride + (k - 1) * dilation + 1 - in, 0),
    /// before = total / 2 (the odd pixel goes after). VALID: out = (in - effective_k) / stride + 1, before = 0.
    /// </summary>
    /// <param name="inSize">Input extent (height or width), at least 1.</param>
    /// <param name="filterSize">Filter extent along the same axis, at least 1.</param>
    /// <param name="stride">Stride, at least 1.</param>
    /// <param name="dilation">Dilation factor, at least 1.</param>
    /// <param name="padding">SAME or VALID.</param>
    /// <returns>The output extent and the number of padded pixels before the first input pixel.</returns>
    /// <exception cref="ArgumentException">Non-positive sizes/stride/dilation, or a VALID window larger than the input.</exception>
    public static (int OutSize, int PadBefore) Compute(int inSize, int filterSize, int stride, int dilation, PaddingType padding)
    {
        if (inSize < 1) throw new ArgumentException($"input size must be at least 1, got {inSize}", nameof(inSize));
        if (filterSize < 1) throw new ArgumentException($"filter size must be at least 1, got {filterSize}", nameof(filterSize));
        if (stride < 1) throw new ArgumentException($"stride must be at least 1, got {stride}", nameof(stride));
        if (dilation < 1) throw new ArgumentException($"dilation must be at least 1, got {dilation}", nameof(dilation));
        long effective = (long)(filterSize - 1) * dilation + 1;
        switch (padding)
        {
            case PaddingType.Same:
            {
                int outSize = (int)(((long)inSize + stride - 1) / stride);
                long total = Math.Max((long)(outSize - 1) * stride + effective - inSize, 0);
                return (outSize, (int)(total / 2));
            }
            case PaddingType.Valid:
                if (effective > inSize)
                    throw new ArgumentException($"VALID padding: effective filter size {effective} exceeds input size {inSize}", nameof(filterSize));
                return ((int)((inSize - effective) / stride + 1), 0);
            default:
                throw new ArgumentException($"unknown padding type {padding}", nameof(padding));
        }
    }
}
