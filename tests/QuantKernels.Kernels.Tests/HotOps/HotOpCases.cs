using QuantKernels.Kernels.Pooling;
using QuantKernels.Kernels.Layout;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Tests.HotOps;

/// <summary>Shared inputs of the vectorized-op sweeps: paths, conventions, lengths around the vector widths.</summary>
internal static class HotOpCases
{
    /// <summary>Every ISA path this process runs.</summary>
    public static IEnumerable<IsaPath> Paths => Dispatch.SupportedPaths;

    public static readonly RequantConvention[] Conventions = [RequantConvention.Xnnpack, RequantConvention.Reference];

    /// <summary>Lengths 0..70 (every remainder of 4, 8, 16 and 32 wide vectors), and a few large odd ones.</summary>
    public static IEnumerable<int> Lengths => Enumerable.Range(0, 71).Concat([127, 255, 1001, 4099]);

    /// <summary>Theory data: path x convention.</summary>
    public static TheoryData<IsaPath, RequantConvention> PathsAndConventions()
    {
        var data = new TheoryData<IsaPath, RequantConvention>();
        foreach (var p in Paths) foreach (var c in Conventions) data.Add(p, c);
        return data;
    }

    /// <summary>Theory data: every path.</summary>
    public static TheoryData<IsaPath> AllPaths()
    {
        var data = new TheoryData<IsaPath>();
        foreach (var p in Paths) data.Add(p);
        return data;
    }

    /// <summary>Sweep rounds: <paramref name="rounds"/> natively, a quarter on ARM64, where CI runs the suite twice under
    /// qemu (about 20x slower) and the first rounds already cover every vector remainder.</summary>
    public static int Rounds(int rounds) =>
        System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.Arm64
            ? Math.Max(rounds / 4, 1) : rounds;

    /// <summary>First differing index as text, for assertion messages.</summary>
    public static string Mismatch<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual) where T : IEquatable<T>
    {
        for (int i = 0; i < expected.Length; i++)
            if (!expected[i].Equals(actual[i])) return $"index {i} of {expected.Length}: expected {expected[i]}, got {actual[i]}";
        return "none";
    }

    /// <summary>A random pooling geometry (SAME or VALID, filters up to one past the input, strides 1-2); rounds below 70
    /// use round + 1 channels so every vector remainder is covered.</summary>
    public static (Nhwc In, Nhwc Out, Pool2DParams P) PoolGeometry(Random rng, int round)
    {
        int h = rng.Next(1, 10), w = rng.Next(1, 10), c = round < 70 ? round + 1 : rng.Next(1, 130), n = rng.Next(1, 3);
        int fh = rng.Next(1, h + 2), fw = rng.Next(1, w + 2), sh = rng.Next(1, 3), sw = rng.Next(1, 3);
        bool same = rng.Next(2) == 0;
        int outH = same ? (h + sh - 1) / sh : Math.Max(1, (h - fh) / sh + 1), outW = same ? (w + sw - 1) / sw : Math.Max(1, (w - fw) / sw + 1);
        int padTop = same ? Math.Max((outH - 1) * sh + fh - h, 0) / 2 : 0, padLeft = same ? Math.Max((outW - 1) * sw + fw - w, 0) / 2 : 0;
        return (new Nhwc(n, h, w, c), new Nhwc(n, outH, outW, c), new Pool2DParams(sh, sw, fh, fw, padTop, padLeft));
    }
}
