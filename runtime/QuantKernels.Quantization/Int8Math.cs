namespace QuantKernels.Quantization;

/// <summary>
/// The quantization arithmetic of TFLite's post-training quantizer: asymmetric int8 activations with range nudging,
/// symmetric per-channel int8 weights in [-127, 127], int32 biases at input_scale * weight_scale.
/// </summary>
public static class Int8Math
{
    /// <summary>Smallest activation range width used; a tensor that was constant during calibration gets this much.</summary>
    public const float MinimumRange = 1e-3f;

    /// <summary>
    /// Activation parameters for <paramref name="range"/>, as TFLite's <c>GetAsymmetricQuantizationParams</c>: the
    /// range is widened to contain 0 (so real 0 is exactly representable), scale = (max - min) / 255, and the zero
    /// point is qmin - min / scale rounded half away from zero and clamped to [-128, 127].
    /// </summary>
    /// <exception cref="ArgumentException">The range is empty or not finite.</exception>
    public static QuantParams ActivationParams(ActivationRange range)
    {
        if (range.IsEmpty || !float.IsFinite(range.Min) || !float.IsFinite(range.Max))
            throw new ArgumentException($"activation range {range} is empty or not finite", nameof(range));
        float min = MathF.Min(range.Min, 0f);
        float max = MathF.Max(range.Max, 0f);
        if (max - min < MinimumRange)
        {
            // A tensor that never moved (e.g. an all-zero channel group): any small positive range keeps 0 exact.
            if (max > 0f || min == 0f) max = min + MinimumRange; else min = max - MinimumRange;
        }
        const float qmin = -128f, qmax = 127f;
        float scale = (max - min) / (qmax - qmin);
        float zeroPointFromMin = qmin - min / scale;
        int zp = zeroPointFromMin < qmin ? -128
            : zeroPointFromMin > qmax ? 127
            : (int)MathF.Round(zeroPointFromMin, MidpointRounding.AwayFromZero);
        return new QuantParams(scale, zp);
    }

    /// <summary>
    /// Symmetric per-channel int8 weights: channel c along <paramref name="axis"/> gets scale max|w_c| / 127 and
    /// values round(w / scale) in [-127, 127] (zero point 0). An all-zero channel gets scale 1/127 (any scale
    /// represents it; a positive one keeps the bias scale valid).
    /// </summary>
    /// <param name="weights">Float weights, row-major in <paramref name="shape"/>.</param>
    /// <param name="shape">Their shape.</param>
    /// <param name="axis">The channel axis (0 for CONV_2D's OHWI, 3 for DEPTHWISE_CONV_2D's [1,H,W,C*M]); -1 for one scale for the whole tensor.</param>
    /// <param name="minimumScales">Optional lower bound per channel (e.g. so that a large bias stays representable in int32).</param>
    public static (sbyte[] Values, float[] Scales) SymmetricWeights(ReadOnlySpan<float> weights, IReadOnlyList<int> shape, int axis, float[]? minimumScales = null)
    {
        long count = 1;
        foreach (int d in shape) count *= d;
        if (count != weights.Length) throw new ArgumentException($"{weights.Length} weights do not fill shape [{string.Join(",", shape)}]", nameof(weights));
        if (axis >= shape.Count) throw new ArgumentOutOfRangeException(nameof(axis), axis, $"weights of rank {shape.Count} have no axis {axis}");
        int channels = axis < 0 ? 1 : shape[axis];
        int inner = 1;
        if (axis >= 0) for (int d = axis + 1; d < shape.Count; d++) inner *= shape[d];
        else inner = weights.Length;
        // Element i belongs to channel (i / inner) % channels.
        var maxAbs = new float[channels];
        for (int i = 0; i < weights.Length; i++)
        {
            int c = channels == 1 ? 0 : (i / inner) % channels;
            float a = MathF.Abs(weights[i]);
            if (!float.IsFinite(a)) throw new ArgumentException($"weight {i} is {weights[i]}", nameof(weights));
            if (a > maxAbs[c]) maxAbs[c] = a;
        }
        var scales = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            scales[c] = maxAbs[c] > 0f ? maxAbs[c] / 127f : 1f / 127f;
            if (minimumScales is not null && minimumScales[c] > scales[c]) scales[c] = minimumScales[c];
        }
        var q = new sbyte[weights.Length];
        for (int i = 0; i < weights.Length; i++)
        {
            int c = channels == 1 ? 0 : (i / inner) % channels;
            double v = Math.Round(weights[i] / (double)scales[c], MidpointRounding.AwayFromZero);
            q[i] = (sbyte)Math.Clamp(v, -127, 127);
        }
        return (q, scales);
    }

    /// <summary>
    /// Int32 bias at scale input_scale * weight_scale[c] (float product, as TFLite stores it), rounded half away
    /// from zero. Returns the values, their scales, and how many values had to be clamped to the int32 range.
    /// </summary>
    public static (int[] Values, float[] Scales, int Clamped) Bias(ReadOnlySpan<float> bias, float inputScale, ReadOnlySpan<float> weightScales)
    {
        if (weightScales.Length != 1 && weightScales.Length != bias.Length)
            throw new ArgumentException($"{bias.Length} biases but {weightScales.Length} weight scales", nameof(weightScales));
        var values = new int[bias.Length];
        var scales = new float[weightScales.Length];
        for (int c = 0; c < scales.Length; c++) scales[c] = inputScale * weightScales[c];
        int clamped = 0;
        for (int c = 0; c < bias.Length; c++)
        {
            float s = scales.Length == 1 ? scales[0] : scales[c];
            double v = Math.Round(bias[c] / (double)s, MidpointRounding.AwayFromZero);
            if (v > int.MaxValue || v < -int.MaxValue) { clamped++; v = Math.Clamp(v, -int.MaxValue, int.MaxValue); }
            values[c] = (int)v;
        }
        return (values, scales, clamped);
    }

    /// <summary>Quantizes float values to int8 with per-tensor parameters.</summary>
    public static sbyte[] Quantize(ReadOnlySpan<float> values, QuantParams p)
    {
        var q = new sbyte[values.Length];
        for (int i = 0; i < values.Length; i++) q[i] = p.Quantize(values[i]);
        return q;
    }
}
