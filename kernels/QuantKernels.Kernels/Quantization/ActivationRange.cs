namespace QuantKernels.Kernels.Quantization;

/// <summary>Fused activation functions as TFLite's schema numbers them.</summary>
public enum FusedActivation
{
    None = 0,
    Relu = 1,
    ReluN1To1 = 2,
    Relu6 = 3,
    Tanh = 4,
    SignBit = 5,
}

/// <summary>The clamp range a fused activation imposes on quantized (or float) outputs, as TFLite computes it.</summary>
public static class ActivationRange
{
    /// <summary>
    /// TFLite's CalculateActivationRangeQuantized: RELU -> [max(qmin, Q(0)), qmax], RELU6 -> also min(qmax, Q(6)),
    /// RELU_N1_TO_1 -> [max(qmin,Q(-1)), min(qmax,Q(1))], where Q(x) = zp + round(x / scale).
    /// </summary>
    public static (int Min, int Max) Quantized(FusedActivation activation, float scale, int zeroPoint, int qmin, int qmax)
    {
        int Q(float x) => zeroPoint + (int)MathF.Round(x / scale, MidpointRounding.AwayFromZero);
        return activation switch
        {
            FusedActivation.None => (qmin, qmax),
            FusedActivation.Relu => (Math.Max(qmin, Q(0f)), qmax),
            FusedActivation.Relu6 => (Math.Max(qmin, Q(0f)), Math.Min(qmax, Q(6f))),
            FusedActivation.ReluN1To1 => (Math.Max(qmin, Q(-1f)), Math.Min(qmax, Q(1f))),
            _ => throw new NotSupportedException($"fused activation {activation} is not supported on quantized tensors"),
        };
    }

    /// <summary>Float clamp range of a fused activation.</summary>
    public static (float Min, float Max) Float(FusedActivation activation) => activation switch
    {
        FusedActivation.None => (float.NegativeInfinity, float.PositiveInfinity),
        FusedActivation.Relu => (0f, float.PositiveInfinity),
        FusedActivation.Relu6 => (0f, 6f),
        FusedActivation.ReluN1To1 => (-1f, 1f),
        _ => throw new NotSupportedException($"fused activation {activation} is not supported as a clamp"),
    };
}
