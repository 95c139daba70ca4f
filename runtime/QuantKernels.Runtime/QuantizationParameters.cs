namespace QuantKernels.Runtime;

/// <summary>
/// Affine quantization of a tensor: real = scale * (q - zeroPoint), per tensor (one scale) or per axis
/// (one scale per slice along <see cref="QuantizedDimension"/>).
/// </summary>
public sealed class QuantizationParameters
{
    /// <summary>No quantization.</summary>
    public static readonly QuantizationParameters None = new([], [], 0);

    /// <summary>Creates quantization parameters; arrays are owned by the instance afterwards.</summary>
    public QuantizationParameters(float[] scales, long[] zeroPoints, int quantizedDimension)
    {
        Scales = scales;
        ZeroPoints = zeroPoints;
        QuantizedDimension = quantizedDimension;
    }

    /// <summary>Per-tensor (length 1) or per-axis scales; empty when the tensor is not quantized.</summary>
    public IReadOnlyList<float> Scales { get; }

    /// <summary>Zero points, same length as <see cref="Scales"/> (or length 1 with per-axis scales).</summary>
    public IReadOnlyList<long> ZeroPoints { get; }

    /// <summary>The axis the scales run along when there is more than one.</summary>
    public int QuantizedDimension { get; }

    /// <summary>True when at least one scale is present.</summary>
    public bool IsQuantized => Scales.Count > 0;

    /// <summary>True when there is more than one scale.</summary>
    public bool IsPerAxis => Scales.Count > 1;

    /// <summary>The per-tensor scale (the first scale), or 0 when not quantized.</summary>
    public float Scale => Scales.Count > 0 ? Scales[0] : 0f;

    /// <summary>The per-tensor zero point (the first), or 0.</summary>
    public int ZeroPoint => ZeroPoints.Count > 0 ? (int)ZeroPoints[0] : 0;
}
