using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Tests.Convolution;

/// <summary>
/// Test-side, deliberately different formulation of the conv/depthwise/FC arithmetic: the input is first copied into an
/// explicitly padded grid whose padding cells are marked absent, then a VALID sliding window runs over it. Accumulators
/// are 64-bit. Requantization follows the defining formulas of DESIGN.md §3 written out here.
/// </summary>
internal static class ConvOracle
{
    /// <summary>Padded grid: value + presence, [n][y][x][c] with y,x in padded coordinates.</summary>
    private static (int[] Values, bool[] Present, int Hp, int Wp) Pad(int[] input, int n, int h, int w, int c,
        int padTop, int padLeft, int hp, int wp)
    {
        var values = new int[n * hp * wp * c];
        var present = new bool[values.Length];
        for (int b = 0; b < n; b++)
        for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
        for (int ch = 0; ch < c; ch++)
        {
            int dst = ((b * hp + y + padTop) * wp + x + padLeft) * c + ch;
            values[dst] = input[((b * h + y) * w + x) * c + ch];
            present[dst] = true;
        }
        return (values, present, hp, wp);
    }

    /// <summary>Conv accumulators (OHWI filter, groups = c / filterIn), int64, bias included when given.</summary>
    public static long[] ConvAcc(int[] input, int n, int h, int w, int c, int[] filter, int outC, int kh, int kw, int filterIn,
        int[]? bias, int sh, int sw, int dh, int dw, int padTop, int padLeft, int outH, int outW, int zpIn, int zpW)
    {
        int hp = Math.Max((outH - 1) * sh + (kh - 1) * dh + 1, padTop + h);
        int wp = Math.Max((outW - 1) * sw + (kw - 1) * dw + 1, padLeft + w);
        var (vals, present, _, _) = Pad(input, n, h, w, c, padTop, padLeft, hp, wp);
        int groups = c / filterIn, outPerGroup = outC / groups;
        var acc = new long[n * outH * outW * outC];
        for (int b = 0; b < n; b++)
        for (int oy = 0; oy < outH; oy++)
        for (int ox = 0; ox < outW; ox++)
        for (int o = 0; o < outC; o++)
        {
            long sum = bias?[o] ?? 0;
            int g = o / outPerGroup;
            for (int ky = 0; ky < kh; ky++)
            for (int kx = 0; kx < kw; kx++)
            for (int i = 0; i < filterIn; i++)
            {
                int idx = ((b * hp + oy * sh + ky * dh) * wp + ox * sw + kx * dw) * c + g * filterIn + i;
                if (!present[idx]) continue;
                sum += (long)(vals[idx] - zpIn) * (filter[((o * kh + ky) * kw + kx) * filterIn + i] - zpW);
            }
            acc[((b * outH + oy) * outW + ox) * outC + o] = sum;
        }
        return acc;
    }

    /// <summary>Depthwise accumulators (filter [1,kh,kw,c*m]).</summary>
    public static long[] DepthwiseAcc(int[] input, int n, int h, int w, int c, int m, int[] filter, int kh, int kw,
        int[]? bias, int sh, int sw, int dh, int dw, int padTop, int padLeft, int outH, int outW, int zpIn, int zpW)
    {
        int hp = Math.Max((outH - 1) * sh + (kh - 1) * dh + 1, padTop + h);
        int wp = Math.Max((outW - 1) * sw + (kw - 1) * dw + 1, padLeft + w);
        var (vals, present, _, _) = Pad(input, n, h, w, c, padTop, padLeft, hp, wp);
        int outC = c * m;
        var acc = new long[n * outH * outW * outC];
        for (int b = 0; b < n; b++)
        for (int oy = 0; oy < outH; oy++)
        for (int ox = 0; ox < outW; ox++)
        for (int ic = 0; ic < c; ic++)
        for (int mm = 0; mm < m; mm++)
        {
            int o = ic * m + mm;
            long sum = bias?[o] ?? 0;
            for (int ky = 0; ky < kh; ky++)
            for (int kx = 0; kx < kw; kx++)
            {
                int idx = ((b * hp + oy * sh + ky * dh) * wp + ox * sw + kx * dw) * c + ic;
                if (!present[idx]) continue;
                sum += (long)(vals[idx] - zpIn) * (filter[(ky * kw + kx) * outC + o] - zpW);
            }
            acc[((b * outH + oy) * outW + ox) * outC + o] = sum;
        }
        return acc;
    }

    /// <summary>FC accumulators: [batches, k] x [n, k]^T.</summary>
    public static long[] FcAcc(int[] input, int batches, int k, int[] weights, int units, int[]? bias, int zpIn, int zpW)
    {
        var acc = new long[batches * units];
        for (int b = 0; b < batches; b++)
        for (int u = 0; u < units; u++)
        {
            long sum = bias?[u] ?? 0;
            for (int i = 0; i < k; i++) sum += (long)(input[b * k + i] - zpIn) * (weights[u * k + i] - zpW);
            acc[b * units + u] = sum;
        }
        return acc;
    }

    /// <summary>
    /// The xnnpack convention written out: s = (float)((float)inS * (float)wS) / (float)outS;
    /// q = clamp(round_half_even((float)acc * s), min - zp, max - zp) + zp.
    /// </summary>
    public static int Xnnpack(long acc, float inS, float wS, float outS, int zp, int min, int max)
    {
        float product = inS * wS;
        float s = product / outS;
        float scaled = (float)checked((int)acc) * s;
        float r = MathF.Round(scaled, MidpointRounding.ToEven);
        return (int)Math.Clamp(r, (float)(min - zp), (float)(max - zp)) + zp;
    }

    /// <summary>The reference convention: QuantizeMultiplier of the double ratio, then MultiplyByQuantizedMultiplier.</summary>
    public static int Reference(long acc, float inS, float wS, float outS, int zp, int min, int max)
    {
        var (mult, shift) = FixedPoint.QuantizeMultiplier((double)inS * (double)wS / (double)outS);
        int q = FixedPoint.MultiplyByQuantizedMultiplier(checked((int)acc), mult, shift) + zp;
        return Math.Clamp(q, min, max);
    }
}
