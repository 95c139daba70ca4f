using TorchSharp;
using static TorchSharp.torch;

namespace QuantKernels.Training.Quantization;

/// <summary>
/// Fake quantization with a straight-through estimator: the forward pass rounds onto the int8 grid, the backward pass
/// passes the gradient where the input lies inside the representable range and zero outside (an explicit mask, which
/// matches aten's fake_quantize_* exactly; those are not callable from TorchSharp's C# surface).
/// </summary>
public static class FakeQuant
{
    /// <summary>
    /// Per-tensor affine fake quantization onto [<paramref name="qmin"/>, <paramref name="qmax"/>]. The gradient is zero
    /// outside the range unless <paramref name="maskOutside"/> is false.
    /// </summary>
    public static Tensor PerTensor(Tensor x, QuantRange r, int qmin = QuantRange.QMin, int qmax = QuantRange.QMax, bool maskOutside = true)
    {
        Tensor q;
        using (no_grad())
            q = (x / r.Scale).round_().add_(r.ZeroPoint).clamp_(qmin, qmax).sub_(r.ZeroPoint).mul_(r.Scale);
        if (!maskOutside) return q.add_(x.sub(x.detach()));
        using var inside = (x >= r.Scale * (qmin - r.ZeroPoint)).logical_and_(x <= r.Scale * (qmax - r.ZeroPoint));
        // q + (x - x.detach()) * mask: value q, gradient mask.
        var pass = x.sub(x.detach()).mul_(inside);
        return q.add_(pass);
    }

    /// <summary>
    /// Per-output-channel symmetric fake quantization of a weight [O, ...] onto [-127, 127], scale max|w| / 127 per
    /// channel (TFLite's int8 weight scheme). Returns the fake-quantized weight and the scales.
    /// </summary>
    public static (Tensor Weight, Tensor Scales) PerChannelSymmetric(Tensor w)
    {
        var (q, scales) = PerChannelInt8(w);
        using var s = scales.view(ChannelShape(w));
        q.mul_(s);
        var pass = w.sub(w.detach()); // every weight is in range by construction: gradient 1
        return (q.add_(pass), scales);
    }

    /// <summary>
    /// The int8 weights of <paramref name="w"/> [O, ...] as grid indices in [-127, 127] (float tensor, no gradient) and
    /// the per-channel scales max|w| / 127: the arithmetic shared by the fake quant, the export and the exact forward,
    /// so the exported bytes are the trained grid points.
    /// </summary>
    public static (Tensor Indices, Tensor Scales) PerChannelInt8(Tensor w)
    {
        using var _ = no_grad();
        var scales = w.detach().abs().flatten(1).amax([1]).clamp_min_(1e-8).div_(127);
        using var s = scales.view(ChannelShape(w));
        return ((w.detach() / s).round_().clamp_(-127, 127), scales);
    }

    /// <summary>
    /// The int32 bias TFLite stores: bias[c] / (input scale x weight scale[c]) in double, rounded half to even.
    /// </summary>
    public static int[] Int32Bias(ReadOnlySpan<float> bias, float inputScale, ReadOnlySpan<float> weightScales)
    {
        var q = new int[bias.Length];
        for (int c = 0; c < q.Length; c++)
            q[c] = (int)Math.Clamp(Math.Round((double)bias[c] / ((double)inputScale * weightScales[c]), MidpointRounding.ToEven), int.MinValue, int.MaxValue);
        return q;
    }

    private static long[] ChannelShape(Tensor w)
    {
        var shape = new long[w.dim()];
        Array.Fill(shape, 1L);
        shape[0] = w.shape[0];
        return shape;
    }
}
