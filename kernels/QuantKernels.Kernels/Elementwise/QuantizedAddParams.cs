using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Elementwise;

/// <summary>
/// Prepared parameters of a quantized ADD or SUB (computed once by <see cref="QuantizedAdd.Prepare{T}"/>).
/// Holds the parameters of the convention in <see cref="Convention"/> only.
/// </summary>
public readonly struct QuantizedAddParams
{
    /// <summary>The convention the kernel will run. Xnnpack falls back to Reference when XNNPACK would refuse the scales.</summary>
    public RequantConvention Convention { get; init; }
    /// <summary>True for SUB (a - b).</summary>
    public bool Subtract { get; init; }
    /// <summary>Clamp range after adding the output zero point (fused activation within the type range).</summary>
    public int OutputMin { get; init; }
    /// <summary>Upper clamp.</summary>
    public int OutputMax { get; init; }
    /// <summary>Output zero point.</summary>
    public int OutputZeroPoint { get; init; }

    // --- Reference (TFLite reference_integer_ops::Add / Sub) ---
    /// <summary>Reference: -zero point of a.</summary>
    public int InputOffsetA { get; init; }
    /// <summary>Reference: -zero point of b.</summary>
    public int InputOffsetB { get; init; }
    /// <summary>Reference: left shift applied to inputs before scaling (20 for int8/uint8).</summary>
    public int LeftShift { get; init; }
    /// <summary>Reference: multiplier of a (from QuantizeMultiplierSmallerThanOneExp).</summary>
    public int MultiplierA { get; init; }
    /// <summary>Reference: shift (non-positive) of a.</summary>
    public int ShiftA { get; init; }
    /// <summary>Reference: multiplier of b.</summary>
    public int MultiplierB { get; init; }
    /// <summary>Reference: shift of b.</summary>
    public int ShiftB { get; init; }
    /// <summary>Reference: output multiplier.</summary>
    public int OutputMultiplier { get; init; }
    /// <summary>Reference: output shift.</summary>
    public int OutputShift { get; init; }

    // --- Xnnpack (qs8/qu8 vadd scalar microkernel) ---
    /// <summary>Xnnpack: signed multiplier of a (&lt; 2^21).</summary>
    public int XnnMultiplierA { get; init; }
    /// <summary>Xnnpack: signed multiplier of b (negated for SUB).</summary>
    public int XnnMultiplierB { get; init; }
    /// <summary>Xnnpack: 2^(shift-1) - ma*za - mb*zb.</summary>
    public int XnnBias { get; init; }
    /// <summary>Xnnpack: right shift in [12, 30].</summary>
    public int XnnShift { get; init; }
}
