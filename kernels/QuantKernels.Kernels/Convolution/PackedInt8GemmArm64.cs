using System.Numerics;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Convolution;

/// <summary>
/// The ARM64 packing of a <see cref="PackedInt8Gemm"/>: blocks of <see cref="NR"/> = 8 output channels, K padded with
/// zero weights to a multiple of 4 (Dp) or 8 (AdvSimd), and the microkernels that read it.
/// <list type="bullet">
/// <item><see cref="IsaPath.AdvSimdDp"/>: the raw 8-bit weights, per block and per group of 4 consecutive K, 8 channels x
/// 4 bytes (32 bytes: two <c>SDOT</c>/<c>UDOT</c> operands of 4 channels each). Activation rows are the raw 8-bit values
/// (padded taps = zpIn). acc = sum (x - zpIn)(w - zpW) = sum x*w - zpIn*sum w + K*zpIn*zpW - zpW*sum x: the first three
/// terms are folded into the packed bias at preparation; the last (only when zpW != 0, e.g. legacy uint8 models) is one
/// row sum per activation row per call. All in int32 wrap-around arithmetic, so the identity is exact.</item>
/// <item><see cref="IsaPath.AdvSimd"/>: int16 (w - zpW), per block and per K index, 8 channels (16 bytes: one
/// <c>SMLAL</c> and one <c>SMLAL2</c> operand), against the int16 x - zpIn activation rows.</item>
/// </list>
/// </summary>
internal sealed unsafe class PackedInt8GemmArm64
{
    /// <summary>Output channels per packed block.</summary>
    public const int NR = 8;

    private readonly byte[] _weights; // pinned
    private readonly int[] _bias;     // pinned, padded to whole blocks; the Dp path's has the zero-point corrections in it
    private readonly int _blocks, _blockBytes, _weightZeroPoint;

    /// <summary>Activation row stride in elements (K rounded up to 4 or 8).</summary>
    public int KPadded { get; }

    /// <summary>Whether activation rows are raw bytes (the Dp path) rather than int16 x - zpIn.</summary>
    public bool ByteRows { get; }

    /// <summary>Whether <paramref name="path"/> is one of the ARM64 paths this packing serves.</summary>
    public static bool Handles(IsaPath path) => path is IsaPath.AdvSimd or IsaPath.AdvSimdDp;

    private PackedInt8GemmArm64(bool dp, int n, int k, int weightZeroPoint)
    {
        ByteRows = dp;
        KPadded = dp ? (k + 3) & ~3 : (k + 7) & ~7; // the int16 tile reads 8 K (one 16-byte load) per row at a time
        _blocks = (n + NR - 1) / NR;
        _blockBytes = KPadded * NR * (dp ? 1 : sizeof(short));
        _weightZeroPoint = dp ? weightZeroPoint : 0;
        long bytes = (long)_blocks * _blockBytes;
        if (bytes > Array.MaxLength) throw new ArgumentException($"packed weights of {n}x{k} are too large", "filter");
        _weights = GC.AllocateArray<byte>((int)bytes, pinned: true);
        _bias = GC.AllocateArray<int>(_blocks * NR, pinned: true);
    }

    /// <summary>Packs <paramref name="weights"/> ([n, k] row-major) and the bias for <paramref name="path"/>.</summary>
    public static PackedInt8GemmArm64 Create<T>(IsaPath path, int n, int k, ReadOnlySpan<T> weights, ReadOnlySpan<int> bias,
        QuantizedConvParams p) where T : unmanaged, IBinaryInteger<T>
    {
        bool dp = path == IsaPath.AdvSimdDp;
        int zpW = p.WeightZeroPoint, zpIn = p.InputZeroPoint;
        var g = new PackedInt8GemmArm64(dp, n, k, zpW);
        fixed (byte* dst = g._weights)
        {
            for (int c = 0; c < n; c++)
            {
                ReadOnlySpan<T> row = weights.Slice(c * k, k);
                byte* block = dst + (long)(c / NR) * g._blockBytes;
                int lane = c % NR, sum = 0;
                for (int kk = 0; kk < k; kk++)
                {
                    int w = int.CreateTruncating(row[kk]);
                    sum += w;
                    if (dp) block[(kk >> 2) * 4 * NR + lane * 4 + (kk & 3)] = (byte)w;
                    else ((short*)block)[kk * NR + lane] = (short)(w - zpW);
                }
                int b = bias.IsEmpty ? 0 : bias[c];
                g._bias[c] = dp ? unchecked(b - zpIn * sum + k * zpIn * zpW) : b;
            }
        }
        return g;
    }

    /// <summary>Runs the microkernels over every block for the activation rows and outputs in <paramref name="c"/>
    /// (its bias is replaced by this packing's).</summary>
    public void Compute(GemmArgs c, bool fp32)
    {
        fixed (byte* w = _weights)
        fixed (int* bias = _bias)
        {
            c.Bias = bias;
            if (ByteRows) Int8GemmDotProdArm64.Run(in c, w, _blocks, _blockBytes, _weightZeroPoint, fp32);
            else Int8Gemm6x8AdvSimd.Run(in c, (short*)w, _blocks, _blockBytes / sizeof(short), fp32);
        }
    }
}
