using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using QuantKernels.Kernels.Convolution;

namespace QuantKernels.Kernels.FloatConvolution;

/// <summary>
/// float32 CONV_2D with weights packed once into blocks of output channels ([block][tap][input channel][NR]) and a
/// register-tiled multiply-add microkernel: AVX2 tiles 6 output pixels x 16 channels (12 ymm accumulators), the portable
/// Vector128 path 4 x 8; the scalar path is <see cref="Conv2DReference"/>. Every output pixel reads its taps through a
/// pointer per tap, padded taps pointing at a zero row, so edges need no branches in the inner loop. Results equal the
/// reference up to float rounding: fused multiply-adds, and the sum starts from the bias where the reference adds it
/// last (well within 1e-5 of the sum of |x*w| + |bias|).
/// </summary>
public sealed unsafe class Conv2DFloatPacked
{
    /// <summary>Most taps (filter height x width) the kernel takes; larger filters run the reference.</summary>
    public const int MaxTaps = 256;

    private readonly Conv2DGeometry _g;
    private readonly float[] _packed;   // pinned; [blocks][taps][inputChannels][nr]
    private readonly float[] _bias;     // pinned; blocks * nr
    private readonly float[] _zeros;    // pinned; one input pixel of zeros for padded taps
    private readonly float[] _filter = [], _rawBias = []; // the scalar path's reference operands
    private readonly float _min, _max;
    private readonly int _mr, _nr, _blocks, _taps;

    private Conv2DFloatPacked(in Conv2DGeometry g, ReadOnlySpan<float> filter, ReadOnlySpan<float> bias, float min, float max, IsaPath path)
    {
        _g = g;
        Path = path;
        _min = min;
        _max = max;
        _taps = g.FilterHeight * g.FilterWidth;
        (_mr, _nr) = VectorPath.Of(path) switch { IsaPath.Avx2 => (6, 16), IsaPath.Vector128 => (4, 8), _ => (1, 1) };
        _blocks = (g.OutputChannels + _nr - 1) / _nr;
        _zeros = GC.AllocateArray<float>(g.InputChannels, pinned: true);
        if (path == IsaPath.Scalar)
        {
            _filter = filter.ToArray();
            _rawBias = bias.ToArray();
            _packed = _bias = [];
            return;
        }
        int ic = g.InputChannels;
        _packed = GC.AllocateArray<float>(_blocks * _taps * ic * _nr, pinned: true);
        _bias = GC.AllocateArray<float>(_blocks * _nr, pinned: true);
        for (int oc = 0; oc < g.OutputChannels; oc++)
        {
            int block = oc / _nr, lane = oc % _nr;
            if (!bias.IsEmpty) _bias[oc] = bias[oc];
            for (int t = 0; t < _taps; t++)
            for (int c = 0; c < ic; c++)
                _packed[((block * _taps + t) * ic + c) * _nr + lane] = filter[(oc * _taps + t) * ic + c];
        }
    }

    /// <summary>The path this kernel runs.</summary>
    public IsaPath Path { get; }

    /// <summary>Output pixels per tile; <see cref="Run(ReadOnlySpan{float}, Span{float}, int, int)"/> splits work in whole tiles.</summary>
    public int Tiles => (_g.Batches * _g.OutputHeight * _g.OutputWidth + _mr - 1) / _mr;

    /// <summary>Whether the packed kernel takes this geometry (one group, at most <see cref="MaxTaps"/> taps).</summary>
    public static bool Supports(in Conv2DGeometry g) => g.Groups == 1 && g.FilterHeight * g.FilterWidth <= MaxTaps;

    /// <summary>Packs <paramref name="filter"/> (OHWI) and <paramref name="bias"/> (empty or one per output channel).</summary>
    /// <param name="geometry">Shapes, strides, dilations, padding.</param><param name="filter">OHWI weights.</param>
    /// <param name="bias">Bias or empty.</param><param name="outputMin">Lower clamp.</param><param name="outputMax">Upper clamp.</param>
    /// <param name="path">ISA path from <see cref="Dispatch.Select"/>.</param>
    public static Conv2DFloatPacked Create(in Conv2DGeometry geometry, ReadOnlySpan<float> filter, ReadOnlySpan<float> bias,
        float outputMin, float outputMax, IsaPath path)
    {
        if (!Supports(geometry)) throw new ArgumentException($"packed float conv needs one group and at most {MaxTaps} taps", nameof(geometry));
        geometry.CheckSpans(geometry.InputLength, filter.Length, bias.Length, geometry.OutputLength);
        if (!(outputMin <= outputMax)) throw new ArgumentException($"clamp range [{outputMin}, {outputMax}] is empty", nameof(outputMin));
        return new Conv2DFloatPacked(geometry, filter, bias, outputMin, outputMax, Dispatch.Select(path));
    }

    /// <summary>Runs the whole convolution.</summary>
    public void Run(ReadOnlySpan<float> input, Span<float> output) => Run(input, output, 0, 1);

    /// <summary>Runs part <paramref name="part"/> of <paramref name="parts"/> (contiguous ranges of output pixels).</summary>
    /// <remarks>Optimized from the first call: a Tier-0 tile loop costs a model's first few hundred invokes (DESIGN.md §4).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(ReadOnlySpan<float> input, Span<float> output, int part, int parts)
    {
        if (input.Length != _g.InputLength) throw new ArgumentException($"input has {input.Length} elements, shape needs {_g.InputLength}", nameof(input));
        if (output.Length != _g.OutputLength) throw new ArgumentException($"output has {output.Length} elements, shape needs {_g.OutputLength}", nameof(output));
        if (parts < 1 || (uint)part >= (uint)parts) throw new ArgumentOutOfRangeException(nameof(part), $"part {part} of {parts}");
        if (Path == IsaPath.Scalar)
        {
            if (part == 0) Conv2DReference.Run(in _g, input, _filter, _rawBias, _min, _max, output);
            return;
        }
        int tiles = Tiles;
        int first = (int)((long)tiles * part / parts), last = (int)((long)tiles * (part + 1) / parts);
        int pixels = _g.Batches * _g.OutputHeight * _g.OutputWidth;
        nint* rows = stackalloc nint[_taps * _mr];
        float* tail = stackalloc float[16 * 6];
        fixed (float* inp = input)
        fixed (float* outp = output)
        fixed (float* w = _packed)
        fixed (float* bias = _bias)
        fixed (float* zeros = _zeros)
        {
            for (int tile = first; tile < last; tile++)
            {
                int p0 = tile * _mr;
                int valid = Math.Min(_mr, pixels - p0);
                for (int r = 0; r < _mr; r++) Rows(inp, zeros, Math.Min(p0 + r, pixels - 1), rows + r, _mr);
                for (int block = 0; block < _blocks; block++)
                {
                    int oc0 = block * _nr;
                    int width = Math.Min(_nr, _g.OutputChannels - oc0);
                    bool direct = width == _nr && valid == _mr;
                    float* dst = direct ? outp + (nint)p0 * _g.OutputChannels + oc0 : tail;
                    int dstStride = direct ? _g.OutputChannels : _nr;
                    float* wb = w + (nint)block * _taps * _g.InputChannels * _nr;
                    if (_nr == 16) Tile6x16(rows, wb, bias + oc0, dst, dstStride);
                    else Tile4x8(rows, wb, bias + oc0, dst, dstStride);
                    if (!direct)
                        for (int r = 0; r < valid; r++)
                            new ReadOnlySpan<float>(tail + r * _nr, width).CopyTo(new Span<float>(outp + (nint)(p0 + r) * _g.OutputChannels + oc0, width));
                }
            }
        }
    }

    /// <summary>Fills rows[t * stride] with the input pixel tap t of output pixel <paramref name="p"/> reads (zeros when padded).</summary>
    private void Rows(float* input, float* zeros, int p, nint* rows, int stride)
    {
        int perImage = _g.OutputHeight * _g.OutputWidth;
        int b = p / perImage, rem = p - b * perImage;
        int oy = rem / _g.OutputWidth, ox = rem - oy * _g.OutputWidth;
        int t = 0;
        for (int ky = 0; ky < _g.FilterHeight; ky++)
        {
            int iy = oy * _g.StrideHeight - _g.PadTop + ky * _g.DilationHeight;
            for (int kx = 0; kx < _g.FilterWidth; kx++, t++)
            {
                int ix = ox * _g.StrideWidth - _g.PadLeft + kx * _g.DilationWidth;
                bool inside = (uint)iy < (uint)_g.InputHeight && (uint)ix < (uint)_g.InputWidth;
                rows[t * stride] = inside ? (nint)(input + ((nint)(b * _g.InputHeight + iy) * _g.InputWidth + ix) * _g.InputChannels) : (nint)zeros;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Tile6x16(nint* rows, float* w, float* bias, float* dst, int dstStride)
    {
        int ic = _g.InputChannels;
        var b0 = Vector256.Load(bias);
        var b1 = Vector256.Load(bias + 8);
        Vector256<float> a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1;
        Vector256<float> a30 = b0, a31 = b1, a40 = b0, a41 = b1, a50 = b0, a51 = b1;
        for (int t = 0; t < _taps; t++)
        {
            float* x0 = (float*)rows[t * 6], x1 = (float*)rows[t * 6 + 1], x2 = (float*)rows[t * 6 + 2];
            float* x3 = (float*)rows[t * 6 + 3], x4 = (float*)rows[t * 6 + 4], x5 = (float*)rows[t * 6 + 5];
            for (int c = 0; c < ic; c++)
            {
                var w0 = Vector256.Load(w);
                var w1 = Vector256.Load(w + 8);
                w += 16;
                var v = Vector256.Create(x0[c]); a00 = Vector256.MultiplyAddEstimate(v, w0, a00); a01 = Vector256.MultiplyAddEstimate(v, w1, a01);
                v = Vector256.Create(x1[c]); a10 = Vector256.MultiplyAddEstimate(v, w0, a10); a11 = Vector256.MultiplyAddEstimate(v, w1, a11);
                v = Vector256.Create(x2[c]); a20 = Vector256.MultiplyAddEstimate(v, w0, a20); a21 = Vector256.MultiplyAddEstimate(v, w1, a21);
                v = Vector256.Create(x3[c]); a30 = Vector256.MultiplyAddEstimate(v, w0, a30); a31 = Vector256.MultiplyAddEstimate(v, w1, a31);
                v = Vector256.Create(x4[c]); a40 = Vector256.MultiplyAddEstimate(v, w0, a40); a41 = Vector256.MultiplyAddEstimate(v, w1, a41);
                v = Vector256.Create(x5[c]); a50 = Vector256.MultiplyAddEstimate(v, w0, a50); a51 = Vector256.MultiplyAddEstimate(v, w1, a51);
            }
        }
        var lo = Vector256.Create(_min);
        var hi = Vector256.Create(_max);
        Store256(dst, a00, a01, lo, hi);
        Store256(dst + dstStride, a10, a11, lo, hi);
        Store256(dst + 2 * dstStride, a20, a21, lo, hi);
        Store256(dst + 3 * dstStride, a30, a31, lo, hi);
        Store256(dst + 4 * dstStride, a40, a41, lo, hi);
        Store256(dst + 5 * dstStride, a50, a51, lo, hi);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Tile4x8(nint* rows, float* w, float* bias, float* dst, int dstStride)
    {
        int ic = _g.InputChannels;
        var b0 = Vector128.Load(bias);
        var b1 = Vector128.Load(bias + 4);
        Vector128<float> a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1;
        for (int t = 0; t < _taps; t++)
        {
            float* x0 = (float*)rows[t * 4], x1 = (float*)rows[t * 4 + 1], x2 = (float*)rows[t * 4 + 2], x3 = (float*)rows[t * 4 + 3];
            for (int c = 0; c < ic; c++)
            {
                var w0 = Vector128.Load(w);
                var w1 = Vector128.Load(w + 4);
                w += 8;
                var v = Vector128.Create(x0[c]); a00 = Vector128.MultiplyAddEstimate(v, w0, a00); a01 = Vector128.MultiplyAddEstimate(v, w1, a01);
                v = Vector128.Create(x1[c]); a10 = Vector128.MultiplyAddEstimate(v, w0, a10); a11 = Vector128.MultiplyAddEstimate(v, w1, a11);
                v = Vector128.Create(x2[c]); a20 = Vector128.MultiplyAddEstimate(v, w0, a20); a21 = Vector128.MultiplyAddEstimate(v, w1, a21);
                v = Vector128.Create(x3[c]); a30 = Vector128.MultiplyAddEstimate(v, w0, a30); a31 = Vector128.MultiplyAddEstimate(v, w1, a31);
            }
        }
        var lo = Vector128.Create(_min);
        var hi = Vector128.Create(_max);
        Store128(dst, a00, a01, lo, hi);
        Store128(dst + dstStride, a10, a11, lo, hi);
        Store128(dst + 2 * dstStride, a20, a21, lo, hi);
        Store128(dst + 3 * dstStride, a30, a31, lo, hi);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store256(float* dst, Vector256<float> a, Vector256<float> b, Vector256<float> lo, Vector256<float> hi)
    {
        Vector256.Min(Vector256.Max(a, lo), hi).Store(dst);
        Vector256.Min(Vector256.Max(b, lo), hi).Store(dst + 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store128(float* dst, Vector128<float> a, Vector128<float> b, Vector128<float> lo, Vector128<float> hi)
    {
        Vector128.Min(Vector128.Max(a, lo), hi).Store(dst);
        Vector128.Min(Vector128.Max(b, lo), hi).Store(dst + 4);
    }
}
