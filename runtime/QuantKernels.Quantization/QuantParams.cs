namespace QuantKernels.Quantization;

/// <summary>Per-tensor affine int8 quantization: real = <see cref="Scale"/> * (q - <see cref="ZeroPoint"/>).</summary>
/// <param name="Scale">Positive scale.</param>
/// <param name="ZeroPoint">Zero point in [-128, 127].</param>
public readonly record struct QuantParams(float Scale, int ZeroPoint)
{
    /// <summary>LOGISTIC and SOFTMAX int8 outputs: TFLite fixes them to (1/256, -128).</summary>
    public static QuantParams Probability => new(1f / 256f, -128);

    /// <summary>TANH int8 outputs: TFLite fixes them to (1/128, 0).</summary>
    public static QuantParams Tanh => new(1f / 128f, 0);

    /// <summary>Quantizes one value: round half away from zero (TFLite's <c>TfLiteRound</c>), clamped to int8.</summary>
    public sbyte Quantize(float value)
    {
        double q = Math.Round(value / (double)Scale, MidpointRounding.AwayFromZero) + ZeroPoint;
        return (sbyte)Math.Clamp(q, -128, 127);
    }

    /// <summary>The real value of <paramref name="q"/>.</summary>
    public float Dequantize(int q) => Scale * (q - ZeroPoint);

    /// <inheritdoc/>
    public override string ToString() => $"(scale {Scale:G6}, zero point {ZeroPoint})";
}
