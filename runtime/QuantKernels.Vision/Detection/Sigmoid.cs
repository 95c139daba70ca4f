namespace QuantKernels.Vision;

/// <summary>The logistic function and its inverse, for thresholding logits without computing every sigmoid.</summary>
internal static class Sigmoid
{
    /// <summary>1 / (1 + e^-x), with x clipped to [-100, 100] as MediaPipe does.</summary>
    public static float Of(float x) => 1f / (1f + MathF.Exp(-Math.Clamp(x, -100f, 100f)));

    /// <summary>The logit of <paramref name="p"/>: sigmoid(x) &gt;= p exactly when x &gt;= Logit(p) (up to rounding, so callers re-check).</summary>
    public static float Logit(float p) => p <= 0f ? float.NegativeInfinity : p >= 1f ? float.PositiveInfinity : MathF.Log(p / (1f - p));
}
