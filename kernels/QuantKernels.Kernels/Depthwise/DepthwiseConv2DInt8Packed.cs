using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using QuantKernels.Kernels.Convolution;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Depthwise;

/// <summary>
/// Fast quantized DEPTHWISE_CONV_2D (int8 or legacy uint8, any filter size, stride, dilation, padding and depth
/// multiplier) over weights packed once by <see cref="Create(in DepthwiseConv2DGeometry, ReadOnlySpan{sbyte}, ReadOnlySpan{int}, QuantizedConvParams, IsaPath)"/>:
/// bit-exact with <see cref="DepthwiseConv2DReference"/> in both requantization conventions on every <see cref="IsaPath"/>.
/// <para>
/// Each input row is widened once per invoke to int16 (x - zpIn) into a ring of padded row buffers in the output-channel
/// domain (each input channel repeated depth-multiplier times, channel stride rounded up to 16, padded columns and
/// channels left 0) and rows above/below the image point at an all-zero row. Every tap of every output pixel is then
/// inside a buffer and padded taps multiply zeros, so the kernels have no padding branches at all, edges included.
/// Channels are vectorized 16 at a time (AVX2: tap pairs interleaved with vpunpck[lh]wd and summed by vpmaddwd).
/// </para>
/// <para>
/// 3x3 filters without dilation and with depth multiplier 1 (MobileNet's depthwise layers) take another route on the
/// x86-64 paths: input rows go in vertically interleaved pairs (<see cref="DepthwisePairedLayout"/>, raw x, padding =
/// zpIn, -zpIn * sum(w) in the bias), so <see cref="Depthwise3x3Avx2"/> needs no shuffles: 12 vpmaddwd (AVX2) or
/// vpdpwssd (AVX-VNNI) per pixel and 16 channels, the block's weights in registers across the row, two output rows per
/// pass at stride 1.
/// </para>
/// No allocation per <c>Run</c>. An instance owns one set of row buffers per worker (<see cref="EnsureWorkers"/>):
/// <see cref="Run(ReadOnlySpan{sbyte}, Span{sbyte}, int, int, int)"/> calls with distinct parts and workers may run concurrently;
/// anything else on one instance is not thread-safe.
/// </summary>
public sealed unsafe class DepthwiseConv2DInt8Packed : IPackedInt8Kernel
{
    /// <summary>Largest scratch (row buffers) an instance may own; bigger geometries use the reference.</summary>
    private const long MaxScratchShorts = 64L << 20;

    /// <summary>Up to this many 16-channel blocks the 3x3 AVX2 kernel runs block by block (weights in registers);
    /// wider layers run pixel by pixel (see <see cref="DepthwiseAvx2.Row9PixelMajor"/>).</summary>
    private const int BlockMajorMaxBlocks = 4;

    private static readonly int[] AccumulatorOrder = [0, 1, 2, 3, 8, 9, 10, 11, 4, 5, 6, 7, 12, 13, 14, 15];

    private readonly DepthwiseConv2DGeometry _g;
    private readonly bool _unsigned;
    private readonly int _inputZeroPoint;
    private readonly int _cp, _blocks, _taps, _pairs, _paddedWidth, _ringRows, _rowStride;
    private readonly bool _paired;
    private bool _fp32CannotOverflow; // |acc * scale| < 2^30 for every channel: the paired kernels skip the float clamp
    private readonly short[]? _pairWeights; // pinned
    private readonly int[]? _tapWeights;    // pinned
    private readonly short[]? _tapWeights16; // pinned (ARM64 AdvSimd)
    private readonly short[]? _pairedWeights; // pinned (x86-64 3x3 over paired rows, see DepthwisePairedLayout)
    private readonly int[]? _pairedBias;      // pinned: bias - zpIn * sum(w), accumulator lane order
    private readonly int[] _bias, _biasPerm, _mult, _multPerm, _left, _leftPerm, _right, _rightPerm; // pinned
    private readonly float[] _scales, _scalesPerm; // pinned
    private Worker[] _workers;        // scratch of each worker that may run a part concurrently
    private readonly QuantizedConvParams _p;

    /// <summary>The ISA path this instance runs (chosen at creation).</summary>
    public IsaPath Path { get; }

    /// <summary>The geometry this instance was packed for.</summary>
    public DepthwiseConv2DGeometry Geometry => _g;

    private DepthwiseConv2DInt8Packed(in DepthwiseConv2DGeometry g, QuantizedConvParams p, IsaPath path, bool unsigned)
    {
        _g = g;
        _p = p;
        Path = path;
        _unsigned = unsigned;
        _inputZeroPoint = p.InputZeroPoint;
        int outC = g.OutputChannels;
        _cp = (outC + 15) & ~15;
        _blocks = _cp / 16;
        _taps = g.FilterHeight * g.FilterWidth;
        _pairs = (_taps + 1) / 2;
        _paddedWidth = PaddedWidth(g);
        _ringRows = RingRows(g);
        _paired = UsesPairedRows(g, path);

        if (_paired)
        {
            // Two paired rows (input rows 2k..2k+3) cover any 3x3 output row, three a stride-2 pair of output rows; no
            // all-zero row (padded rows are built as the zero point).
            _pairedWeights = GC.AllocateArray<short>(_blocks * Depthwise3x3Avx2.BlockWeights, pinned: true);
            _pairedBias = GC.AllocateArray<int>(_cp, pinned: true);
            _ringRows = PairedRingRows(g);
        }
        else if (VectorPath.Of(path) == IsaPath.Avx2) _pairWeights = GC.AllocateArray<short>(_blocks * _pairs * 32, pinned: true);
        else if (DepthwiseAdvSimd.Handles(path)) _tapWeights16 = GC.AllocateArray<short>(_taps * _cp, pinned: true);
        else _tapWeights = GC.AllocateArray<int>(_taps * _cp, pinned: true);
        _bias = GC.AllocateArray<int>(_cp, pinned: true);
        _biasPerm = GC.AllocateArray<int>(_cp, pinned: true);
        _mult = GC.AllocateArray<int>(_cp, pinned: true);
        _multPerm = GC.AllocateArray<int>(_cp, pinned: true);
        _left = GC.AllocateArray<int>(_cp, pinned: true);
        _leftPerm = GC.AllocateArray<int>(_cp, pinned: true);
        _right = GC.AllocateArray<int>(_cp, pinned: true);
        _rightPerm = GC.AllocateArray<int>(_cp, pinned: true);
        _scales = GC.AllocateArray<float>(_cp, pinned: true);
        _scalesPerm = GC.AllocateArray<float>(_cp, pinned: true);
        // 64 spare bytes between row buffers: rows whose size is a multiple of 4 KiB (e.g. 16 x 512 channels) would
        // otherwise put the same tap of every filter row in one L1 set and alias the loads 4K apart.
        _rowStride = _paired ? 2 * _paddedWidth * _cp + 32 : _paddedWidth * _cp + 32;
        _workers = [NewWorker()];
    }

    /// <summary>One worker's scratch.</summary>
    private sealed class Worker
    {
        public required short[] Rows;   // pinned: ring row buffers then one all-zero row, row stride apart
        public required int[] SlotRow;  // input row held by each ring slot (-1: none)
        public required nint[] RowPtr;  // pinned: row buffer of each filter row
        public required nint[] TapPtr;  // pinned: tap pointers handed to the kernels
        public required byte[] Scratch; // pinned: 16 bytes for the paired kernels' partial stores
    }

    private Worker NewWorker()
    {
        var rows = GC.AllocateArray<short>((_paired ? _ringRows : _ringRows + 1) * _rowStride, pinned: true);
        if (_paired) DepthwisePairedRows.Fill(rows, _inputZeroPoint);
        return NewWorker(rows);
    }

    private Worker NewWorker(short[] rows) => new()
    {
        Rows = rows,
        SlotRow = new int[_ringRows],
        RowPtr = GC.AllocateArray<nint>(_g.FilterHeight, pinned: true),
        TapPtr = GC.AllocateArray<nint>(_taps, pinned: true),
        Scratch = GC.AllocateArray<byte>(16, pinned: true),
    };

    /// <summary>Workers (scratch sets) that may run parts concurrently (1 until <see cref="EnsureWorkers"/> raises it).</summary>
    public int Workers => _workers.Length;

    /// <summary>Output rows over all batches (<c>N*OH</c>), the unit the parts split; more parts than this leave some empty.</summary>
    public int OutputRows => _g.Batches * _g.OutputHeight;

    /// <inheritdoc/>
    public int MaxParts => OutputRows;

    /// <summary>Allocates row buffers for <paramref name="workers"/> concurrent parts (at preparation; never per run).</summary>
    /// <param name="workers">How many <c>Run</c> calls may run at once (worker indices 0..workers-1); at least 1.</param>
    public void EnsureWorkers(int workers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        if (workers <= _workers.Length) return;
        var all = new Worker[workers];
        _workers.CopyTo(all, 0);
        for (int i = _workers.Length; i < workers; i++) all[i] = NewWorker();
        _workers = all;
    }

    /// <summary>Whether the packed kernel covers <paramref name="geometry"/> (its row buffers stay within a fixed
    /// budget). Callers fall back to <see cref="DepthwiseConv2DReference"/> otherwise.</summary>
    public static bool Supports(in DepthwiseConv2DGeometry geometry)
    {
        if (geometry.Batches < 1) return false;
        long cp = ((long)geometry.OutputChannels + 15) & ~15L;
        // The paired-row ring (x86-64 3x3) holds up to 3 rows of two, the general ring RingRows + 1 rows.
        long shorts = Math.Max(RingRows(geometry) + 1L, 2L * PairedRingRows(geometry)) * (PaddedWidth(geometry) * cp + 32);
        return shorts <= MaxScratchShorts && (long)geometry.FilterHeight * geometry.FilterWidth <= 4096;
    }

    /// <summary>Packs an int8 filter for <paramref name="path"/>.</summary>
    /// <param name="geometry">Shapes, depth multiplier, strides, dilations, padding (must satisfy <see cref="Supports"/>).</param>
    /// <param name="filter">[1,FH,FW,C*M] filter, <see cref="DepthwiseConv2DGeometry.FilterLength"/> values.</param>
    /// <param name="bias">One int32 per output channel (C*M), or empty.</param>
    /// <param name="parameters">Requantization parameters (either convention) for the C*M output channels.</param>
    /// <param name="path">ISA path, usually <see cref="Dispatch.Select"/>(null); must be supported here.</param>
    public static DepthwiseConv2DInt8Packed Create(in DepthwiseConv2DGeometry geometry, ReadOnlySpan<sbyte> filter,
        ReadOnlySpan<int> bias, QuantizedConvParams parameters, IsaPath path)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate(sbyte.MinValue, sbyte.MaxValue, geometry.OutputChannels, sbyte.MinValue, sbyte.MaxValue);
        return CreateCore(geometry, filter, bias, parameters, path, unsigned: false);
    }

    /// <summary>Packs a legacy uint8 filter (with its weight zero point in <paramref name="parameters"/>).</summary>
    /// <inheritdoc cref="Create(in DepthwiseConv2DGeometry, ReadOnlySpan{sbyte}, ReadOnlySpan{int}, QuantizedConvParams, IsaPath)"/>
    public static DepthwiseConv2DInt8Packed Create(in DepthwiseConv2DGeometry geometry, ReadOnlySpan<byte> filter,
        ReadOnlySpan<int> bias, QuantizedConvParams parameters, IsaPath path)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate(byte.MinValue, byte.MaxValue, geometry.OutputChannels, byte.MinValue, byte.MaxValue);
        return CreateCore(geometry, filter, bias, parameters, path, unsigned: true);
    }

    private static DepthwiseConv2DInt8Packed CreateCore<T>(in DepthwiseConv2DGeometry g, ReadOnlySpan<T> filter,
        ReadOnlySpan<int> bias, QuantizedConvParams p, IsaPath path, bool unsigned) where T : unmanaged, IBinaryInteger<T>
    {
        if (g.Batches < 1) throw new ArgumentException("geometry is uninitialised (default struct)", "geometry");
        if (!Supports(g)) throw new ArgumentException("the packed depthwise kernel does not support this geometry (scratch too large)", "geometry");
        g.CheckSpans(g.InputLength, filter.Length, bias.Length, g.OutputLength);
        if (!Dispatch.IsSupported(path)) throw new NotSupportedException($"ISA path {path} is not supported in this process");
        var d = new DepthwiseConv2DInt8Packed(g, p, path, unsigned);
        d.Pack(filter, bias, p);
        return d;
    }

    private void Pack<T>(ReadOnlySpan<T> filter, ReadOnlySpan<int> bias, QuantizedConvParams p) where T : unmanaged, IBinaryInteger<T>
    {
        int outC = _g.OutputChannels, zpW = p.WeightZeroPoint;
        for (int c = 0; c < outC; c++)
        {
            _bias[c] = bias.IsEmpty ? 0 : bias[c];
            _scales[c] = p.Scales[c];
            _mult[c] = p.Multipliers[c];
            _left[c] = Math.Max(p.Shifts[c], 0);
            _right[c] = Math.Max(-p.Shifts[c], 0);
        }
        for (int c = 0; c < _cp; c++)
        {
            int src = (c & ~15) + AccumulatorOrder[c & 15];
            _biasPerm[c] = _bias[src];
            _scalesPerm[c] = _scales[src];
            _multPerm[c] = _mult[src];
            _leftPerm[c] = _left[src];
            _rightPerm[c] = _right[src];
        }
        // (w - zpW) of tap t, output channel c; 0 for the channel padding.
        if (_pairedWeights is not null)
        {
            PackPaired(filter, outC, zpW);
            _fp32CannotOverflow = Fp32CannotOverflow(filter, bias, p);
            for (int c = 0; c < _cp; c++)
            {
                // The paired rows hold raw x (padding = zpIn): fold -zpIn * sum(w) into the bias, wrapping like the sum.
                int src = (c & ~15) + AccumulatorOrder[c & 15], sum = 0;
                for (int t = 0; t < _taps; t++) sum += Weight(filter, outC, zpW, t, src);
                _pairedBias![c] = unchecked(_biasPerm[c] - _inputZeroPoint * sum);
            }
        }
        else if (_pairWeights is not null)
        {
            // Block b, pair q (taps 2q, 2q+1; a lone last tap pairs with a zero weight): 16 int16 for the low
            // accumulator (channels 0-3, 8-11 as (w_2q, w_2q+1) pairs), then 16 for the high one (4-7, 12-15).
            for (int b = 0; b < _blocks; b++)
            for (int q = 0; q < _pairs; q++)
            {
                int baseIndex = (b * _pairs + q) * 32;
                for (int j = 0; j < 16; j++)
                {
                    int c = b * 16 + AccumulatorOrder[j];
                    int t0 = 2 * q, t1 = 2 * q + 1;
                    _pairWeights[baseIndex + 2 * j] = (short)Weight(filter, outC, zpW, t0, c);
                    _pairWeights[baseIndex + 2 * j + 1] = t1 < _taps ? (short)Weight(filter, outC, zpW, t1, c) : (short)0;
                }
            }
        }
        else
        {
            for (int t = 0; t < _taps; t++)
            for (int c = 0; c < _cp; c++)
            {
                int w = Weight(filter, outC, zpW, t, c);
                if (_tapWeights16 is not null) _tapWeights16[t * _cp + c] = (short)w; // |w - zpW| <= 255 fits
                else _tapWeights![t * _cp + c] = w;
            }
        }
    }

    /// <summary>Paired-row 3x3 weights: per 16-channel block, the even set (paired row 0: (w0, w1), paired row 1: (w2, 0)
    /// per column kx) then the odd set ((0, w0), (w1, w2)), each [kx][paired row][low, high half][16 int16] with channel
    /// pairs at <see cref="DepthwisePairedLayout.PairOffset"/>.</summary>
    private void PackPaired<T>(ReadOnlySpan<T> filter, int outC, int zpW) where T : unmanaged, IBinaryInteger<T>
    {
        const int block = 16;
        for (int b = 0; b < _blocks; b++)
        for (int set = 0; set < 2; set++)
        for (int kx = 0; kx < 3; kx++)
        for (int pr = 0; pr < 2; pr++)
        {
            // Filter rows in paired row pr: even set (2pr, 2pr+1), odd set (2pr-1, 2pr); rows outside 0..2 weigh 0.
            int top = 2 * pr - set, bottom = top + 1;
            int at = b * Depthwise3x3Avx2.BlockWeights + ((set * 3 + kx) * 2 + pr) * 2 * block;
            for (int j = 0; j < block; j++)
            {
                int c = b * block + j, o = at + DepthwisePairedLayout.PairOffset(j, block);
                _pairedWeights![o] = (uint)top < 3 ? (short)Weight(filter, outC, zpW, top * 3 + kx, c) : (short)0;
                _pairedWeights[o + 1] = (uint)bottom < 3 ? (short)Weight(filter, outC, zpW, bottom * 3 + kx, c) : (short)0;
            }
        }
    }

    /// <summary>Whether no accumulator can reach 2^30 / scale in magnitude: |bias| + 255 * sum |w - zpW| bounds |acc|
    /// (|x - zpIn| &lt;= 255). Then (float)acc * scale, rounded twice, stays far below 2^31, where <c>vcvtps2dq</c> would
    /// overflow to INT32_MIN, and the float upper clamp is redundant (the byte clamp gives the same result).</summary>
    private bool Fp32CannotOverflow<T>(ReadOnlySpan<T> filter, ReadOnlySpan<int> bias, QuantizedConvParams p) where T : unmanaged, IBinaryInteger<T>
    {
        int outC = _g.OutputChannels;
        for (int c = 0; c < outC; c++)
        {
            double bound = bias.IsEmpty ? 0 : Math.Abs((double)bias[c]);
            for (int t = 0; t < _taps; t++) bound += 255.0 * Math.Abs(Weight(filter, outC, p.WeightZeroPoint, t, c));
            if (!(bound * Math.Abs((double)p.Scales[c]) < (1 << 30))) return false;
        }
        return true;
    }

    /// <summary>Whether <paramref name="path"/> runs <paramref name="g"/> through the paired-row 3x3 kernels: x86-64
    /// vector paths, 3x3, no dilation, depth multiplier 1 (any stride).</summary>
    private static bool UsesPairedRows(in DepthwiseConv2DGeometry g, IsaPath path)
        => VectorPath.Of(path) == IsaPath.Avx2 && g.FilterHeight == 3 && g.FilterWidth == 3 && g.DilationHeight == 1
            && g.DilationWidth == 1 && g.DepthMultiplier == 1;

    private static int Weight<T>(ReadOnlySpan<T> filter, int outC, int zpW, int t, int c) where T : unmanaged, IBinaryInteger<T>
        => c < outC ? int.CreateTruncating(filter[t * outC + c]) - zpW : 0;

    /// <summary>Runs the int8 depthwise convolution. <paramref name="input"/> and <paramref name="output"/> have the geometry's lengths.</summary>
    public void Run(ReadOnlySpan<sbyte> input, Span<sbyte> output)
    {
        if (_unsigned) throw new ArgumentException("this depthwise convolution was packed for uint8 tensors", nameof(input));
        RunCore(input, output);
    }

    /// <summary>Runs the uint8 depthwise convolution.</summary>
    public void Run(ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (!_unsigned) throw new ArgumentException("this depthwise convolution was packed for int8 tensors", nameof(input));
        RunCore(input, output);
    }

    /// <summary>Runs part <paramref name="part"/> of <paramref name="parts"/> of the int8 depthwise convolution: a contiguous
    /// range of output rows (over all batches). The parts together cover the output once, each row computed exactly as by
    /// <see cref="Run(ReadOnlySpan{sbyte}, Span{sbyte})"/>. Distinct parts may run concurrently on distinct threads with distinct workers.</summary>
    /// <param name="input">The whole input tensor.</param>
    /// <param name="output">The whole output tensor (this part writes only its rows).</param>
    /// <param name="part">Which part, 0..parts-1.</param>
    /// <param name="parts">How many parts the work is split into (any number; parts beyond the work are empty).</param>
    /// <param name="worker">Whose scratch to use, 0..<see cref="Workers"/>-1: concurrent calls must use distinct workers.</param>
    public void Run(ReadOnlySpan<sbyte> input, Span<sbyte> output, int part, int parts, int worker)
    {
        if (_unsigned) throw new ArgumentException("this depthwise convolution was packed for uint8 tensors", nameof(input));
        RunCore(input, output, part, parts, worker);
    }

    /// <summary>Runs part <paramref name="part"/> of <paramref name="parts"/> of the uint8 depthwise convolution.</summary>
    /// <inheritdoc cref="Run(ReadOnlySpan{sbyte}, Span{sbyte}, int, int, int)"/>
    public void Run(ReadOnlySpan<byte> input, Span<byte> output, int part, int parts, int worker)
    {
        if (!_unsigned) throw new ArgumentException("this depthwise convolution was packed for int8 tensors", nameof(input));
        RunCore(input, output, part, parts, worker);
    }

    private void RunCore<T>(ReadOnlySpan<T> input, Span<T> output, int part = 0, int parts = 1, int worker = 0) where T : unmanaged, IBinaryInteger<T>
    {
        if (input.Length != _g.InputLength) throw new ArgumentException($"input has {input.Length} elements, shape needs {_g.InputLength}", nameof(input));
        if (output.Length != _g.OutputLength) throw new ArgumentException($"output has {output.Length} elements, shape needs {_g.OutputLength}", nameof(output));
        if (parts < 1) throw new ArgumentException($"parts is {parts}; must be at least 1", nameof(parts));
        if ((uint)worker >= (uint)_workers.Length)
            throw new ArgumentException($"worker is {worker}; must be 0..{_workers.Length - 1} (EnsureWorkers raises the limit)", nameof(worker));
        if ((uint)part >= (uint)parts) throw new ArgumentException($"part is {part}; must be 0..{parts - 1}", nameof(part));
        long total = OutputRows;
        int first = (int)(total * part / parts), end = (int)(total * (part + 1) / parts);
        if (first == end) return;
        Worker wk = _workers[worker];
        fixed (T* inp = input)
        fixed (T* outp = output)
        fixed (short* rows = wk.Rows)
        fixed (short* pw = _pairWeights)
        fixed (int* tw = _tapWeights)
        fixed (short* tw16 = _tapWeights16)
        fixed (int* bias = _bias, biasPerm = _biasPerm, mult = _mult, multPerm = _multPerm)
        fixed (int* left = _left, leftPerm = _leftPerm, right = _right, rightPerm = _rightPerm)
        fixed (float* scales = _scales, scalesPerm = _scalesPerm)
        fixed (nint* rowPtr = wk.RowPtr, tapPtr = wk.TapPtr)
        fixed (short* pairedWeights = _pairedWeights)
        fixed (int* pairedBias = _pairedBias)
        fixed (byte* scratch = wk.Scratch)
        {
            if (_paired)
            {
                var pa = new DepthwisePairedArgs
                {
                    BlockShorts = (long)_paddedWidth * 32, PixelShorts = _g.StrideWidth * 32,
                    OutputWidth = _g.OutputWidth, OutC = _g.OutputChannels, Blocks = _blocks,
                    Weights = pairedWeights, Bias = pairedBias, Scales = scalesPerm, Multipliers = multPerm,
                    LeftShifts = leftPerm, RightShifts = rightPerm,
                    OutputZeroPoint = _p.OutputZeroPoint, OutputMin = _p.OutputMin, OutputMax = _p.OutputMax,
                    Scratch = scratch,
                };
                LoopPaired(inp, (byte*)outp, rows, wk.SlotRow, first, end, ref pa);
                return;
            }
            var a = new DepthwiseRowArgs
            {
                Taps = (short**)tapPtr, TapCount = _taps, OutputWidth = _g.OutputWidth, PixelStep = _g.StrideWidth * _cp,
                Cp = _cp, Blocks = _blocks, OutC = _g.OutputChannels, // Stores that spill past a pixel's channels (rewritten by the next pixel) must stay inside this part's rows.
                OutputEnd = (byte*)(outp + (long)end * _g.OutputWidth * _g.OutputChannels),
                PairWeights = pw, PairCount = _pairs, TapWeights = tw, TapWeights16 = tw16,
                Bias = bias, Scales = scales, Multipliers = mult, LeftShifts = left, RightShifts = right,
                BiasPerm = biasPerm, ScalesPerm = scalesPerm, MultipliersPerm = multPerm, LeftShiftsPerm = leftPerm,
                RightShiftsPerm = rightPerm,
                OutputZeroPoint = _p.OutputZeroPoint, OutputMin = _p.OutputMin, OutputMax = _p.OutputMax,
                Fp32 = _p.Convention == RequantConvention.Xnnpack, Unsigned = _unsigned,
            };
            Loop(inp, (byte*)outp, rows, (short**)rowPtr, wk.SlotRow, first, end, ref a);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Loop<T>(T* input, byte* output, short* rows, short** rowPtr, int[] slotRow, int first, int end, ref DepthwiseRowArgs a)
        where T : unmanaged, IBinaryInteger<T>
    {
        DepthwiseConv2DGeometry g = _g;
        int rowShorts = _rowStride;
        short* zeroRow = rows + (long)_ringRows * rowShorts;
        int outRowBytes = g.OutputWidth * g.OutputChannels;
        // Output rows [first, end) over all batches; the ring is this worker's and starts empty in every batch.
        for (int b = first / g.OutputHeight; b < g.Batches; b++)
        {
            int oyStart = b == first / g.OutputHeight ? first % g.OutputHeight : 0;
            int oyEnd = (int)Math.Min(g.OutputHeight, (long)end - (long)b * g.OutputHeight);
            if (oyEnd <= oyStart) break;
            Array.Fill(slotRow, -1);
            for (int oy = oyStart; oy < oyEnd; oy++)
            {
                for (int ky = 0; ky < g.FilterHeight; ky++)
                {
                    int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
                    if ((uint)iy >= (uint)g.InputHeight) { rowPtr[ky] = zeroRow; continue; }
                    // The FH rows of one output row span _ringRows consecutive input rows, so they never share a slot.
                    int slot = iy % _ringRows;
                    short* buf = rows + (long)slot * rowShorts;
                    if (slotRow[slot] != iy)
                    {
                        Widen(input + ((long)(b * g.InputHeight + iy) * g.InputWidth) * g.InputChannels, buf + (long)g.PadLeft * _cp);
                        slotRow[slot] = iy;
                    }
                    rowPtr[ky] = buf;
                }
                for (int t = 0; t < _taps; t++)
                {
                    int ky = t / g.FilterWidth, kx = t - ky * g.FilterWidth;
                    a.Taps[t] = rowPtr[ky] + (long)kx * g.DilationWidth * _cp;
                }
                a.Output = output + ((long)b * g.OutputHeight + oy) * outRowBytes;
                switch (Path)
                {
                    case IsaPath.Avx2:
                    case IsaPath.AvxVnni: // only the paired 3x3 kernels use vpdpwssd; these run the AVX2 ones
                        if (_taps == 9 && _blocks <= BlockMajorMaxBlocks) DepthwiseAvx2.Row9BlockMajor(in a);
                        else if (_taps == 9) DepthwiseAvx2.Row9PixelMajor(in a);
                        else DepthwiseAvx2.Row(in a);
                        break;
                    case IsaPath.AdvSimd or IsaPath.AdvSimdDp: DepthwiseAdvSimd.Row(in a); break;
                    case IsaPath.Vector128: DepthwiseVector128.Row(in a); break;
                    default: DepthwiseScalar.Row(in a); break;
                }
            }
        }
    }

    /// <summary>Output rows [first, end) through the paired-row 3x3 kernels, instantiated once per multiply-add
    /// (AVX2 / AVX-VNNI), requantization (float with or without its upper clamp, fixed point) and output (int8 / uint8,
    /// with or without an activation clamp).</summary>
    private void LoopPaired<T>(T* input, byte* output, short* rows, int[] slotRow, int first, int end, ref DepthwisePairedArgs a)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (Path == IsaPath.AvxVnni) LoopPaired<T, MaddAvxVnni>(input, output, rows, slotRow, first, end, ref a);
        else LoopPaired<T, MaddAvx2>(input, output, rows, slotRow, first, end, ref a);
    }

    private void LoopPaired<T, TM>(T* input, byte* output, short* rows, int[] slotRow, int first, int end, ref DepthwisePairedArgs a)
        where T : unmanaged, IBinaryInteger<T> where TM : struct, IPairMultiplyAdd256
    {
        if (_p.Convention != RequantConvention.Xnnpack) LoopPaired<T, TM, FixedPointRequant256>(input, output, rows, slotRow, first, end, ref a);
        else if (_fp32CannotOverflow) LoopPaired<T, TM, Fp32UnclampedRequant256>(input, output, rows, slotRow, first, end, ref a);
        else LoopPaired<T, TM, Fp32Requant256>(input, output, rows, slotRow, first, end, ref a);
    }

    private void LoopPaired<T, TM, TQ>(T* input, byte* output, short* rows, int[] slotRow, int first, int end, ref DepthwisePairedArgs a)
        where T : unmanaged, IBinaryInteger<T> where TM : struct, IPairMultiplyAdd256 where TQ : struct, IDepthwiseRequant256<TQ>
    {
        if (typeof(T) == typeof(sbyte))
        {
            if (_p.OutputMin == sbyte.MinValue && _p.OutputMax == sbyte.MaxValue)
                LoopPaired<T, TM, TQ, SignedFullRangeOutput256>(input, output, rows, slotRow, first, end, ref a);
            else LoopPaired<T, TM, TQ, SignedOutput256>(input, output, rows, slotRow, first, end, ref a);
        }
        else if (_p.OutputMin == byte.MinValue && _p.OutputMax == byte.MaxValue)
            LoopPaired<T, TM, TQ, UnsignedFullRangeOutput256>(input, output, rows, slotRow, first, end, ref a);
        else LoopPaired<T, TM, TQ, UnsignedOutput256>(input, output, rows, slotRow, first, end, ref a);
    }

    /// <summary>The rows: output row oy reads paired rows floor(oy*strideH/2) and the next (a ring of two per worker,
    /// each built once per batch); with stride 1 an output row whose first input row is even runs together with the
    /// next one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void LoopPaired<T, TM, TQ, TO>(T* input, byte* output, short* rows, int[] slotRow, int first, int end, ref DepthwisePairedArgs a)
        where T : unmanaged, IBinaryInteger<T> where TM : struct, IPairMultiplyAdd256 where TQ : struct, IDepthwiseRequant256<TQ>
        where TO : struct, IDepthwiseOutput256
    {
        DepthwiseConv2DGeometry g = _g;
        long outRowBytes = (long)g.OutputWidth * g.OutputChannels;
        for (int b = first / g.OutputHeight; b < g.Batches; b++)
        {
            int oyStart = b == first / g.OutputHeight ? first % g.OutputHeight : 0;
            int oyEnd = (int)Math.Min(g.OutputHeight, (long)end - (long)b * g.OutputHeight);
            if (oyEnd <= oyStart) break;
            Array.Fill(slotRow, -1);
            T* image = input + (long)b * g.InputHeight * g.InputWidth * g.InputChannels;
            for (int oy = oyStart; oy < oyEnd;)
            {
                int py = oy * g.StrideHeight, k = py >> 1, set = py & 1;
                a.RowA = PairedRow(image, rows, slotRow, k);
                a.RowB = PairedRow(image, rows, slotRow, k + 1);
                byte* out0 = output + ((long)b * g.OutputHeight + oy) * outRowBytes;
                if (g.StrideHeight == 1 && set == 0 && oy + 1 < oyEnd)
                {
                    Depthwise3x3Avx2.TwoRows<TM, TQ, TO>(in a, out0, out0 + outRowBytes);
                    oy += 2;
                }
                else if (g.StrideHeight == 2 && oy + 1 < oyEnd)
                {
                    a.RowC = PairedRow(image, rows, slotRow, k + 2);
                    Depthwise3x3Avx2.TwoRowsStride2<TM, TQ, TO>(in a, out0, out0 + outRowBytes);
                    oy += 2;
                }
                else
                {
                    Depthwise3x3Avx2.OneRow<TM, TQ, TO>(in a, set, out0);
                    oy++;
                }
            }
        }
    }

    /// <summary>Paired row <paramref name="k"/> (padded input rows 2k, 2k+1) of one image, built into its ring slot
    /// unless the slot already holds it.</summary>
    private short* PairedRow<T>(T* image, short* rows, int[] slotRow, int k) where T : unmanaged, IBinaryInteger<T>
    {
        DepthwiseConv2DGeometry g = _g;
        int slot = k % _ringRows;
        short* buf = rows + (long)slot * _rowStride;
        if (slotRow[slot] != k)
        {
            int iy = 2 * k - g.PadTop;
            long rowElems = (long)g.InputWidth * g.InputChannels;
            T* rowA = (uint)iy < (uint)g.InputHeight ? image + iy * rowElems : null;
            T* rowB = (uint)(iy + 1) < (uint)g.InputHeight ? image + (iy + 1) * rowElems : null;
            DepthwisePairedRows.Build(rowA, rowB, buf, g.InputWidth, g.InputChannels, 16, _paddedWidth, g.PadLeft, _inputZeroPoint);
            slotRow[slot] = k;
        }
        return buf;
    }

    /// <summary>One input row (W pixels of C channels) to int16 x - zpIn at pixel stride Cp, each channel repeated
    /// M times. Padded columns and channels are never written, so they stay 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Widen<T>(T* src, short* dst) where T : unmanaged, IBinaryInteger<T>
    {
        int w = _g.InputWidth, c = _g.InputChannels, m = _g.DepthMultiplier, zp = _inputZeroPoint, cp = _cp;
        if (m == 1 && Path != IsaPath.Scalar)
        {
            Vector128<short> z = Vector128.Create((short)zp);
            for (int x = 0; x < w; x++, src += c, dst += cp)
            {
                int i = 0;
                for (; i + 16 <= c; i += 16)
                {
                    Vector128<short> lo, hi;
                    if (typeof(T) == typeof(sbyte))
                        (lo, hi) = Vector128.Widen(Vector128.Load((sbyte*)src + i));
                    else
                    {
                        (Vector128<ushort> ulo, Vector128<ushort> uhi) = Vector128.Widen(Vector128.Load((byte*)src + i));
                        (lo, hi) = (ulo.AsInt16(), uhi.AsInt16());
                    }
                    (lo - z).Store(dst + i);
                    (hi - z).Store(dst + i + 8);
                }
                for (; i < c; i++) dst[i] = (short)(int.CreateTruncating(src[i]) - zp);
            }
            return;
        }
        for (int x = 0; x < w; x++, src += c, dst += cp)
        {
            short* d = dst;
            for (int i = 0; i < c; i++)
            {
                short v = (short)(int.CreateTruncating(src[i]) - zp);
                for (int k = 0; k < m; k++) *d++ = v;
            }
        }
    }

    /// <summary>Columns of a padded row buffer: the left padding, the image, and whatever the last output pixel's
    /// rightmost tap reaches past the image.</summary>
    private static int PaddedWidth(in DepthwiseConv2DGeometry g)
    {
        long maxIx = (long)(g.OutputWidth - 1) * g.StrideWidth - g.PadLeft + (long)(g.FilterWidth - 1) * g.DilationWidth;
        long width = g.PadLeft + Math.Max(g.InputWidth, maxIx + 1);
        return (int)Math.Min(width, int.MaxValue / 64);
    }

    /// <summary>Paired rows a pass reads: 3 for stride 2 (two output rows), else 2.</summary>
    private static int PairedRingRows(in DepthwiseConv2DGeometry g) => g.StrideHeight == 2 ? 3 : 2;

    /// <summary>Input rows one output row spans: (FH - 1) * dilationH + 1.</summary>
    private static int RingRows(in DepthwiseConv2DGeometry g)
        => (int)Math.Min((long)(g.FilterHeight - 1) * g.DilationHeight + 1, int.MaxValue / 64);
}
