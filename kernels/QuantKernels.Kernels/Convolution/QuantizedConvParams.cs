using System.Runtime.CompilerServices;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Convolution;

/// <summary>
/// Requantization parameters of one quantized CONV_2D, DEPTHWISE_CONV_2D or FULLY_CONNECTED op, computed once
/// by <see cref="Prepare"/> (at model preparation) and only read by the kernels at every invoke.
/// Holds, per output channel, both the float32 scale of the <see cref="RequantConvention.Xnnpack"/> convention and
/// the (multiplier, shift) pair of the <see cref="RequantConvention.Reference"/> convention; <see cref="Convention"/>
/// picks which one the kernels apply.
/// </summary>
public sealed class QuantizedConvParams
{
    private readonly float[] scales;
    private readonly int[] multipliers;
    private readonly int[] shifts;

    private QuantizedConvParams(RequantConvention convention, int inputZeroPoint, int weightZeroPoint, int outputZeroPoint,
        int outputMin, int outputMax, float[] scales, int[] multipliers, int[] shifts)
    {
        Convention = convention;
        InputZeroPoint = inputZeroPoint;
        WeightZeroPoint = weightZeroPoint;
        OutputZeroPoint = outputZeroPoint;
        OutputMin = outputMin;
        OutputMax = outputMax;
        this.scales = scales;
        this.multipliers = multipliers;
        this.shifts = shifts;
    }

    /// <summary>Which requantization the kernels apply.</summary>
    public RequantConvention Convention { get; }

    /// <summary>Zero point of the input activations (subtracted from every in-image tap).</summary>
    public int InputZeroPoint { get; }

    /// <summary>Zero point of the weights: 0 for int8 weights, the tensor's zero point for legacy uint8 weights.</summary>
    public int WeightZeroPoint { get; }

    /// <summary>Zero point of the output.</summary>
    public int OutputZeroPoint { get; }

    /// <summary>Lowest output value (fused activation already applied, in quantized units).</summary>
    public int OutputMin { get; }

    /// <summary>Highest output value (fused activation already applied, in quantized units).</summary>
    public int OutputMax { get; }

    /// <summary>Number of output channels these parameters cover.</summary>
    public int Channels => scales.Length;

    /// <summary>Per-channel float32 scale <c>(float)((float)inScale * (float)wScale[c]) / (float)outScale</c> (xnnpack convention).</summary>
    public ReadOnlySpan<float> Scales => scales;

    /// <summary>Per-channel int32 multiplier in [2^30, 2^31) from <see cref="FixedPoint.QuantizeMultiplier"/> (reference convention).</summary>
    public ReadOnlySpan<int> Multipliers => multipliers;

    /// <summary>Per-channel power-of-two shift (positive = left) paired with <see cref="Multipliers"/>.</summary>
    public ReadOnlySpan<int> Shifts => shifts;

    /// <summary>
    /// Computes the per-channel requantization parameters once.
    /// </summary>
    /// <param name="convention">Which TFLite convention the kernels reproduce.</param>
    /// <param name="inputScale">Input tensor scale (&gt; 0).</param>
    /// <param name="inputZeroPoint">Input tensor zero point.</param>
    /// <param name="weightScales">Weight scales: one (per-tensor) or one per output channel (per-channel: axis 0 of a CONV_2D/FC
    /// filter, axis 3 of a DEPTHWISE_CONV_2D filter). All &gt; 0.</param>
    /// <param name="weightZeroPoint">Weight zero point (0 for int8; the tensor's zero point for uint8 weights).</param>
    /// <param name="outputScale">Output tensor scale (&gt; 0).</param>
    /// <param name="outputZeroPoint">Output tensor zero point.</param>
    /// <param name="outputMin">Lower clamp (e.g. from <see cref="ActivationRange.Quantized"/>).</param>
    /// <param name="outputMax">Upper clamp.</param>
    /// <param name="channels">Number of output channels (for depthwise: input channels x depth multiplier).</param>
    /// <exception cref="ArgumentException">Non-positive or non-finite scales, a scale count that is neither 1 nor
    /// <paramref name="channels"/>, or an empty clamp range.</exception>
    public static QuantizedConvParams Prepare(RequantConvention convention, float inputScale, int inputZeroPoint,
        ReadOnlySpan<float> weightScales, int weightZeroPoint, float outputScale, int outputZeroPoint,
        int outputMin, int outputMax, int channels)
    {
        if (convention is not (RequantConvention.Xnnpack or RequantConvention.Reference))
            throw new ArgumentException($"unknown requantization convention {convention}", nameof(convention));
        if (channels < 1) throw new ArgumentException($"channels must be at least 1, got {channels}", nameof(channels));
        CheckScale(inputScale, nameof(inputScale));
        CheckScale(outputScale, nameof(outputScale));
        if (weightScales.Length != 1 && weightScales.Length != channels)
            throw new ArgumentException($"expected 1 or {channels} weight scales, got {weightScales.Length}", nameof(weightScales));
        foreach (float s in weightScales) CheckScale(s, nameof(weightScales));
        if (outputMin > outputMax)
            throw new ArgumentException($"output clamp range [{outputMin}, {outputMax}] is empty", nameof(outputMin));

        var scales = new float[channels];
        var multipliers = new int[channels];
        var shifts = new int[channels];
        for (int c = 0; c < channels; c++)
        {
            float ws = weightScales.Length == 1 ? weightScales[0] : weightScales[c];
            scales[c] = Fp32Requantize.Scale(inputScale, ws, outputScale);
            // TFLite's reference path forms the effective scale in double from the float tensor scales.
            (multipliers[c], shifts[c]) = FixedPoint.QuantizeMultiplier((double)inputScale * (double)ws / (double)outputScale);
        }
        return new QuantizedConvParams(convention, inputZeroPoint, weightZeroPoint, outputZeroPoint, outputMin, outputMax,
            scales, multipliers, shifts);
    }

    /// <summary>Requantizes one int32 accumulator of output channel <paramref name="channel"/>: scale, add the output
    /// zero point, clamp to [<see cref="OutputMin"/>, <see cref="OutputMax"/>].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Requantize(int acc, int channel)
    {
        if (Convention == RequantConvention.Xnnpack)
            return Fp32Requantize.Apply(acc, scales[channel], OutputZeroPoint, OutputMin, OutputMax);
        int q = FixedPoint.MultiplyByQuantizedMultiplier(acc, multipliers[channel], shifts[channel]) + OutputZeroPoint;
        return q < OutputMin ? OutputMin : (q > OutputMax ? OutputMax : q);
    }

    /// <summary>Throws unless the parameters fit an output of type range [<paramref name="qmin"/>, <paramref name="qmax"/>]
    /// and cover <paramref name="channels"/> output channels. Kernels call this at their edge.</summary>
    internal void Validate(int qmin, int qmax, int channels, int inQmin, int inQmax)
    {
        if (Channels != channels)
            throw new ArgumentException($"quantization parameters cover {Channels} channels, the op has {channels}", "parameters");
        if (OutputMin < qmin || OutputMax > qmax)
            throw new ArgumentException($"output clamp range [{OutputMin}, {OutputMax}] exceeds the output type's [{qmin}, {qmax}]", "parameters");
        if (OutputZeroPoint < qmin || OutputZeroPoint > qmax)
            throw new ArgumentException($"output zero point {OutputZeroPoint} is outside [{qmin}, {qmax}]", "parameters");
        if (InputZeroPoint < inQmin || InputZeroPoint > inQmax)
            throw new ArgumentException($"input zero point {InputZeroPoint} is outside [{inQmin}, {inQmax}]", "parameters");
        if (WeightZeroPoint < inQmin || WeightZeroPoint > inQmax)
            throw new ArgumentException($"weight zero point {WeightZeroPoint} is outside [{inQmin}, {inQmax}]", "parameters");
    }

    private static void CheckScale(float s, string name)
    {
        if (!(s > 0f) || !float.IsFinite(s)) throw new ArgumentException($"scale must be positive and finite, got {s}", name);
    }
}
