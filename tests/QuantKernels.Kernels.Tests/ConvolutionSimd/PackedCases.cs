using QuantKernels.Kernels.Convolution;
using QuantKernels.Kernels.Quantization;
using QuantKernels.Kernels.Tests.Convolution;

namespace QuantKernels.Kernels.Tests.ConvolutionSimd;

/// <summary>Shared helpers of the packed-kernel tests: every path this process can run, and quantization setups.</summary>
internal static class PackedCases
{
    /// <summary>Every ISA path the machine runs (the portable Vector128 path always runs, in software if need be).</summary>
    public static IEnumerable<IsaPath> Paths => Dispatch.SupportedPaths;

    public static readonly RequantConvention[] Conventions = [RequantConvention.Xnnpack, RequantConvention.Reference];

    /// <summary>The <see cref="RandomQuant"/> setups plus one with int8 weights over the full [-128, 127] range
    /// handled by the caller, all as prepared parameters for both conventions.</summary>
    public static IEnumerable<(QuantSetup Setup, QuantizedConvParams Params)> Params(bool unsigned, int channels, int taps, Random rng)
    {
        foreach (var s in RandomQuant.Setups(unsigned, channels, taps, rng).ToArray())
            foreach (var c in Conventions)
                yield return (s, QuantizedConvParams.Prepare(c, s.InScale, s.InZp, s.WeightScales, s.WeightZp, s.OutScale, s.OutZp, s.Min, s.Max, channels));
    }

    /// <summary>Weights: mostly the generator's range, sometimes the full int8 range including -128 (the kernel must not
    /// rely on TFLite's symmetric [-127, 127]).</summary>
    public static int[] Weights(Random rng, int length, bool unsigned)
        => unsigned || rng.Next(2) == 0 ? RandomQuant.Weights(rng, length, unsigned)
            : Enumerable.Range(0, length).Select(_ => rng.Next(-128, 128)).ToArray();

    /// <summary>A deterministic seed from the case's numbers.</summary>
    public static int Seed(params int[] parts)
    {
        int h = 17;
        foreach (int v in parts) h = unchecked(h * 31 + v);
        return h;
    }

    public static string Mismatch<T>(T[] expected, T[] actual) where T : IEquatable<T>
    {
        for (int i = 0; i < expected.Length; i++)
            if (!expected[i].Equals(actual[i])) return $"index {i}: expected {expected[i]}, got {actual[i]}";
        return "none";
    }
}
