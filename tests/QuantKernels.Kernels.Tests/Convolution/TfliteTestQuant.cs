namespace QuantKernels.Kernels.Tests.Convolution;

/// <summary>
/// Re-creates how TFLite's kernel tests (tensorflow/lite/kernels/test_util.h) quantize their float test data, so
/// the ported vectors feed our kernels the same integers TFLite's kernels saw: scale/zero point from (min, max),
/// <c>q = clamp(round(zp + x / scale))</c>, per-channel symmetric weights <c>round(x * (1/scale))</c> in [-127, 127],
/// bias <c>round(b / (inScale * wScale))</c>. std::round rounds half away from zero.
/// </summary>
internal static class TfliteTestQuant
{
    /// <summary>test_util's QuantizationParams: scale = (max - min) / (qmax - qmin), zp = round(qmin - min / scale), clamped.</summary>
    public static (float Scale, int ZeroPoint) Params(float min, float max, int qmin, int qmax)
    {
        float scale = (max - min) / (float)(qmax - qmin);
        float zpFromMin = qmin - min / scale;
        int zp = (int)MathF.Round(zpFromMin, MidpointRounding.AwayFromZero);
        return (scale, Math.Clamp(zp, qmin, qmax));
    }

    public static int[] Quantize(float[] values, float scale, int zeroPoint, int qmin, int qmax)
        => values.Select(v => Math.Clamp((int)MathF.Round(zeroPoint + v / scale, MidpointRounding.AwayFromZero), qmin, qmax)).ToArray();

    /// <summary>Per-tensor bias (QuantizeAndPopulate&lt;int32_t&gt;): round(b / scale).</summary>
    public static int[] QuantizeBias(float[] values, Func<int, float> scaleOf)
        => values.Select((v, i) => (int)MathF.Round(v / scaleOf(i), MidpointRounding.AwayFromZero)).ToArray();

    /// <summary>Per-channel bias (PerChannelQuantizeBias): <c>quantized = input / scale</c> assigned to int32, i.e. truncated.</summary>
    public static int[] QuantizeBiasPerChannel(float[] values, Func<int, float> scaleOf)
        => values.Select((v, i) => (int)(v / scaleOf(i))).ToArray();

    /// <summary>SymmetricPerChannelQuantizeValues: q = round(x * (1/scale[channel])) clamped to [-127, 127].</summary>
    public static int[] PerChannelSymmetric(float[] values, float[] scales, Func<int, int> channelOf)
        => values.Select((v, i) =>
        {
            float s = scales.Length == 1 ? scales[0] : scales[channelOf(i)];
            float inv = 1.0f / s;
            return Math.Clamp((int)MathF.Round(v * inv, MidpointRounding.AwayFromZero), -127, 127);
        }).ToArray();

    public static sbyte[] S8(int[] q) => q.Select(v => checked((sbyte)v)).ToArray();
    public static byte[] U8(int[] q) => q.Select(v => checked((byte)v)).ToArray();
    public static sbyte[] S8(params int[][] parts) => S8(parts.SelectMany(p => p).ToArray());
    public static float[] F(params float[] v) => v;
}
