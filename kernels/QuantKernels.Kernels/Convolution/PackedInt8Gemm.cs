using System.Numerics;
using System.Runtime.CompilerServices;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Convolution;

/// <summary>
/// An int8/uint8 GEMM C[M,N] = requant(bias + A[M,K] * W[N,K]^T) whose weights are packed once, at preparation, for the
/// microkernels: blocks of <see cref="NR"/> = 16 output channels; inside a block, for each pair of K indices
/// (k, k+1) the 16 channels' (w[n,k] - zpW, w[n,k+1] - zpW) as int16 pairs (64 bytes), K padded to even with zeros.
/// One <c>vpmaddwd</c> of an activation pair broadcast to every int32 lane against 16 weight shorts makes 8 channel
/// sums of 2 products, so two instructions do the 16 channels. Activations arrive already widened to int16
/// (x - zpIn, 0 for padded conv taps), <see cref="MR"/> rows at a time, row stride <see cref="KPadded"/>.
/// Bias, fp32 scales and (multiplier, shift) pairs are padded to whole blocks beside the weights.
/// Exactness: every product and pair sum fits int32 ((255*255)*2), and int32 wrap-around addition is associative,
/// so any summation order gives the reference's accumulator bit for bit.
/// On the ARM64 paths the weights are packed differently and run by <see cref="PackedInt8GemmArm64"/> instead.
/// </summary>
internal sealed unsafe class PackedInt8Gemm
{
    /// <summary>Output channels per packed block.</summary>
    public const int NR = 16;

    /// <summary>Activation rows per microkernel call (the 6x16 AVX2 tile).</summary>
    public const int MR = 6;

    private readonly short[] _weights; // pinned (POH): the microkernels keep raw pointers only while running
    private readonly int _weightsOffset; // first short of the 64-byte-aligned packed data
    private PackedInt8GemmArm64? _arm; // the ARM64 paths' own packing and kernels
    private sbyte[]? _weights8; // compact copy (same layout, one byte per weight), see Create's compact parameter
    private int _weights8Offset;
    private readonly int[] _bias;
    private readonly float[] _scales;
    private readonly int[] _multipliers, _leftShifts, _rightShifts;

    public int N { get; }
    public int K { get; }
    public int KPairs { get; }
    /// <summary>Activation row stride in elements: K rounded up to the packing's K group (2; 4 or 8 on ARM64).</summary>
    public int KPadded => _arm?.KPadded ?? KPairs * 2;

    /// <summary>Whether activation rows hold the raw 8-bit values (padded taps = input zero point) instead of int16
    /// <c>x - zpIn</c> (padded taps 0): the ARM64 dot-product path, see <see cref="PatchRow"/>.</summary>
    public bool ByteRows => _arm?.ByteRows ?? false;
    public int Blocks { get; }
    public IsaPath Path { get; }
    public bool Fp32 { get; }
    public int OutputZeroPoint { get; }
    public int OutputMin { get; }
    public int OutputMax { get; }

    private PackedInt8Gemm(IsaPath path, int n, int k, QuantizedConvParams p)
    {
        Path = path;
        N = n;
        K = k;
        KPairs = (k + 1) / 2;
        Blocks = (n + NR - 1) / NR;
        Fp32 = p.Convention == RequantConvention.Xnnpack;
        OutputZeroPoint = p.OutputZeroPoint;
        OutputMin = p.OutputMin;
        OutputMax = p.OutputMax;
        long shorts = PackedInt8GemmArm64.Handles(path) ? 0 : (long)Blocks * KPairs * 2 * NR;
        if (shorts + 64 > Array.MaxLength) throw new ArgumentException($"packed weights of {n}x{k} are too large", "filter");
        _weights = GC.AllocateArray<short>((int)shorts + 32, pinned: true);
        fixed (short* w = _weights) _weightsOffset = (int)(((64 - ((nint)w & 63)) & 63) / sizeof(short));
        int padded = Blocks * NR;
        _bias = new int[padded];
        _scales = new float[padded];
        _multipliers = new int[padded];
        _leftShifts = new int[padded];
        _rightShifts = new int[padded];
        for (int c = 0; c < n; c++)
        {
            _scales[c] = p.Scales[c];
            _multipliers[c] = p.Multipliers[c];
            _leftShifts[c] = Math.Max(p.Shifts[c], 0);
            _rightShifts[c] = Math.Max(-p.Shifts[c], 0);
        }
    }

    /// <summary>Whether the AVX2 kernels read the compact one-byte copy of the weights (see <see cref="Create"/>).</summary>
    public bool Compact => _weights8 is not null;

    /// <summary>Packs <paramref name="weights"/> ([n, k] row-major) minus the weight zero point, and the bias.</summary>
    /// <param name="path">The ISA path whose kernels will run the packed weights.</param>
    /// <param name="n">Output channels (rows of <paramref name="weights"/>).</param>
    /// <param name="k">Reduction length (columns of <paramref name="weights"/>).</param>
    /// <param name="weights">The 8-bit weights, [n, k] row-major.</param>
    /// <param name="bias">One int32 bias per output channel (may be empty for no bias).</param>
    /// <param name="p">Zero points, multipliers and clamp of the layer.</param>
    /// <param name="compact">On the AVX2 path, also keep the packed weights as int8 when every (w - zpW) fits, and
    /// run every row through the one-row kernel that widens them on load (<c>vpmovsxbw</c>): half the bytes per
    /// invoke, which is what limits few-row GEMMs such as FULLY_CONNECTED with batch 1 (weights stream from cache
    /// once per row, no reuse across rows).</param>
    public static PackedInt8Gemm Create<T>(IsaPath path, int n, int k, ReadOnlySpan<T> weights, ReadOnlySpan<int> bias,
        QuantizedConvParams p, bool compact = false) where T : unmanaged, IBinaryInteger<T>
    {
        var g = new PackedInt8Gemm(path, n, k, p);
        if (PackedInt8GemmArm64.Handles(path))
        {
            g._arm = PackedInt8GemmArm64.Create(path, n, k, weights, bias, p);
            return g;
        }
        int zpW = p.WeightZeroPoint;
        Span<short> dst = g._weights.AsSpan(g._weightsOffset);
        for (int c = 0; c < n; c++)
        {
            int block = c / NR, lane = c % NR;
            ReadOnlySpan<T> row = weights.Slice(c * k, k);
            int baseIndex = block * g.KPairs * 2 * NR + lane * 2;
            for (int kk = 0; kk < k; kk++)
                dst[baseIndex + (kk >> 1) * 2 * NR + (kk & 1)] = (short)(int.CreateTruncating(row[kk]) - zpW);
            if (!bias.IsEmpty) g._bias[c] = bias[c];
        }
        if (compact && path == IsaPath.Avx2)
        {
            bool fits = true;
            foreach (short v in dst) fits &= v >= sbyte.MinValue && v <= sbyte.MaxValue;
            if (fits)
            {
                int len = g.Blocks * g.KPairs * 2 * NR;
                var w8 = GC.AllocateArray<sbyte>(len + 64, pinned: true);
                fixed (sbyte* b = w8) g._weights8Offset = (int)((64 - ((nint)b & 63)) & 63);
                for (int i = 0; i < len; i++) w8[g._weights8Offset + i] = (sbyte)dst[i];
                g._weights8 = w8;
            }
        }
        return g;
    }

    /// <summary>
    /// Computes <paramref name="rows"/> (1..<see cref="MR"/>) output rows from widened activation rows at
    /// <paramref name="a"/> (row stride <see cref="KPadded"/>), writing N requantized values per row at
    /// <paramref name="output"/> (row stride N). The caller proved both buffers large enough.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Compute<T>(short* a, int rows, T* output) where T : unmanaged => Compute(a, rows, output, 0, Blocks);

    /// <summary>Whether <see cref="Compute{T}(short*, int, T*, int, int)"/> can compute a subset of the blocks (not on the
    /// ARM64 paths, whose packing has its own blocks).</summary>
    public bool SplitsBlocks => _arm is null;

    /// <summary><see cref="Compute{T}(short*, int, T*)"/> for the output channels of blocks [<paramref name="firstBlock"/>,
    /// <paramref name="endBlock"/>) only (<see cref="NR"/> channels each); the whole range unless <see cref="SplitsBlocks"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Compute<T>(short* a, int rows, T* output, int firstBlock, int endBlock) where T : unmanaged
    {
        fixed (short* w0 = _weights)
        fixed (int* bias = _bias)
        fixed (float* scales = _scales)
        fixed (int* mult = _multipliers)
        fixed (int* ls = _leftShifts)
        fixed (int* rs = _rightShifts)
        {
            var c = new GemmArgs
            {
                A = a, Rows = rows, KPairs = KPairs, KPadded = KPadded, Output = (byte*)output, N = N,
                Bias = bias, Scales = scales, Multipliers = mult, LeftShifts = ls, RightShifts = rs,
                OutputZeroPoint = OutputZeroPoint, OutputMin = OutputMin, OutputMax = OutputMax,
                Unsigned = typeof(T) == typeof(byte),
            };
            if (_arm is { } arm)
            {
                if (firstBlock != 0 || endBlock != Blocks) throw new InvalidOperationException("the ARM64 packing computes every block");
                arm.Compute(c, Fp32);
                return;
            }
            short* w = w0 + _weightsOffset;
            int blockShorts = KPairs * 2 * NR;
            if (_weights8 is { } compact)
            {
                fixed (sbyte* w8 = compact)
                    for (int b = firstBlock; b < endBlock; b++)
                        for (int r = 0; r < rows; r++)
                            Int8Gemm6x16Avx2.Row1Compact(in c, r, w8 + _weights8Offset + b * blockShorts, b, Fp32);
                return;
            }
            switch (Path)
            {
                case IsaPath.Avx2:
                    for (int b = firstBlock; b < endBlock; b++)
                        Int8Gemm6x16Avx2.Run(in c, w + b * blockShorts, b, Fp32);
                    break;
                case IsaPath.Vector128:
                    for (int b = firstBlock; b < endBlock; b++)
                        Int8Gemm2x8Vector128.Run(in c, w + b * blockShorts, b, Fp32);
                    break;
                default:
                    for (int b = firstBlock; b < endBlock; b++)
                        Int8GemmScalar.Run(in c, w + b * blockShorts, b, Fp32);
                    break;
            }
        }
    }
}

/// <summary>Everything one microkernel call needs, as raw pointers pinned by <see cref="PackedInt8Gemm.Compute{T}(short*, int, T*, int, int)"/>.</summary>
internal unsafe struct GemmArgs
{
    public short* A;
    public int Rows, KPairs, KPadded;
    public byte* Output; // T is one byte wide; row r, channel n at Output[r * N + n]
    public int N;
    public int* Bias;
    public float* Scales;
    public int* Multipliers, LeftShifts, RightShifts;
    public int OutputZeroPoint, OutputMin, OutputMax;
    public bool Unsigned;

    /// <summary>Channels of block <paramref name="block"/> that exist (the last block may be partial).</summary>
    public readonly int Valid(int block) => Math.Min(PackedInt8Gemm.NR, N - block * PackedInt8Gemm.NR);

    /// <summary>The scalar requantization (the reference's own formulas), for tails and the scalar path.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly int Requantize(int acc, int channel, bool fp32)
    {
        if (fp32) return Fp32Requantize.Apply(acc, Scales[channel], OutputZeroPoint, OutputMin, OutputMax);
        int q = FixedPoint.RoundingDivideByPot(
            FixedPoint.SaturatingRoundingDoublingHighMul(unchecked(acc * (1 << LeftShifts[channel])), Multipliers[channel]),
            RightShifts[channel]) + OutputZeroPoint;
        return q < OutputMin ? OutputMin : (q > OutputMax ? OutputMax : q);
    }
}

/// <summary>Scalar microkernel over the packed layout: one row at a time, 16 channels.</summary>
internal static unsafe class Int8GemmScalar
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(in GemmArgs c, short* w, int block, bool fp32)
    {
        int* acc = stackalloc int[PackedInt8Gemm.NR];
        int n0 = block * PackedInt8Gemm.NR, valid = c.Valid(block);
        for (int r = 0; r < c.Rows; r++)
        {
            short* a = c.A + r * c.KPadded;
            for (int j = 0; j < PackedInt8Gemm.NR; j++) acc[j] = c.Bias[n0 + j];
            short* wp = w;
            for (int p = 0; p < c.KPairs; p++, wp += 2 * PackedInt8Gemm.NR)
            {
                int x0 = a[2 * p], x1 = a[2 * p + 1];
                for (int j = 0; j < PackedInt8Gemm.NR; j++)
                    acc[j] += x0 * wp[2 * j] + x1 * wp[2 * j + 1];
            }
            byte* dst = c.Output + r * c.N + n0;
            for (int j = 0; j < valid; j++) dst[j] = (byte)c.Requantize(acc[j], n0 + j, fp32);
        }
    }
}
