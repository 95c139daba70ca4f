using System.Numerics;
using System.Runtime.CompilerServices;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Convolution;

/// <summary>
/// The packed int8/uint8 GEMM of <see cref="PackedInt8Gemm"/> for AVX-VNNI (<c>vpdpbusd</c>: u8 x s8, four products
/// summed into each int32 lane, wrapping, never saturating). Weights are packed once as s8 in blocks of
/// <see cref="NR"/> = 16 output channels; inside a block, for each group of 4 K indices, the 16 channels' 4 bytes
/// (64 bytes), K padded to a multiple of 4 with zeros. Activations arrive as u8 rows of <see cref="KPadded"/> bytes.
/// <para>
/// Exactness. With x, w the stored values, u = x + xOff (xOff = 128 for int8 activations, 0 for uint8) and
/// s = w - wOff (wOff = 0 for int8 weights, 128 for uint8), both fit their byte type and
/// (x - zpIn)(w - zpW) = u*s + (wOff - zpW)*u - (xOff + zpIn)*(w - zpW).
/// Summed over K: acc = bias + sum(u*s) + <see cref="RowCoefficient"/> * sum(u) - (xOff + zpIn) * sum(w - zpW).
/// The last term is per channel and is folded into the packed bias; the middle one is per output row (the caller
/// supplies sum(u) of the row when <see cref="NeedsRowSums"/>). Padded conv taps hold u = zpIn + xOff, the value for
/// which x - zpIn = 0, so they add nothing, as in the reference; the K tail holds u = 0 and s = 0. Every step is int32
/// arithmetic modulo 2^32, which is associative, so the accumulator equals the reference's bit for bit.
/// </para>
/// </summary>
internal sealed unsafe class PackedInt8GemmVnni
{
    /// <summary>Output channels per packed block.</summary>
    public const int NR = 16;

    /// <summary>Activation rows per microkernel call (the 6x16 tile).</summary>
    public const int MR = 6;

    private readonly sbyte[] _weights; // pinned: the microkernels keep raw pointers only while running
    private readonly int _weightsOffset; // first byte of the 64-byte-aligned packed data
    private readonly int[] _bias;
    private readonly float[] _scales;
    private readonly int[] _multipliers, _leftShifts, _rightShifts;
    private readonly GemmArgs _args; // raw pointers into the pinned arrays above (which this object keeps alive)
    private readonly sbyte* _packed; // first packed block

    public int N { get; }
    public int K { get; }
    public int KGroups { get; }
    public int KPadded => KGroups * 4;
    public int Blocks { get; }
    public bool Fp32 { get; }
    public bool Unsigned { get; }
    public int OutputZeroPoint { get; }
    public int OutputMin { get; }
    public int OutputMax { get; }

    /// <summary>wOff - zpW: the multiplier of each row's sum of u8 activations (0 for int8 weights with zpW = 0).</summary>
    public int RowCoefficient { get; }

    /// <summary>Whether the caller must pass each row's sum of u8 activations.</summary>
    public bool NeedsRowSums => RowCoefficient != 0;

    /// <summary>The u8 value of a padded conv tap (zpIn + xOff): contributes nothing, as the reference's skipped tap.</summary>
    public byte PaddingValue { get; }

    /// <summary>What the activation bytes are xor-ed with to become u8 (0x80 for int8, 0 for uint8).</summary>
    public byte ActivationFlip { get; }

    private PackedInt8GemmVnni(int n, int k, QuantizedConvParams p, bool unsigned)
    {
        N = n;
        K = k;
        KGroups = (k + 3) / 4;
        Blocks = (n + NR - 1) / NR;
        Fp32 = p.Convention == RequantConvention.Xnnpack;
        Unsigned = unsigned;
        OutputZeroPoint = p.OutputZeroPoint;
        OutputMin = p.OutputMin;
        OutputMax = p.OutputMax;
        int xOff = unsigned ? 0 : 128, wOff = unsigned ? 128 : 0;
        RowCoefficient = wOff - p.WeightZeroPoint;
        PaddingValue = (byte)(p.InputZeroPoint + xOff);
        ActivationFlip = (byte)(unsigned ? 0 : 0x80);
        long bytes = (long)Blocks * KGroups * 4 * NR;
        if (bytes + 64 > Array.MaxLength) throw new ArgumentException($"packed weights of {n}x{k} are too large", "filter");
        _weights = GC.AllocateArray<sbyte>((int)bytes + 64, pinned: true);
        fixed (sbyte* w = _weights) _weightsOffset = (int)((64 - ((nint)w & 63)) & 63);
        int padded = Blocks * NR;
        _bias = GC.AllocateArray<int>(padded, pinned: true);
        _scales = GC.AllocateArray<float>(padded, pinned: true);
        _multipliers = GC.AllocateArray<int>(padded, pinned: true);
        _leftShifts = GC.AllocateArray<int>(padded, pinned: true);
        _rightShifts = GC.AllocateArray<int>(padded, pinned: true);
        for (int c = 0; c < n; c++)
        {
            _scales[c] = p.Scales[c];
            _multipliers[c] = p.Multipliers[c];
            _leftShifts[c] = Math.Max(p.Shifts[c], 0);
            _rightShifts[c] = Math.Max(-p.Shifts[c], 0);
        }
        // Every array is pinned (POH), so the pointers stay valid for the object's lifetime: Compute, called per
        // 6-pixel tile, needs no fixed statements.
        _packed = (sbyte*)Unsafe.AsPointer(ref _weights[_weightsOffset]);
        _args = new GemmArgs
        {
            N = n, Bias = Pin(_bias), Scales = (float*)Unsafe.AsPointer(ref _scales[0]), Multipliers = Pin(_multipliers),
            LeftShifts = Pin(_leftShifts), RightShifts = Pin(_rightShifts),
            OutputZeroPoint = OutputZeroPoint, OutputMin = OutputMin, OutputMax = OutputMax, Unsigned = unsigned,
        };
    }

    private static int* Pin(int[] pinned) => (int*)Unsafe.AsPointer(ref pinned[0]);

    /// <summary>Packs <paramref name="weights"/> ([n, k] row-major, sbyte or byte) as s8 and folds the zero-point
    /// corrections into the bias (see the class remarks).</summary>
    public static PackedInt8GemmVnni Create<T>(int n, int k, ReadOnlySpan<T> weights, ReadOnlySpan<int> bias,
        QuantizedConvParams p) where T : unmanaged, IBinaryInteger<T>
    {
        bool unsigned = typeof(T) == typeof(byte);
        var g = new PackedInt8GemmVnni(n, k, p, unsigned);
        int zpW = p.WeightZeroPoint, wOff = unsigned ? 128 : 0, xOff = unsigned ? 0 : 128;
        Span<sbyte> dst = g._weights.AsSpan(g._weightsOffset);
        for (int c = 0; c < n; c++)
        {
            int block = c / NR, lane = c % NR;
            ReadOnlySpan<T> row = weights.Slice(c * k, k);
            int baseIndex = block * g.KGroups * 4 * NR + lane * 4;
            int sum = 0;
            for (int kk = 0; kk < k; kk++)
            {
                int w = int.CreateTruncating(row[kk]);
                dst[baseIndex + (kk >> 2) * 4 * NR + (kk & 3)] = (sbyte)(w - wOff);
                sum += w - zpW;
            }
            int b = bias.IsEmpty ? 0 : bias[c];
            g._bias[c] = unchecked(b - (xOff + p.InputZeroPoint) * sum);
        }
        return g;
    }

    /// <summary>
    /// Computes <paramref name="rows"/> (1..<see cref="MR"/>) output rows from u8 activation rows at <paramref name="a"/>
    /// (row stride <see cref="KPadded"/>), writing N requantized values per row at <paramref name="output"/> (row stride
    /// N). <paramref name="rowSums"/> holds each row's sum of activation bytes when <see cref="NeedsRowSums"/> (else it is
    /// not read). The caller proved the buffers large enough.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Compute<T>(byte* a, int* rowSums, int rows, T* output) where T : unmanaged
        => Compute(a, rowSums, rows, output, 0, Blocks);

    /// <summary><see cref="Compute{T}(byte*, int*, int, T*)"/> for the output channels of blocks
    /// [<paramref name="firstBlock"/>, <paramref name="endBlock"/>) only (<see cref="NR"/> channels each).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Compute<T>(byte* a, int* rowSums, int rows, T* output, int firstBlock, int endBlock) where T : unmanaged
    {
        GemmArgs c = _args;
        c.Rows = rows;
        c.Output = (byte*)output;
        var v = new VnniArgs { A = a, KGroups = KGroups, KPadded = KPadded, RowSums = rowSums, RowCoefficient = RowCoefficient };
        int blockBytes = KGroups * 4 * NR;
        bool fp32 = Fp32;
        for (int b = firstBlock; b < endBlock; b++)
            Int8Gemm6x16AvxVnni.Run(in c, in v, _packed + b * blockBytes, b, fp32);
    }
}

/// <summary>The VNNI-specific inputs of one microkernel call (activation bytes and per-row corrections).</summary>
internal unsafe struct VnniArgs
{
    public byte* A;
    public int KGroups, KPadded;
    public int* RowSums; // MR values (sum of the row's u8 activations), read only when RowCoefficient != 0
    public int RowCoefficient;

    /// <summary>RowCoefficient * RowSums[r] (wrapping like the accumulators), added to every channel of row r.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly int Correction(int r) => RowCoefficient == 0 ? 0 : unchecked(RowCoefficient * RowSums[r]);
}
