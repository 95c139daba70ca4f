namespace QuantKernels.Kernels.Quantization;

/// <summary>
/// Which of TFLite's two integer conventions an int8/uint8 kernel reproduces bit for bit.
/// See DESIGN.md §3 and shared/oracle/CONVENTIONS.md.
/// </summary>
public enum RequantConvention
{
    /// <summary>
    /// What current TFLite computes on CPU (its XNNPACK delegate): conv/depthwise/FC/mean requantize in
    /// float32 with round-half-to-even; ADD uses XNNPACK's integer add. Byte-identical to the oracle.
    /// </summary>
    Xnnpack = 0,

    /// <summary>
    /// TFLite's reference integer kernels (as TFLite Micro runs them): gemmlowp fixed-point multipliers,
    /// <c>MultiplyByQuantizedMultiplier</c> with double rounding. Pinned by TFLite's kernel test vectors.
    /// </summary>
    Reference = 1,
}
