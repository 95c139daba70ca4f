namespace QuantKernels.Vision.Preprocessing;

/// <summary>
/// Separable antialiased bilinear resampling of RGB24 rows into RGB floats: the caller feeds every source row
/// (horizontal pass into an intermediate buffer), then reads destination rows (vertical pass). Buffers grow only,
/// so a reused instance allocates nothing for images no larger than those it has seen.
/// </summary>
internal sealed class RgbResampler
{
    private readonly ResampleTaps _x = new();
    private readonly ResampleTaps _y = new();
    private float[] _rows = []; // [sourceHeight, destinationWidth, 3]
    private int _srcW, _srcH, _dstW, _dstH;

    /// <summary>Prepares for a source of <paramref name="srcW"/>x<paramref name="srcH"/> into <paramref name="dstW"/>x<paramref name="dstH"/>.</summary>
    public void Prepare(int srcW, int srcH, int dstW, int dstH)
    {
        _x.Prepare(srcW, dstW);
        _y.Prepare(srcH, dstH);
        long need = (long)srcH * dstW * 3;
        if (need > Array.MaxLength) throw new ArgumentException($"intermediate buffer for {srcW}x{srcH} -> {dstW}x{dstH} is too large");
        if (_rows.Length < need) _rows = new float[need];
        (_srcW, _srcH, _dstW, _dstH) = (srcW, srcH, dstW, dstH);
    }

    /// <summary>Horizontal pass of source row <paramref name="y"/> (RGB24, at least 3 * source width bytes).</summary>
    public void AddRow(int y, ReadOnlySpan<byte> rgb)
    {
        var start = _x.Start;
        var count = _x.Count;
        var weights = _x.Weights;
        int stride = _x.Stride;
        var dst = _rows.AsSpan(y * _dstW * 3, _dstW * 3);
        rgb = rgb[..(_srcW * 3)];
        for (int i = 0; i < _dstW; i++)
        {
            float r = 0, g = 0, b = 0;
            var w = weights.Slice(i * stride, count[i]);
            var px = rgb.Slice(start[i] * 3, count[i] * 3);
            for (int k = 0; k < w.Length; k++)
            {
                float wk = w[k];
                r += px[3 * k] * wk;
                g += px[3 * k + 1] * wk;
                b += px[3 * k + 2] * wk;
            }
            dst[3 * i] = r;
            dst[3 * i + 1] = g;
            dst[3 * i + 2] = b;
        }
    }

    /// <summary>Vertical pass: destination row <paramref name="y"/> as RGB floats (0-255) into <paramref name="row"/> (3 * destination width).</summary>
    public void GetRow(int y, Span<float> row)
    {
        row = row[..(_dstW * 3)];
        row.Clear();
        int n = _y.Count[y], s = _y.Start[y];
        var w = _y.Weights.Slice(y * _y.Stride, n);
        int len = _dstW * 3;
        for (int k = 0; k < n; k++)
        {
            var src = _rows.AsSpan((s + k) * len, len);
            float wk = w[k];
            for (int i = 0; i < len; i++) row[i] += src[i] * wk;
        }
    }
}
