using CsCheck;

namespace QuantKernels.Quantization.Tests;

public class Int8MathTests
{
    [Fact]
    public void Symmetric_range_minus_one_to_one_gets_zero_point_minus_one_as_TFLite_rounds_half_away()
    {
        // zero_point_from_min = -128 - (-1) / (2/255) = -0.5, rounded half away from zero.
        var p = Int8Math.ActivationParams(new ActivationRange(-1f, 1f));
        Assert.Equal(2f / 255f, p.Scale, 1e-7f);
        Assert.Equal(-1, p.ZeroPoint);
    }

    [Fact]
    public void Positive_only_range_is_widened_to_include_zero()
    {
        var p = Int8Math.ActivationParams(new ActivationRange(2f, 6f));
        Assert.Equal(6f / 255f, p.Scale, 1e-7f);
        Assert.Equal(-128, p.ZeroPoint);
        Assert.Equal(0f, p.Dequantize(p.ZeroPoint));
    }

    [Fact]
    public void Negative_only_range_puts_zero_at_the_top()
    {
        var p = Int8Math.ActivationParams(new ActivationRange(-4f, -1f));
        Assert.Equal(127, p.ZeroPoint);
    }

    [Fact]
    public void Degenerate_range_still_gets_a_positive_scale()
    {
        var p = Int8Math.ActivationParams(new ActivationRange(0f, 0f));
        Assert.True(p.Scale > 0f);
        Assert.Equal(-128, p.ZeroPoint);
    }

    [Fact]
    public void Empty_or_infinite_range_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => Int8Math.ActivationParams(ActivationRange.Empty));
        Assert.Throws<ArgumentException>(() => Int8Math.ActivationParams(new ActivationRange(float.NegativeInfinity, 1f)));
    }

    [Fact]
    public void Any_range_holds_zero_exactly_and_covers_its_ends_within_one_step() =>
        Gen.Select(Gen.Float[-1000f, 1000f], Gen.Float[-1000f, 1000f]).Sample((a, b) =>
        {
            var r = new ActivationRange(MathF.Min(a, b), MathF.Max(a, b));
            var p = Int8Math.ActivationParams(r);
            Assert.InRange(p.ZeroPoint, -128, 127);
            Assert.Equal(0f, p.Dequantize(p.Quantize(0f)));
            float lo = p.Dequantize(-128), hi = p.Dequantize(127);
            Assert.True(lo <= MathF.Min(r.Min, 0f) + p.Scale, $"{r} -> {p}: lowest {lo}");
            Assert.True(hi >= MathF.Max(r.Max, 0f) - p.Scale, $"{r} -> {p}: highest {hi}");
        });

    [Fact]
    public void Conv_weights_get_one_scale_per_output_channel_on_axis_0()
    {
        // [2 out, 1, 1, 3 in]: channel 0 max 0.5, channel 1 max 2.
        float[] w = [0.5f, -0.25f, 0.1f, -2f, 1f, 0f];
        var (q, scales) = Int8Math.SymmetricWeights(w, [2, 1, 1, 3], 0);
        Assert.Equal([0.5f / 127f, 2f / 127f], scales);
        Assert.Equal(new sbyte[] { 127, -64, 25, -127, 64, 0 }, q); // -63.5 and 63.5 round away from zero
    }

    [Fact]
    public void Depthwise_weights_get_one_scale_per_channel_on_the_last_axis()
    {
        // [1, 2, 1, 2]: elements alternate channel 0, 1.
        float[] w = [1f, 0.1f, -0.5f, -0.2f];
        var (q, scales) = Int8Math.SymmetricWeights(w, [1, 2, 1, 2], 3);
        Assert.Equal([1f / 127f, 0.2f / 127f], scales);
        Assert.Equal(new sbyte[] { 127, 64, -64, -127 }, q);
    }

    [Fact]
    public void All_zero_channel_gets_a_positive_scale_and_minimum_scales_widen()
    {
        var (q, scales) = Int8Math.SymmetricWeights([0f, 0f, 1f, 1f], [2, 2], 0, [0f, 1f]);
        Assert.True(scales[0] > 0f);
        Assert.Equal(1f, scales[1]);
        Assert.Equal(new sbyte[] { 0, 0, 1, 1 }, q);
    }

    [Fact]
    public void Bias_uses_input_scale_times_weight_scale()
    {
        var (values, scales, clamped) = Int8Math.Bias([1f, -0.5f], 0.5f, [0.01f, 0.1f]);
        Assert.Equal([0.005f, 0.05f], scales);
        Assert.Equal([200, -10], values);
        Assert.Equal(0, clamped);
        var (big, _, n) = Int8Math.Bias([1e9f], 1e-3f, [1e-3f]);
        Assert.Equal(int.MaxValue, big[0]);
        Assert.Equal(1, n);
    }

    [Fact]
    public void Range_of_values_ignores_NaN_and_handles_vector_tails()
    {
        var v = Enumerable.Range(0, 37).Select(i => (float)i - 10f).ToArray();
        v[5] = float.NaN;
        Assert.Equal(new ActivationRange(-10f, 26f), ActivationRange.Of(v));
        Assert.True(ActivationRange.Of([]).IsEmpty);
    }
}
