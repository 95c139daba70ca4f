using QuantKernels.Training.Quantization;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantKernels.Training.Tests;

public class FakeQuantTests
{
    [Fact]
    public void Nudging_makes_zero_exact_like_TFLite()
    {
        // [0, 6]: scale 6/255, zero point -128 (ReLU6 outputs).
        var relu6 = QuantRange.FromMinMax(0, 6);
        Assert.Equal(6f / 255, relu6.Scale, 7);
        Assert.Equal(-128, relu6.ZeroPoint);
        // [-0.52, 1.52]: scale 2.04/255 = 0.008, zero point -128 + 0.52 / 0.008 = -63.
        var r2 = QuantRange.FromMinMax(-0.52f, 1.52f);
        Assert.Equal(0.008f, r2.Scale, 7);
        Assert.Equal(-63, r2.ZeroPoint);
        Assert.Equal(0f, r2.Scale * (r2.ZeroPoint - r2.ZeroPoint)); // real 0 is the grid point q = zero point
        // A positive-only range is widened to include 0; a negative-only range puts zero at 127.
        Assert.Equal(-128, QuantRange.FromMinMax(2, 4).ZeroPoint);
        Assert.Equal(127, QuantRange.FromMinMax(-4, -2).ZeroPoint);
        // Zero point 10 after nudging: min = -138 s.
        var r = QuantRange.FromMinMax(-1.38f, 1.17f);
        Assert.Equal(10, r.ZeroPoint);
    }

    [Fact]
    public void Per_tensor_fake_quant_rounds_onto_the_grid_and_masks_the_gradient_outside_the_range()
    {
        OpenMpWaitPolicy.SetPassive();
        var r = new QuantRange(0.5f, -128); // representable: [0, 127.5]
        var x = tensor(new float[] { -1f, 0.2f, 0.3f, 10.76f, 200f }).requires_grad_(true);
        var y = FakeQuant.PerTensor(x, r);
        Assert.Equal(new float[] { 0f, 0f, 0.5f, 11f, 127.5f }, y.data<float>().ToArray());
        y.sum().backward();
        Assert.Equal(new float[] { 0f, 1f, 1f, 1f, 0f }, x.grad!.data<float>().ToArray());
    }

    [Fact]
    public void Per_tensor_fake_quant_without_the_mask_passes_the_gradient_everywhere()
    {
        // The class-logit output (fixed range): a positive anchor whose logit is below the range must still learn.
        OpenMpWaitPolicy.SetPassive();
        var r = QuantRange.FromMinMax(-6, 6);
        var x = tensor(new float[] { -40f, -6.5f, 0.1f, 7f }).requires_grad_(true);
        var y = FakeQuant.PerTensor(x, r, maskOutside: false);
        var values = y.data<float>().ToArray();
        Assert.Equal(r.Min, values[0], 6);
        Assert.Equal(r.Min, values[1], 6);
        Assert.Equal(MathF.Round(0.1f / r.Scale) * r.Scale, values[2], 6);
        Assert.Equal(r.Max, values[3], 6);
        y.sum().backward();
        Assert.Equal(new float[] { 1f, 1f, 1f, 1f }, x.grad!.data<float>().ToArray());
    }

    [Fact]
    public void Per_channel_weights_are_symmetric_int8_with_the_channel_maximum_at_127()
    {
        OpenMpWaitPolicy.SetPassive();
        var w = tensor(new float[] { 1.27f, -0.5f, 0.011f, -2.54f, 1f, 0.02f }, [2, 3]);
        var (q, scales) = FakeQuant.PerChannelSymmetric(w);
        Assert.Equal(new float[] { 0.01f, 0.02f }, scales.data<float>().ToArray(), (a, b) => MathF.Abs(a - b) < 1e-7f);
        var values = q.data<float>().ToArray();
        var s = scales.data<float>().ToArray();
        for (int i = 0; i < 6; i++)
        {
            float steps = values[i] / s[i / 3];
            Assert.Equal(MathF.Round(steps), steps, 3);
            Assert.InRange(steps, -127, 127);
        }
        Assert.Equal(127, values[0] / s[0], 3);
        Assert.Equal(-127, values[3] / s[1], 3);
    }
}
