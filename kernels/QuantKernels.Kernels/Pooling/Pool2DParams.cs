using QuantKernels.Kernels.Layout;

namespace QuantKernels.Kernels.Pooling;

/// <summary>
/// Geometry of a 2-D pooling window. Padding is the number of virtual rows/columns before the image
/// (the caller resolves SAME/VALID: SAME puts total/2 before, the odd one after). Padded taps never
/// contribute: they are skipped, not treated as zeros.
/// </summary>
/// <param name="StrideH">Vertical stride (&gt;= 1).</param>
/// <param name="StrideW">Horizontal stride (&gt;= 1).</param>
/// <param name="FilterH">Window height (&gt;= 1).</param>
/// <param name="FilterW">Window width (&gt;= 1).</param>
/// <param name="PadTop">Rows of padding before the first input row.</param>
/// <param name="PadLeft">Columns of padding before the first input column.</param>
public readonly record struct Pool2DParams(int StrideH, int StrideW, int FilterH, int FilterW, int PadTop, int PadLeft)
{
    internal void Validate(Nhwc input, Nhwc output, int inputLength, int outputLength)
    {
        if (StrideH < 1 || StrideW < 1) throw new ArgumentException($"pool strides must be >= 1, got {StrideH}x{StrideW}");
        if (FilterH < 1 || FilterW < 1) throw new ArgumentException($"pool filter must be >= 1, got {FilterH}x{FilterW}");
        if (PadTop < 0 || PadLeft < 0) throw new ArgumentException($"pool padding must be >= 0, got top {PadTop} left {PadLeft}");
        input.Validate("input");
        output.Validate("output");
        if (input.N != output.N || input.C != output.C)
            throw new ArgumentException($"pool input {input} and output {output} differ in batch or channels");
        if (inputLength != input.ElementCount) throw new ArgumentException($"input span holds {inputLength} elements, shape {input} needs {input.ElementCount}", "input");
        if (outputLength != output.ElementCount) throw new ArgumentException($"output span holds {outputLength} elements, shape {output} needs {output.ElementCount}", "output");
    }

    /// <summary>In-image window bounds for output (y, x): [y0, y1) x [x0, x1) in input coordinates.</summary>
    internal void Window(int outY, int outX, Nhwc input, out int y0, out int y1, out int x0, out int x1)
    {
        int originY = outY * StrideH - PadTop;
        int originX = outX * StrideW - PadLeft;
        y0 = Math.Max(0, originY);
        y1 = Math.Min(input.H, originY + FilterH);
        x0 = Math.Max(0, originX);
        x1 = Math.Min(input.W, originX + FilterW);
    }
}
