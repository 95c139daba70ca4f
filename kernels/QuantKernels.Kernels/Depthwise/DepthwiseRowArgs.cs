using System.Runtime.CompilerServices;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Depthwise;

/// <summary>
/// Everything one depthwise row kernel needs, as raw pointers pinned by <see cref="DepthwiseConv2DInt8Packed"/>.
/// Activations come from padded int16 row buffers (x - zpIn, channels innermost with stride <see cref="Cp"/>, padded
/// columns and channels 0), so every tap of every output pixel is in bounds and padded taps contribute 0.
/// </summary>
internal unsafe struct DepthwiseRowArgs
{
    /// <summary>Tap t of output pixel 0: row buffer of the tap's filter row + kx * dilationW * Cp (t = ky * FW + kx).</summary>
    public short** Taps;
    public int TapCount;
    public int OutputWidth;
    /// <summary>int16 elements between the taps of neighbouring output pixels: strideW * Cp.</summary>
    public int PixelStep;
    /// <summary>Channel stride of the row buffers: output channels rounded up to 16.</summary>
    public int Cp;
    public int Blocks;
    public int OutC;
    /// <summary>First output byte of this output row; <see cref="OutputEnd"/> is one past the tensor's last byte.</summary>
    public byte* Output, OutputEnd;

    /// <summary>AVX2 layout: per 16-channel block, per tap pair, 32 int16 (the unpacklo then unpackhi channel orders).</summary>
    public short* PairWeights;
    public int PairCount;
    /// <summary>Vector128/scalar layout: [tap][Cp] int32.</summary>
    public int* TapWeights;
    /// <summary>ARM64 AdvSimd layout: [tap][Cp] int16.</summary>
    public short* TapWeights16;

    /// <summary>Per-channel data in natural order (length Cp).</summary>
    public int* Bias;
    public float* Scales;
    public int* Multipliers, LeftShifts, RightShifts;
    /// <summary>The same in the AVX2 accumulator order: per block, channels 0-3, 8-11 (low accumulator), 4-7, 12-15.</summary>
    public int* BiasPerm;
    public float* ScalesPerm;
    public int* MultipliersPerm, LeftShiftsPerm, RightShiftsPerm;

    public int OutputZeroPoint, OutputMin, OutputMax;
    public bool Fp32, Unsigned;

    /// <summary>The scalar requantization (the reference's own formulas) of channel <paramref name="c"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly int Requantize(int acc, int c)
    {
        if (Fp32) return Fp32Requantize.Apply(acc, Scales[c], OutputZeroPoint, OutputMin, OutputMax);
        int q = FixedPoint.RoundingDivideByPot(
            FixedPoint.SaturatingRoundingDoublingHighMul(unchecked(acc * (1 << LeftShifts[c])), Multipliers[c]),
            RightShifts[c]) + OutputZeroPoint;
        return q < OutputMin ? OutputMin : (q > OutputMax ? OutputMax : q);
    }

    /// <summary>Whether a block may be stored as 16 whole bytes: when they fit before the tensor's end. Bytes past a
    /// partial last block's valid channels fall in the next pixel's first 16 channels (block 0) or later pixels of a
    /// narrow tensor, so kernels must write those afterwards: pixel by pixel with blocks ascending, or the last block
    /// before block 0 when a kernel runs block by block. Otherwise only the valid bytes are stored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly bool FitsWhole(byte* dst) => dst + 16 <= OutputEnd;
}
