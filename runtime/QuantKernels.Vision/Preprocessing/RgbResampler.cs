using System.Runtime.InteropServices;
using QuantKernels.Kernels;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace QuantKernels.Vision.Preprocessing;

/// <summary>
/// Separable antialiased bilinear resampling of RGB24 rows into RGB floats: the caller feeds every source row in order
/// (horizontal pass into an intermediate buffer), then reads destination rows (vertical pass). Buffers grow only,
/// so a reused instance allocates nothing for images no larger than those it has seen.
/// On a vector path (<see cref="ResampleBlocks"/>) rows are gathered into blocks of 8 (AVX2) or 4 (Vector128) and
/// resampled together; the result is identical bit for bit to the scalar passes (<see cref="AddRowScalar"/>,
/// <see cref="GetRowScalar"/>), which stay as the reference and run the last rows that do not fill a block.
/// </summary>
internal sealed class RgbResampler
{
    private readonly ResampleTaps _x = new();
    private readonly ResampleTaps _y = new();
    private readonly int _lanes; // source rows per block: 8 (AVX2), 4 (Vector128), 1 (scalar)
    private float[] _rows = []; // [sourceHeight, destinationWidth, 3]
    private byte[] _stage = []; // [lanes, sourceWidth * 3]: rows waiting for their block
    private float[] _cols = []; // [sourceWidth * 3, lanes]: the block transposed
    private float[] _outT = []; // [destinationWidth * 3, lanes]: horizontal results before transposing back
    private int _srcW, _srcH, _dstW, _dstH, _staged, _blockStart;

    /// <summary>A resampler on <paramref name="path"/> (from <see cref="Dispatch.Select"/>).</summary>
    public RgbResampler(IsaPath path)
    {
        Path = path;
        _lanes = path switch
        {
            IsaPath.Scalar => 1,
            IsaPath.Avx2 or IsaPath.AvxVnni => 8,
            _ => 4,
        };
    }

    /// <summary>The ISA path this instance runs.</summary>
    public IsaPath Path { get; }

    /// <summary>Floats per vector on <see cref="Path"/> (8, 4, or 1 for scalar).</summary>
    public int Lanes => _lanes;

    /// <summary>Prepares for a source of <paramref name="srcW"/>x<paramref name="srcH"/> into <paramref name="dstW"/>x<paramref name="dstH"/>.</summary>
    public void Prepare(int srcW, int srcH, int dstW, int dstH)
    {
        _x.Prepare(srcW, dstW);
        _y.Prepare(srcH, dstH);
        long need = (long)srcH * dstW * 3;
        if (need > Array.MaxLength) throw new ArgumentException($"intermediate buffer for {srcW}x{srcH} -> {dstW}x{dstH} is too large");
        if (_rows.Length < need) _rows = new float[need];
        if (_lanes > 1)
        {
            long stage = (long)srcW * 3 * _lanes;
            if (stage > Array.MaxLength) throw new ArgumentException($"row block for width {srcW} is too large");
            if (_stage.Length < stage) { _stage = new byte[stage]; _cols = new float[stage]; }
            if (_outT.Length < (long)dstW * 3 * _lanes) _outT = new float[dstW * 3 * _lanes];
        }
        (_srcW, _srcH, _dstW, _dstH) = (srcW, srcH, dstW, dstH);
        _staged = 0;
    }

    /// <summary>Horizontal pass of source row <paramref name="y"/> (RGB24, at least 3 * source width bytes); rows
    /// must come in order 0, 1, 2, ... after <see cref="Prepare"/>.</summary>
    public void AddRow(int y, ReadOnlySpan<byte> rgb)
    {
        int len = _srcW * 3;
        rgb = rgb[..len];
        if (_lanes == 1) { AddRowScalar(y, rgb); return; }
        if (_staged == 0) _blockStart = y;
        else if (y != _blockStart + _staged) throw new InvalidOperationException($"source row {y} arrived out of order (expected {_blockStart + _staged})");
        rgb.CopyTo(_stage.AsSpan(_staged * len, len));
        if (++_staged == _lanes)
        {
            var stage = _stage.AsSpan(0, _lanes * len);
            if (_lanes == 8) ResampleBlocks.Horizontal256(stage, len, _x, _cols, _outT, _rows, _blockStart);
            else ResampleBlocks.Horizontal128(stage, len, _x, _cols, _outT, _rows, _blockStart);
            _staged = 0;
        }
        else if (y == _srcH - 1)
        {
            // The last rows do not fill a block: the scalar pass computes the same values.
            for (int k = 0; k < _staged; k++) AddRowScalar(_blockStart + k, _stage.AsSpan(k * len, len));
            _staged = 0;
        }
    }

    /// <summary>Horizontal pass of every row of <paramref name="image"/> (its size must be the prepared source size).</summary>
    public void AddImage(Image<Rgb24> image)
    {
        if (image.Width != _srcW || image.Height != _srcH)
            throw new ArgumentException($"image is {image.Width}x{image.Height}; the resampler was prepared for {_srcW}x{_srcH}");
        if (image.DangerousTryGetSinglePixelMemory(out var memory))
        {
            var all = MemoryMarshal.AsBytes(memory.Span);
            for (int y = 0; y < image.Height; y++) AddRow(y, all.Slice(y * image.Width * 3, image.Width * 3));
        }
        else
        {
            image.ProcessPixelRows(rows =>
            {
                for (int y = 0; y < rows.Height; y++) AddRow(y, MemoryMarshal.AsBytes(rows.GetRowSpan(y)));
            });
        }
    }

    /// <summary>Vertical pass: destination row <paramref name="y"/> as RGB floats (0-255) into <paramref name="row"/> (3 * destination width).</summary>
    public void GetRow(int y, Span<float> row)
    {
        if (_lanes == 1) { GetRowScalar(y, row); return; }
        int len = _dstW * 3;
        ResampleBlocks.Vertical(_lanes, _rows.AsSpan(0, _srcH * len), len, _y.Start[y], _y.Weights.Slice(y * _y.Stride, _y.Count[y]), row);
    }

    /// <summary>The scalar horizontal pass (the reference the vector blocks reproduce).</summary>
    internal void AddRowScalar(int y, ReadOnlySpan<byte> rgb)
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

    /// <summary>The scalar vertical pass (the reference).</summary>
    internal void GetRowScalar(int y, Span<float> row)
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
