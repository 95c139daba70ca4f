using System.Numerics;
using System.Runtime.CompilerServices;

namespace QuantKernels.Kernels.Convolution;

/// <summary>
/// The AVX-VNNI body of <see cref="Conv2DInt8Packed"/>: gathers the K = KH*KW*IC patches of 6 output pixels at a time
/// as u8 bytes (int8 x + 128, or uint8 x as is; padded taps hold the zero point, which adds nothing) into per-worker
/// scratch, with each row's byte sum when the weight zero point needs it, then runs <see cref="PackedInt8GemmVnni"/>.
/// </summary>
internal sealed unsafe class Conv2DVnniLoop
{
    private readonly Conv2DGeometry _g;
    private readonly PackedInt8GemmVnni _gemm;
    private byte[][] _patches; // per worker: MR rows of KPadded bytes; the K..KPadded tail stays 0
    private int[][] _rowSums; // per worker: MR sums
    private readonly PaddedInputRows? _padded; // few input channels: patches come from pre-converted padded rows

    public Conv2DVnniLoop(in Conv2DGeometry g, PackedInt8GemmVnni gemm, int inputZeroPoint)
    {
        _g = g;
        _gemm = gemm;
        if (PaddedInputRows.Suits(g))
            _padded = new PaddedInputRows(g, PatchFormat.FlippedBytes, inputZeroPoint, gemm.Unsigned, gemm.KPadded);
        _patches = [NewPatches()];
        _rowSums = [NewSums()];
    }

    // Slack past the last row: the padded-row gather's overlapping moves.
    private byte[] NewPatches() => GC.AllocateArray<byte>(PackedInt8GemmVnni.MR * _gemm.KPadded + PaddedInputRows.Slack, pinned: true);
    private static int[] NewSums() => GC.AllocateArray<int>(PackedInt8GemmVnni.MR, pinned: true);

    public int Workers => _patches.Length;

    /// <summary>Blocks of 16 output channels.</summary>
    public int ChannelBlocks => _gemm.Blocks;

    /// <summary>Allocates scratch for <paramref name="workers"/> concurrent parts.</summary>
    public void EnsureWorkers(int workers)
    {
        _padded?.EnsureWorkers(workers);
        WorkerScratch.Grow(ref _patches, workers, NewPatches);
        WorkerScratch.Grow(ref _rowSums, workers, NewSums);
    }

    /// <summary>Output pixels [<paramref name="start"/>, min(<paramref name="end"/>, M)) on <paramref name="worker"/>'s scratch.</summary>
    /// <summary>Only the output channels of blocks [<paramref name="firstBlock"/>, <paramref name="endBlock"/>).</summary>
    public void Run<T>(T* input, T* output, int worker, int start, int end, int firstBlock, int endBlock) where T : unmanaged, IBinaryInteger<T>
    {
        fixed (byte* patches = _patches[worker])
        fixed (int* sums = _rowSums[worker])
        {
            if (_padded is not null) LoopPadded(input, output, patches, sums, _padded.Rows(worker), start, end, firstBlock, endBlock);
            else Loop(input, output, patches, sums, start, end, firstBlock, endBlock);
        }
    }

    /// <summary><see cref="Loop"/> for few input channels: patches from <see cref="PaddedInputRows"/>, rebuilt per output row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void LoopPadded<T>(T* input, T* output, byte* patches, int* sums, byte* rows, int start, int end, int firstBlock, int endBlock)
        where T : unmanaged, IBinaryInteger<T>
    {
        Conv2DGeometry g = _g;
        PackedInt8GemmVnni gemm = _gemm;
        PaddedInputRows padded = _padded!;
        int m = Math.Min(g.Batches * g.OutputHeight * g.OutputWidth, end), n = g.OutputChannels, kp = gemm.KPadded;
        bool needSums = gemm.NeedsRowSums;
        PixelCursor at = padded.Start(start);
        for (int m0 = start; m0 < m; m0 += PackedInt8GemmVnni.MR)
        {
            int count = Math.Min(PackedInt8GemmVnni.MR, m - m0);
            for (int r = 0; r < count; r++)
            {
                byte* dst = patches + r * kp;
                padded.GatherNext(input, ref at, rows, dst, vectorize: true);
                if (needSums) sums[r] = VnniActivations.Sum(dst, kp);
            }
            gemm.Compute(patches, sums, count, output + (long)m0 * n, firstBlock, endBlock);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Loop<T>(T* input, T* output, byte* patches, int* sums, int start, int end, int firstBlock, int endBlock) where T : unmanaged, IBinaryInteger<T>
    {
        Conv2DGeometry g = _g;
        PackedInt8GemmVnni gemm = _gemm;
        int m = Math.Min(g.Batches * g.OutputHeight * g.OutputWidth, end), n = g.OutputChannels, kp = gemm.KPadded;
        bool needSums = gemm.NeedsRowSums;
        byte flip = gemm.ActivationFlip;
        int perImage = g.OutputHeight * g.OutputWidth;
        int b = start / perImage, oy = start % perImage / g.OutputWidth, ox = start % g.OutputWidth;
        bool pointwise = g.FilterHeight == 1 && g.FilterWidth == 1 && g.StrideHeight == 1 && g.StrideWidth == 1
                         && g.PadTop == 0 && g.PadLeft == 0 && g.OutputHeight == g.InputHeight && g.OutputWidth == g.InputWidth;
        for (int m0 = start; m0 < m; m0 += PackedInt8GemmVnni.MR)
        {
            int rows = Math.Min(PackedInt8GemmVnni.MR, m - m0);
            for (int r = 0; r < rows; r++)
            {
                byte* dst = patches + r * kp;
                if (pointwise)
                {
                    VnniActivations.Copy(input + (long)(m0 + r) * g.InputChannels, dst, g.InputChannels, flip);
                }
                else
                {
                    Gather(g, input, b, oy, ox, dst, flip, gemm.PaddingValue);
                    if (++ox == g.OutputWidth)
                    {
                        ox = 0;
                        if (++oy == g.OutputHeight) { oy = 0; b++; }
                    }
                }
                if (needSums) sums[r] = VnniActivations.Sum(dst, kp);
            }
            gemm.Compute(patches, sums, rows, output + (long)m0 * n, firstBlock, endBlock);
        }
    }

    /// <summary>The (ky, kx, ic) patch of one output pixel in OHWI order; taps outside the image hold <paramref name="pad"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Gather<T>(in Conv2DGeometry g, T* input, int b, int oy, int ox, byte* dst, byte flip, byte pad)
        where T : unmanaged, IBinaryInteger<T>
    {
        int ic = g.InputChannels, rowLen = g.FilterWidth * ic;
        for (int ky = 0; ky < g.FilterHeight; ky++, dst += rowLen)
        {
            int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
            if ((uint)iy >= (uint)g.InputHeight)
            {
                VnniActivations.Fill(dst, rowLen, pad);
                continue;
            }
            T* row = input + ((long)(b * g.InputHeight + iy) * g.InputWidth) * ic;
            int ix0 = ox * g.StrideWidth - g.PadLeft;
            if (g.DilationWidth == 1 && ix0 >= 0 && ix0 + g.FilterWidth <= g.InputWidth)
            {
                VnniActivations.Copy(row + (long)ix0 * ic, dst, rowLen, flip);
                continue;
            }
            for (int kx = 0; kx < g.FilterWidth; kx++)
            {
                int ix = ix0 + kx * g.DilationWidth;
                if ((uint)ix >= (uint)g.InputWidth) VnniActivations.Fill(dst + kx * ic, ic, pad);
                else VnniActivations.Copy(row + (long)ix * ic, dst + kx * ic, ic, flip);
            }
        }
    }
}
