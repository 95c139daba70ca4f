using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using QuantKernels.Kernels.Depthwise;

namespace QuantKernels.Kernels.FloatConvolution;

/// <summary>
/// float32 DEPTHWISE_CONV_2D with depth multiplier 1, channels vectorized (8 per ymm on AVX2, 4 per Vector128): each
/// output pixel walks its in-image taps once per block of four vectors; the last partial vector overlaps the one before
/// it (recomputing equal values), and fewer channels than one vector run scalar. The scalar path is
/// <see cref="DepthwiseConv2DReference"/>. Equal to the reference up to float rounding (fused multiply-adds, the sum
/// starts from the bias).
/// </summary>
public static unsafe class DepthwiseFloatSimd
{
    /// <summary>Whether the vectorized kernel takes this geometry (depth multiplier 1).</summary>
    public static bool Supports(in DepthwiseConv2DGeometry g) => g.DepthMultiplier == 1;

    /// <summary>Output rows (over all batches), the unit <see cref="Run"/> splits into parts.</summary>
    public static int Rows(in DepthwiseConv2DGeometry g) => g.Batches * g.OutputHeight;

    /// <summary>Runs part <paramref name="part"/> of <paramref name="parts"/> (contiguous output rows) on <paramref name="path"/>.</summary>
    /// <param name="path">ISA path from <see cref="Dispatch.Select"/>.</param><param name="geometry">Shapes (depth multiplier 1).</param>
    /// <param name="input">NHWC input.</param><param name="filter">[1,H,W,C] weights.</param><param name="bias">C floats or empty.</param>
    /// <param name="outputMin">Lower clamp.</param><param name="outputMax">Upper clamp.</param><param name="output">NHWC output.</param>
    /// <param name="part">Which part.</param><param name="parts">How many parts.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(IsaPath path, in DepthwiseConv2DGeometry geometry, ReadOnlySpan<float> input, ReadOnlySpan<float> filter,
        ReadOnlySpan<float> bias, float outputMin, float outputMax, Span<float> output, int part = 0, int parts = 1)
    {
        geometry.CheckSpans(input.Length, filter.Length, bias.Length, output.Length);
        if (!Supports(geometry)) throw new ArgumentException($"depth multiplier {geometry.DepthMultiplier} is not 1", nameof(geometry));
        if (!(outputMin <= outputMax)) throw new ArgumentException($"clamp range [{outputMin}, {outputMax}] is empty", nameof(outputMin));
        if (parts < 1 || (uint)part >= (uint)parts) throw new ArgumentOutOfRangeException(nameof(part), $"part {part} of {parts}");
        path = Dispatch.Select(path);
        int width = path switch { IsaPath.Avx2 => 8, IsaPath.Vector128 => 4, _ => 0 };
        if (width == 0 || geometry.InputChannels < width)
        {
            if (part == 0) DepthwiseConv2DReference.Run(in geometry, input, filter, bias, outputMin, outputMax, output);
            return;
        }
        DepthwiseConv2DGeometry g = geometry;
        int rows = Rows(g);
        int first = (int)((long)rows * part / parts), last = (int)((long)rows * (part + 1) / parts);
        fixed (float* inp = input)
        fixed (float* w = filter)
        fixed (float* b = bias)
        fixed (float* outp = output)
        {
            var args = new Args(g, inp, w, bias.IsEmpty ? null : b, outputMin, outputMax);
            for (int row = first; row < last; row++)
            for (int ox = 0; ox < g.OutputWidth; ox++)
            {
                float* dst = outp + ((nint)row * g.OutputWidth + ox) * g.InputChannels;
                if (width == 8) Pixel256(in args, row / g.OutputHeight, row % g.OutputHeight, ox, dst);
                else Pixel128(in args, row / g.OutputHeight, row % g.OutputHeight, ox, dst);
            }
        }
    }

    private readonly struct Args(in DepthwiseConv2DGeometry g, float* input, float* filter, float* bias, float min, float max)
    {
        public readonly DepthwiseConv2DGeometry G = g;
        public readonly float* Input = input, Filter = filter, Bias = bias;
        public readonly float Min = min, Max = max;
    }

    /// <summary>One output pixel: blocks of four vectors, single vectors, then the overlapped last vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Pixel256(in Args a, int batch, int oy, int ox, float* dst)
    {
        var g = a.G;
        int c = 0, channels = g.InputChannels;
        for (; c + 32 <= channels; c += 32) Block256(in a, batch, oy, ox, c, 4, dst);
        for (; c + 8 <= channels; c += 8) Block256(in a, batch, oy, ox, c, 1, dst);
        if (c < channels) Block256(in a, batch, oy, ox, channels - 8, 1, dst);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Pixel128(in Args a, int batch, int oy, int ox, float* dst)
    {
        var g = a.G;
        int c = 0, channels = g.InputChannels;
        for (; c + 16 <= channels; c += 16) Block128(in a, batch, oy, ox, c, 4, dst);
        for (; c + 4 <= channels; c += 4) Block128(in a, batch, oy, ox, c, 1, dst);
        if (c < channels) Block128(in a, batch, oy, ox, channels - 4, 1, dst);
    }

    /// <summary>One or four vectors of channels from <paramref name="c"/> for one output pixel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block256(in Args a, int batch, int oy, int ox, int c, int vectors, float* dst)
    {
        var g = a.G;
        int channels = g.InputChannels;
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
        if (a.Bias != null)
        {
            s0 = Vector256.Load(a.Bias + c);
            if (vectors == 4) { s1 = Vector256.Load(a.Bias + c + 8); s2 = Vector256.Load(a.Bias + c + 16); s3 = Vector256.Load(a.Bias + c + 24); }
        }
        for (int ky = 0; ky < g.FilterHeight; ky++)
        {
            int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
            if ((uint)iy >= (uint)g.InputHeight) continue;
            for (int kx = 0; kx < g.FilterWidth; kx++)
            {
                int ix = ox * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
                if ((uint)ix >= (uint)g.InputWidth) continue;
                float* x = a.Input + ((nint)(batch * g.InputHeight + iy) * g.InputWidth + ix) * channels + c;
                float* w = a.Filter + (nint)(ky * g.FilterWidth + kx) * channels + c;
                s0 = Vector256.MultiplyAddEstimate(Vector256.Load(x), Vector256.Load(w), s0);
                if (vectors == 4)
                {
                    s1 = Vector256.MultiplyAddEstimate(Vector256.Load(x + 8), Vector256.Load(w + 8), s1);
                    s2 = Vector256.MultiplyAddEstimate(Vector256.Load(x + 16), Vector256.Load(w + 16), s2);
                    s3 = Vector256.MultiplyAddEstimate(Vector256.Load(x + 24), Vector256.Load(w + 24), s3);
                }
            }
        }
        var lo = Vector256.Create(a.Min);
        var hi = Vector256.Create(a.Max);
        Vector256.Min(Vector256.Max(s0, lo), hi).Store(dst + c);
        if (vectors == 4)
        {
            Vector256.Min(Vector256.Max(s1, lo), hi).Store(dst + c + 8);
            Vector256.Min(Vector256.Max(s2, lo), hi).Store(dst + c + 16);
            Vector256.Min(Vector256.Max(s3, lo), hi).Store(dst + c + 24);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block128(in Args a, int batch, int oy, int ox, int c, int vectors, float* dst)
    {
        var g = a.G;
        int channels = g.InputChannels;
        Vector128<float> s0 = default, s1 = default, s2 = default, s3 = default;
        if (a.Bias != null)
        {
            s0 = Vector128.Load(a.Bias + c);
            if (vectors == 4) { s1 = Vector128.Load(a.Bias + c + 4); s2 = Vector128.Load(a.Bias + c + 8); s3 = Vector128.Load(a.Bias + c + 12); }
        }
        for (int ky = 0; ky < g.FilterHeight; ky++)
        {
            int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
            if ((uint)iy >= (uint)g.InputHeight) continue;
            for (int kx = 0; kx < g.FilterWidth; kx++)
            {
                int ix = ox * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
                if ((uint)ix >= (uint)g.InputWidth) continue;
                float* x = a.Input + ((nint)(batch * g.InputHeight + iy) * g.InputWidth + ix) * channels + c;
                float* w = a.Filter + (nint)(ky * g.FilterWidth + kx) * channels + c;
                s0 = Vector128.MultiplyAddEstimate(Vector128.Load(x), Vector128.Load(w), s0);
                if (vectors == 4)
                {
                    s1 = Vector128.MultiplyAddEstimate(Vector128.Load(x + 4), Vector128.Load(w + 4), s1);
                    s2 = Vector128.MultiplyAddEstimate(Vector128.Load(x + 8), Vector128.Load(w + 8), s2);
                    s3 = Vector128.MultiplyAddEstimate(Vector128.Load(x + 12), Vector128.Load(w + 12), s3);
                }
            }
        }
        var lo = Vector128.Create(a.Min);
        var hi = Vector128.Create(a.Max);
        Vector128.Min(Vector128.Max(s0, lo), hi).Store(dst + c);
        if (vectors == 4)
        {
            Vector128.Min(Vector128.Max(s1, lo), hi).Store(dst + c + 4);
            Vector128.Min(Vector128.Max(s2, lo), hi).Store(dst + c + 8);
            Vector128.Min(Vector128.Max(s3, lo), hi).Store(dst + c + 12);
        }
    }
}
