namespace QuantKernels.Training.Quantization;

/// <summary>Per-tensor int8 quantization parameters: real = Scale * (q - ZeroPoint), q in [-128, 127].</summary>
public readonly record struct QuantRange(float Scale, int ZeroPoint)
{
    /// <summary>Smallest int8 value.</summary>
    public const int QMin = -128;

    /// <summary>Largest int8 value.</summary>
    public const int QMax = 127;

    /// <summary>The output parameters TFLite requires for int8 LOGISTIC and SOFTMAX.</summary>
    public static QuantRange Logistic => new(1f / 256, -128);

    /// <summary>
    /// TFLite's range nudging (as in fake_quant_with_min_max_vars): the range is widened to hold 0, the scale is
    /// (max - min) / 255 and the zero point is the rounded, clamped -128 - min / scale, so real 0 is exactly representable.
    /// </summary>
    public static QuantRange FromMinMax(float min, float max)
    {
        min = MathF.Min(min, 0);
        max = MathF.Max(max, 0);
        if (max - min < 1e-6f) max = min + 1e-6f;
        float scale = (max - min) / (QMax - QMin);
        float zeroFromMin = QMin - min / scale;
        int zero = zeroFromMin <= QMin ? QMin : zeroFromMin >= QMax ? QMax : (int)MathF.Round(zeroFromMin, MidpointRounding.ToEven);
        return new QuantRange(scale, zero);
    }

    /// <summary>The smallest representable real value.</summary>
    public float Min => Scale * (QMin - ZeroPoint);

    /// <summary>The largest representable real value.</summary>
    public float Max => Scale * (QMax - ZeroPoint);
}
