namespace QuantKernels.Kernels.Tests.Convolution;

/// <summary>One quantization setup of a random kernel-vs-oracle case.</summary>
internal sealed record QuantSetup(string Name, float InScale, int InZp, float[] WeightScales, int WeightZp,
    float OutScale, int OutZp, int Min, int Max)
{
    public float WeightScale(int channel) => WeightScales.Length == 1 ? WeightScales[0] : WeightScales[channel];
    public override string ToString() => Name;
}

/// <summary>Seeded random data and quantization setups covering extreme zero points, saturation and clamps.</summary>
internal static class RandomQuant
{
    /// <param name="unsigned">uint8 (legacy: per-tensor weights with a zero point) or int8 (per-channel, weight zp 0).</param>
    /// <param name="channels">Output channels.</param>
    /// <param name="taps">Taps per output (K), to size the output scale.</param>
    public static IEnumerable<QuantSetup> Setups(bool unsigned, int channels, int taps, Random rng)
    {
        int qmin = unsigned ? 0 : -128, qmax = unsigned ? 255 : 127;
        float inS = Log(rng, 0.002f, 0.1f);
        float[] PerChannel() => Enumerable.Range(0, channels).Select(_ => Log(rng, 0.001f, 0.05f)).ToArray();
        float[] W() => unsigned ? new[] { Log(rng, 0.001f, 0.05f) } : PerChannel();
        // Typical |acc| ~ sqrt(taps) * 128 * 64 in weight/activation units; aim the output at about +-100 steps.
        float OutFor(float[] ws, float factor) => inS * ws.Average() * MathF.Sqrt(taps) * 128f * 64f / 100f * factor;

        var w1 = W();
        yield return new QuantSetup("zero points at the low extreme", inS, qmin, w1, unsigned ? 0 : 0, OutFor(w1, 1), qmin, qmin, qmax);
        var w2 = W();
        yield return new QuantSetup("zero points at the high extreme", inS, qmax, w2, unsigned ? 255 : 0, OutFor(w2, 1), qmax, qmin, qmax);
        var w3 = W();
        int zpOut = rng.Next(qmin, qmax + 1);
        yield return new QuantSetup("mid zero points, relu-like clamp", inS, rng.Next(qmin, qmax + 1), w3,
            unsigned ? rng.Next(0, 256) : 0, OutFor(w3, 1), zpOut, zpOut, qmax);
        var w4 = W();
        yield return new QuantSetup("saturating output scale", inS, rng.Next(qmin, qmax + 1), w4,
            unsigned ? 128 : 0, OutFor(w4, 0.02f), rng.Next(qmin, qmax + 1), qmin, qmax);
        var w5 = new[] { Log(rng, 0.001f, 0.05f) };
        int lo = rng.Next(qmin, 0 + (qmin + qmax) / 2), hi = rng.Next((qmin + qmax) / 2 + 1, qmax + 1);
        yield return new QuantSetup("per-tensor weights, narrow clamp", inS, rng.Next(qmin, qmax + 1), w5,
            unsigned ? rng.Next(0, 256) : 0, OutFor(w5, 0.5f), rng.Next(lo, hi + 1), lo, hi);
    }

    public static int[] Activations(Random rng, int length, bool unsigned)
        => Enumerable.Range(0, length).Select(_ => unsigned ? rng.Next(0, 256) : rng.Next(-128, 128)).ToArray();

    /// <summary>int8 weights in [-127, 127] (TFLite's symmetric range), uint8 weights over [0, 255].</summary>
    public static int[] Weights(Random rng, int length, bool unsigned)
        => Enumerable.Range(0, length).Select(_ => unsigned ? rng.Next(0, 256) : rng.Next(-127, 128)).ToArray();

    public static int[] Bias(Random rng, int length) => Enumerable.Range(0, length).Select(_ => rng.Next(-20000, 20001)).ToArray();

    private static float Log(Random rng, float lo, float hi) => lo * MathF.Pow(hi / lo, (float)rng.NextDouble());
}
