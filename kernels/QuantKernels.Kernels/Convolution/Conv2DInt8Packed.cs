using System.Numerics;
using System.Runtime.CompilerServices;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Convolution;

/// <summary>
/// Fast quantized CONV_2D (int8 or legacy uint8, NHWC / OHWI, groups = 1) over weights packed once by
/// <see cref="Create(in Conv2DGeometry, ReadOnlySpan{sbyte}, ReadOnlySpan{int}, QuantizedConvParams, IsaPath)"/>:
/// bit-exact with <see cref="Conv2DReference"/> in both requantization conventions on every <see cref="IsaPath"/>.
/// Each invoke gathers the K = KH*KW*IC patches of 6 output pixels at a time as int16 (x - zpIn; 0 for padded taps,
/// which makes padding exact without corrections) into scratch owned by this object, then runs the packed GEMM.
/// No full-image im2col, no allocation per <c>Run</c>. An instance owns one scratch buffer per worker
/// (<see cref="EnsureWorkers"/>): <see cref="Run(ReadOnlySpan{sbyte}, Span{sbyte}, int, int, int)"/> calls with distinct
/// parts and workers may run concurrently; anything else on one instance is not thread-safe.
/// </summary>
public sealed unsafe class Conv2DInt8Packed : IPackedInt8Kernel
{
    private readonly Conv2DGeometry _g;
    private readonly PackedInt8Gemm _gemm = null!; // null on the AVX-VNNI path, which runs _vnni instead
    private readonly Conv2DVnniLoop? _vnni;
    private short[][] _patches; // per worker: MR rows of KPadded int16; the K..KPadded tail stays 0
    private readonly bool _unsigned;
    private readonly int _inputZeroPoint;
    private readonly PaddedInputRows? _padded; // few input channels: patches come from pre-converted padded rows

    private Conv2DInt8Packed(in Conv2DGeometry g, PackedInt8Gemm gemm, bool unsigned, int inputZeroPoint)
    {
        _g = g;
        _gemm = gemm;
        _unsigned = unsigned;
        _inputZeroPoint = inputZeroPoint;
        if (PaddedInputRows.Suits(g))
            _padded = new PaddedInputRows(g, gemm.ByteRows ? PatchFormat.RawBytes : PatchFormat.Int16, inputZeroPoint, unsigned, gemm.KPadded);
        _patches = [NewPatches()];
        Path = gemm.Path;
    }

    private Conv2DInt8Packed(in Conv2DGeometry g, Conv2DVnniLoop vnni, bool unsigned)
    {
        _g = g;
        _vnni = vnni;
        _unsigned = unsigned;
        _patches = [];
        Path = IsaPath.AvxVnni;
    }

    // Slack past the last row: the padded-row gather's overlapping moves.
    private short[] NewPatches() => GC.AllocateArray<short>(PackedInt8Gemm.MR * _gemm.KPadded + PaddedInputRows.Slack / sizeof(short), pinned: true);

    /// <summary>Workers (scratch sets) that may run parts concurrently (1 until <see cref="EnsureWorkers"/> raises it).</summary>
    public int Workers => _vnni?.Workers ?? _patches.Length;

    /// <summary>Blocks of output pixels (<c>ceil(N*OH*OW / 6)</c>), the unit the parts split; more parts than this leave some empty.</summary>
    public int PixelBlocks => (int)(((long)_g.Batches * _g.OutputHeight * _g.OutputWidth + PackedInt8Gemm.MR - 1) / PackedInt8Gemm.MR);

    /// <summary>Blocks of 16 output channels.</summary>
    public int ChannelBlocks => _vnni?.ChannelBlocks ?? _gemm.Blocks;

    /// <summary>Whether parts split the output channels instead of the pixels: fewer than
    /// <see cref="MinPixelBlocksToSplitPixels"/> pixel blocks, e.g. a classifier's 1x1 conv on a 1x1 image, which is a
    /// fully connected layer (the ARM64 packing does not compute subsets of its blocks: it runs such convs whole).</summary>
    public bool SplitsChannels => PixelBlocks < MinPixelBlocksToSplitPixels && (_vnni is not null || _gemm.SplitsBlocks);

    /// <summary>See <see cref="SplitsChannels"/>.</summary>
    public const int MinPixelBlocksToSplitPixels = 4;

    /// <inheritdoc/>
    public int MaxParts => SplitsChannels ? ChannelBlocks : PixelBlocks;

    /// <summary>Allocates scratch for <paramref name="workers"/> concurrent parts (at preparation; never per run).</summary>
    /// <param name="workers">How many <c>Run</c> calls may run at once (worker indices 0..workers-1); at least 1.</param>
    public void EnsureWorkers(int workers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        if (_vnni is not null)
        {
            _vnni.EnsureWorkers(workers);
            return;
        }
        _padded?.EnsureWorkers(workers);
        WorkerScratch.Grow(ref _patches, workers, NewPatches);
    }

    /// <summary>The ISA path this instance runs (chosen at creation).</summary>
    public IsaPath Path { get; }

    /// <summary>The geometry this instance was packed for.</summary>
    public Conv2DGeometry Geometry => _g;

    /// <summary>Whether the packed kernel covers <paramref name="geometry"/> (not grouped; K and the tensors fit int indexing).
    /// Callers fall back to <see cref="Conv2DReference"/> otherwise.</summary>
    public static bool Supports(in Conv2DGeometry geometry)
        => geometry.Batches > 0 && geometry.Groups == 1
           && (long)geometry.FilterHeight * geometry.FilterWidth * geometry.FilterInputChannels < int.MaxValue / 64;

    /// <summary>Packs an int8 filter for <paramref name="path"/>.</summary>
    /// <param name="geometry">Shapes, strides, dilations, padding (must satisfy <see cref="Supports"/>).</param>
    /// <param name="filter">OHWI filter, <see cref="Conv2DGeometry.FilterLength"/> values.</param>
    /// <param name="bias">One int32 per output channel, or empty.</param>
    /// <param name="parameters">Requantization parameters (either convention) for the output channels.</param>
    /// <param name="path">ISA path, usually <see cref="Dispatch.Select"/>(null); must be supported here.</param>
    public static Conv2DInt8Packed Create(in Conv2DGeometry geometry, ReadOnlySpan<sbyte> filter, ReadOnlySpan<int> bias,
        QuantizedConvParams parameters, IsaPath path)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate(sbyte.MinValue, sbyte.MaxValue, geometry.OutputChannels, sbyte.MinValue, sbyte.MaxValue);
        return CreateCore(geometry, filter, bias, parameters, path, unsigned: false);
    }

    /// <summary>Packs a legacy uint8 filter (with its weight zero point in <paramref name="parameters"/>).</summary>
    /// <inheritdoc cref="Create(in Conv2DGeometry, ReadOnlySpan{sbyte}, ReadOnlySpan{int}, QuantizedConvParams, IsaPath)"/>
    public static Conv2DInt8Packed Create(in Conv2DGeometry geometry, ReadOnlySpan<byte> filter, ReadOnlySpan<int> bias,
        QuantizedConvParams parameters, IsaPath path)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate(byte.MinValue, byte.MaxValue, geometry.OutputChannels, byte.MinValue, byte.MaxValue);
        return CreateCore(geometry, filter, bias, parameters, path, unsigned: true);
    }

    private static Conv2DInt8Packed CreateCore<T>(in Conv2DGeometry g, ReadOnlySpan<T> filter, ReadOnlySpan<int> bias,
        QuantizedConvParams p, IsaPath path, bool unsigned) where T : unmanaged, IBinaryInteger<T>
    {
        if (!Supports(g)) throw new ArgumentException($"the packed conv does not support this geometry (groups {g.Groups})", nameof(g));
        g.CheckSpans(g.InputLength, filter.Length, bias.Length, g.OutputLength);
        if (!Dispatch.IsSupported(path)) throw new NotSupportedException($"ISA path {path} is not supported in this process");
        int k = g.FilterHeight * g.FilterWidth * g.FilterInputChannels;
        if (path == IsaPath.AvxVnni)
            return new Conv2DInt8Packed(g, new Conv2DVnniLoop(g, PackedInt8GemmVnni.Create(g.OutputChannels, k, filter, bias, p), p.InputZeroPoint), unsigned);
        var gemm = PackedInt8Gemm.Create(path, g.OutputChannels, k, filter, bias, p);
        return new Conv2DInt8Packed(g, gemm, unsigned, p.InputZeroPoint);
    }

    /// <summary>Runs the int8 convolution. <paramref name="input"/> and <paramref name="output"/> have the geometry's lengths.</summary>
    public void Run(ReadOnlySpan<sbyte> input, Span<sbyte> output)
    {
        if (_unsigned) throw new ArgumentException("this convolution was packed for uint8 tensors", nameof(input));
        RunCore(input, output);
    }

    /// <summary>Runs the uint8 convolution.</summary>
    public void Run(ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (!_unsigned) throw new ArgumentException("this convolution was packed for int8 tensors", nameof(input));
        RunCore(input, output);
    }

    /// <summary>Runs part <paramref name="part"/> of <paramref name="parts"/> of the int8 convolution: a contiguous range of
    /// whole 6-pixel blocks, or of 16-channel blocks when <see cref="SplitsChannels"/> (the parts together cover the output once, each pixel computed exactly as by
    /// <see cref="Run(ReadOnlySpan{sbyte}, Span{sbyte})"/>). Distinct parts may run concurrently on distinct threads with distinct workers.</summary>
    /// <param name="input">The whole input tensor.</param>
    /// <param name="output">The whole output tensor (this part writes only its pixels).</param>
    /// <param name="part">Which part, 0..parts-1.</param>
    /// <param name="parts">How many parts the work is split into (any number; parts beyond the work are empty).</param>
    /// <param name="worker">Whose scratch to use, 0..<see cref="Workers"/>-1: concurrent calls must use distinct workers.</param>
    public void Run(ReadOnlySpan<sbyte> input, Span<sbyte> output, int part, int parts, int worker)
    {
        if (_unsigned) throw new ArgumentException("this convolution was packed for uint8 tensors", nameof(input));
        RunCore(input, output, part, parts, worker);
    }

    /// <summary>Runs part <paramref name="part"/> of <paramref name="parts"/> of the uint8 convolution.</summary>
    /// <inheritdoc cref="Run(ReadOnlySpan{sbyte}, Span{sbyte}, int, int, int)"/>
    public void Run(ReadOnlySpan<byte> input, Span<byte> output, int part, int parts, int worker)
    {
        if (!_unsigned) throw new ArgumentException("this convolution was packed for int8 tensors", nameof(input));
        RunCore(input, output, part, parts, worker);
    }

    private void RunCore<T>(ReadOnlySpan<T> input, Span<T> output, int part = 0, int parts = 1, int worker = 0) where T : unmanaged, IBinaryInteger<T>
    {
        if (input.Length != _g.InputLength) throw new ArgumentException($"input has {input.Length} elements, shape needs {_g.InputLength}", nameof(input));
        if (output.Length != _g.OutputLength) throw new ArgumentException($"output has {output.Length} elements, shape needs {_g.OutputLength}", nameof(output));
        if (parts < 1) throw new ArgumentException($"parts is {parts}; must be at least 1", nameof(parts));
        if ((uint)worker >= (uint)Workers)
            throw new ArgumentException($"worker is {worker}; must be 0..{Workers - 1} (EnsureWorkers raises the limit)", nameof(worker));
        if ((uint)part >= (uint)parts) throw new ArgumentException($"part is {part}; must be 0..{parts - 1}", nameof(part));
        // A part is a range of whole pixel blocks (all channels) or, for few pixels, of channel blocks (all pixels).
        bool channels = SplitsChannels;
        long units = channels ? ChannelBlocks : PixelBlocks;
        int first = (int)(units * part / parts), end = (int)(units * (part + 1) / parts);
        if (first == end) return;
        int start = 0, stop = PixelBlocks * PackedInt8Gemm.MR, firstBlock = 0, endBlock = ChannelBlocks;
        if (channels) (firstBlock, endBlock) = (first, end);
        else (start, stop) = (first * PackedInt8Gemm.MR, end * PackedInt8Gemm.MR);
        if (_vnni is not null)
        {
            fixed (T* inp = input)
            fixed (T* outp = output)
                _vnni.Run(inp, outp, worker, start, stop, firstBlock, endBlock);
            return;
        }
        fixed (T* inp = input)
        fixed (T* outp = output)
        fixed (short* patches = _patches[worker])
        {
            if (_padded is not null) LoopPadded(inp, outp, patches, _padded.Rows(worker), start, stop, firstBlock, endBlock);
            else Loop(inp, outp, patches, start, stop, firstBlock, endBlock);
        }
    }

    /// <summary><see cref="Loop"/> for few input channels: patches from <see cref="PaddedInputRows"/>, rebuilt per output row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void LoopPadded<T>(T* input, T* output, short* patches, byte* rows, int start, int end, int firstBlock, int endBlock) where T : unmanaged, IBinaryInteger<T>
    {
        Conv2DGeometry g = _g;
        PaddedInputRows padded = _padded!;
        int m = Math.Min(g.Batches * g.OutputHeight * g.OutputWidth, end), n = g.OutputChannels, kp = _gemm.KPadded;
        bool vectorize = _gemm.Path != IsaPath.Scalar, bytes = _gemm.ByteRows;
        PixelCursor at = padded.Start(start);
        for (int m0 = start; m0 < m; m0 += PackedInt8Gemm.MR)
        {
            int count = Math.Min(PackedInt8Gemm.MR, m - m0);
            for (int r = 0; r < count; r++)
                padded.GatherNext(input, ref at, rows, (byte*)PatchRow.Row(patches, r, kp, bytes), vectorize);
            _gemm.Compute(patches, count, output + (long)m0 * n, firstBlock, endBlock);
        }
    }

    /// <summary>Output pixels [<paramref name="start"/>, min(<paramref name="end"/>, M)) through the scratch at <paramref name="patches"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Loop<T>(T* input, T* output, short* patches, int start, int end, int firstBlock, int endBlock) where T : unmanaged, IBinaryInteger<T>
    {
        Conv2DGeometry g = _g;
        int m = Math.Min(g.Batches * g.OutputHeight * g.OutputWidth, end), n = g.OutputChannels, kp = _gemm.KPadded;
        bool vectorize = _gemm.Path != IsaPath.Scalar, bytes = _gemm.ByteRows;
        // The next pixel to gather, advanced incrementally (one division per part, none per pixel).
        int perImage = g.OutputHeight * g.OutputWidth;
        int b = start / perImage, oy = start % perImage / g.OutputWidth, ox = start % g.OutputWidth;
        bool pointwise = g.FilterHeight == 1 && g.FilterWidth == 1 && g.StrideHeight == 1 && g.StrideWidth == 1
                         && g.PadTop == 0 && g.PadLeft == 0 && g.OutputHeight == g.InputHeight && g.OutputWidth == g.InputWidth;
        for (int m0 = start; m0 < m; m0 += PackedInt8Gemm.MR)
        {
            int rows = Math.Min(PackedInt8Gemm.MR, m - m0);
            for (int r = 0; r < rows; r++)
            {
                int pixel = m0 + r;
                void* dst = PatchRow.Row(patches, r, kp, bytes);
                if (pointwise)
                {
                    // 1x1 stride 1: the patch is the input pixel itself.
                    PatchRow.Copy(input + (long)pixel * g.InputChannels, dst, 0, g.InputChannels, _inputZeroPoint, vectorize, bytes);
                    continue;
                }
                Gather(g, input, b, oy, ox, dst, vectorize, bytes);
                if (++ox == g.OutputWidth)
                {
                    ox = 0;
                    if (++oy == g.OutputHeight) { oy = 0; b++; }
                }
            }
            _gemm.Compute(patches, rows, output + (long)m0 * n, firstBlock, endBlock);
        }
    }

    /// <summary>The (ky, kx, ic) patch of one output pixel in OHWI order; taps outside the image are padded (see <see cref="PatchRow"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Gather<T>(in Conv2DGeometry g, T* input, int b, int oy, int ox, void* dst, bool vectorize, bool bytes)
        where T : unmanaged, IBinaryInteger<T>
    {
        int ic = g.InputChannels, rowLen = g.FilterWidth * ic, zp = _inputZeroPoint;
        for (int ky = 0, at = 0; ky < g.FilterHeight; ky++, at += rowLen)
        {
            int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
            if ((uint)iy >= (uint)g.InputHeight)
            {
                PatchRow.Pad(dst, at, rowLen, zp, bytes);
                continue;
            }
            T* row = input + ((long)(b * g.InputHeight + iy) * g.InputWidth) * ic;
            int ix0 = ox * g.StrideWidth - g.PadLeft;
            if (g.DilationWidth == 1 && ix0 >= 0 && ix0 + g.FilterWidth <= g.InputWidth)
            {
                // Whole filter row inside the image: one contiguous run of FW*IC values.
                PatchRow.Copy(row + (long)ix0 * ic, dst, at, rowLen, zp, vectorize, bytes);
                continue;
            }
            for (int kx = 0; kx < g.FilterWidth; kx++)
            {
                int ix = ix0 + kx * g.DilationWidth;
                if ((uint)ix >= (uint)g.InputWidth) PatchRow.Pad(dst, at + kx * ic, ic, zp, bytes);
                else PatchRow.Copy(row + (long)ix * ic, dst, at + kx * ic, ic, zp, vectorize, bytes);
            }
        }
    }
}
