using System.Numerics;
using System.Runtime.CompilerServices;

namespace QuantKernels.Kernels.Convolution;

/// <summary>How a GEMM reads its activation rows (what a padded tap must hold so that it adds nothing).</summary>
internal enum PatchFormat
{
    /// <summary>u8 bytes: int8 x xor 0x80 (x + 128) or uint8 x as is; padded taps hold zpIn + 128 / zpIn (AVX-VNNI).</summary>
    FlippedBytes,

    /// <summary>The raw 8-bit values; padded taps hold zpIn (the ARM64 dot-product path).</summary>
    RawBytes,

    /// <summary>int16 x - zpIn; padded taps hold 0 (AVX2, Vector128, scalar, ARM64 AdvSimd).</summary>
    Int16,
}

/// <summary>
/// The filter-height input rows that one output row of a convolution with few input channels reads, converted once per
/// output row into the GEMM's activation format (<see cref="PatchFormat"/>), with the padding columns, and whole rows
/// above or below the image, holding the padded-tap value. A patch is then FH contiguous runs of FW*IC elements (or
/// FW*FH runs of IC when dilated), copied with one or two fixed-size overlapping vector moves each: no edge tests and no
/// per-element conversion per pixel, which is where the time of a K = 27 first layer went (3 runs of 9 bytes per pixel).
/// Buffers are per worker, pinned, allocated at preparation.
/// </summary>
internal sealed unsafe class PaddedInputRows
{
    /// <summary>Bytes of slack after every row and after the last patch row: the overlapping moves write up to this far
    /// past a run's end (into the next run, which is written afterwards, or into slack).</summary>
    public const int Slack = 32;

    private readonly Conv2DGeometry _g;
    private readonly PatchFormat _format;
    private readonly int _zeroPoint; // zpIn (Int16: subtracted; RawBytes: the pad byte)
    private readonly byte _flip, _padByte;
    private readonly int _elem, _rowBytes, _runBytes, _tapBytes, _kBytes, _kPaddedBytes, _rightPadColumns;
    private byte[][] _rows;

    /// <summary>Whether the padded-row gather pays for <paramref name="g"/>: a filter row of at most 32 elements (short
    /// runs, where per-run overheads dominate), not the pointwise fast path. Wide inputs keep the direct gather: their
    /// long runs copy efficiently and converting each input row once per output row would add work.</summary>
    public static bool Suits(in Conv2DGeometry g)
        => g.FilterWidth * g.InputChannels <= 32 && !(g.FilterHeight == 1 && g.FilterWidth == 1)
           && (long)(g.InputWidth + g.PadLeft + g.FilterWidth * g.DilationWidth) * g.InputChannels * sizeof(short) < int.MaxValue / 64;

    /// <param name="g">The convolution (<see cref="Suits"/>).</param>
    /// <param name="format">The GEMM's activation format.</param>
    /// <param name="zeroPoint">The input zero point (raw, as stored in the tensor).</param>
    /// <param name="unsigned">Whether the tensors are uint8 (no flip for <see cref="PatchFormat.FlippedBytes"/>).</param>
    /// <param name="kPadded">The GEMM's activation row stride in elements (K rounded up).</param>
    public PaddedInputRows(in Conv2DGeometry g, PatchFormat format, int zeroPoint, bool unsigned, int kPadded)
    {
        _g = g;
        _format = format;
        _zeroPoint = zeroPoint;
        _flip = format == PatchFormat.FlippedBytes && !unsigned ? (byte)0x80 : (byte)0;
        _padByte = (byte)(zeroPoint ^ _flip);
        _elem = format == PatchFormat.Int16 ? sizeof(short) : 1;
        int ic = g.InputChannels;
        // Columns -PadLeft .. the last one any output pixel reads (may lie past the image: right padding).
        int lastColumn = (g.OutputWidth - 1) * g.StrideWidth - g.PadLeft + (g.FilterWidth - 1) * g.DilationWidth;
        _rightPadColumns = Math.Max(lastColumn + 1 - g.InputWidth, 0);
        int columns = g.PadLeft + g.InputWidth + _rightPadColumns;
        _rowBytes = (columns * ic * _elem + Slack + 63) & ~63;
        _tapBytes = ic * _elem;
        _runBytes = g.FilterWidth * _tapBytes;
        _kBytes = g.FilterHeight * _runBytes;
        _kPaddedBytes = kPadded * _elem;
        _rows = [NewRows()];
    }

    private byte[] NewRows() => GC.AllocateArray<byte>(_g.FilterHeight * _rowBytes, pinned: true);

    /// <summary>Allocates rows for <paramref name="workers"/> concurrent workers (never shrinks).</summary>
    public void EnsureWorkers(int workers)
    {
        WorkerScratch.Grow(ref _rows, workers, NewRows);
    }

    /// <summary>Worker <paramref name="worker"/>'s rows (pinned for the object's lifetime).</summary>
    public byte* Rows(int worker) => (byte*)Unsafe.AsPointer(ref _rows[worker][0]);

    /// <summary>Fills <paramref name="rows"/> with the input rows output row <paramref name="oy"/> of image <paramref name="b"/> reads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Build<T>(T* input, int b, int oy, byte* rows, bool vectorize) where T : unmanaged, IBinaryInteger<T>
    {
        Conv2DGeometry g = _g;
        int ic = g.InputChannels, leftBytes = g.PadLeft * _tapBytes, imageElems = g.InputWidth * ic;
        for (int ky = 0; ky < g.FilterHeight; ky++, rows += _rowBytes)
        {
            int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
            if ((uint)iy >= (uint)g.InputHeight)
            {
                Pad(rows, leftBytes + imageElems * _elem + _rightPadColumns * _tapBytes);
                continue;
            }
            T* src = input + ((long)(b * g.InputHeight + iy) * g.InputWidth) * ic;
            Pad(rows, leftBytes);
            byte* image = rows + leftBytes;
            switch (_format)
            {
                case PatchFormat.FlippedBytes: VnniActivations.Copy(src, image, imageElems, _flip); break;
                case PatchFormat.RawBytes: Buffer.MemoryCopy(src, image, imageElems, imageElems); break;
                default: Int16Widen.Run(src, (short*)image, imageElems, _zeroPoint, vectorize); break;
            }
            Pad(image + imageElems * _elem, _rightPadColumns * _tapBytes);
        }
    }

    /// <summary>The cursor of output pixel <paramref name="pixel"/> (row-major over batches, rows, columns), rows not built yet.</summary>
    public PixelCursor Start(int pixel)
    {
        int perImage = _g.OutputHeight * _g.OutputWidth;
        return new PixelCursor { B = pixel / perImage, Y = pixel % perImage / _g.OutputWidth, X = pixel % _g.OutputWidth };
    }

    /// <summary>Writes the patch of the pixel at <paramref name="at"/> to <paramref name="dst"/> and advances the cursor,
    /// (re)building <paramref name="rows"/> when the pixel starts an output row the rows do not hold yet.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void GatherNext<T>(T* input, ref PixelCursor at, byte* rows, byte* dst, bool vectorize) where T : unmanaged, IBinaryInteger<T>
    {
        if (!at.Built)
        {
            Build(input, at.B, at.Y, rows, vectorize);
            at.Built = true;
        }
        Gather(rows, at.X, dst);
        if (++at.X == _g.OutputWidth)
        {
            at.X = 0;
            if (++at.Y == _g.OutputHeight) { at.Y = 0; at.B++; }
            at.Built = false;
        }
    }

    /// <summary>Writes the patch of output column <paramref name="ox"/> (K elements, then zeros to K padded) at
    /// <paramref name="dst"/> from rows built by <see cref="Build"/>; may write up to <see cref="Slack"/> bytes past K padded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Gather(byte* rows, int ox, byte* dst)
    {
        Conv2DGeometry g = _g;
        byte* src = rows + ox * g.StrideWidth * _tapBytes;
        if (g.DilationWidth == 1)
        {
            for (int ky = 0; ky < g.FilterHeight; ky++, src += _rowBytes, dst += _runBytes) Move(src, dst, _runBytes);
            dst -= _kBytes;
        }
        else
        {
            int step = g.DilationWidth * _tapBytes;
            byte* d = dst;
            for (int ky = 0; ky < g.FilterHeight; ky++, src += _rowBytes)
                for (int kx = 0; kx < g.FilterWidth; kx++, d += _tapBytes) Move(src + kx * step, d, _tapBytes);
        }
        // The K tail must read as zero (zero weights there, and row sums run over K padded).
        if (_kPaddedBytes > _kBytes) new Span<byte>(dst + _kBytes, _kPaddedBytes - _kBytes).Clear();
    }

    /// <summary>Copies <paramref name="bytes"/> (at most 64) with fixed-size moves that may overrun by up to 31 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Move(byte* src, byte* dst, int bytes)
    {
        if (bytes <= 16) Unsafe.CopyBlockUnaligned(dst, src, 16);
        else if (bytes <= 32) Unsafe.CopyBlockUnaligned(dst, src, 32);
        else
        {
            Unsafe.CopyBlockUnaligned(dst, src, 32);
            Unsafe.CopyBlockUnaligned(dst + 32, src + 32, 32);
        }
    }

    private void Pad(byte* dst, int bytes)
    {
        if (_format == PatchFormat.Int16) new Span<byte>(dst, bytes).Clear();
        else new Span<byte>(dst, bytes).Fill(_padByte);
    }
}

/// <summary>An output pixel (batch, row, column) walked in order by <see cref="PaddedInputRows.GatherNext"/>, and whether
/// the worker's padded rows already hold its output row.</summary>
internal struct PixelCursor
{
    public int B, Y, X;
    public bool Built;
}
