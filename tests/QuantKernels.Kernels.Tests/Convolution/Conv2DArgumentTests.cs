using QuantKernels.Kernels.Convolution;
using QuantKernels.Kernels.Quantization;
using Xunit;

namespace QuantKernels.Kernels.Tests.Convolution;

/// <summary>Bad shapes, spans and parameters raise ArgumentException at the kernel's edge.</summary>
public class Conv2DArgumentTests
{
    private static readonly Conv2DGeometry G = Conv2DGeometry.Create(1, 4, 4, 2, 3, 3, 3, 2, 1, 1, 1, 1, PaddingType.Same);

    private static QuantizedConvParams P(int channels = 3, int min = -128, int max = 127, int zpOut = 0, int zpIn = 0)
        => QuantizedConvParams.Prepare(RequantConvention.Reference, 0.5f, zpIn, new[] { 0.01f }, 0, 0.1f, zpOut, min, max, channels);

    [Fact]
    public void SpanLengthsAreChecked()
    {
        var p = P();
        Assert.Throws<ArgumentException>(() => Conv2DReference.Run(G, new sbyte[G.InputLength - 1], new sbyte[G.FilterLength], new int[3], p, new sbyte[G.OutputLength]));
        Assert.Throws<ArgumentException>(() => Conv2DReference.Run(G, new sbyte[G.InputLength], new sbyte[G.FilterLength + 1], new int[3], p, new sbyte[G.OutputLength]));
        Assert.Throws<ArgumentException>(() => Conv2DReference.Run(G, new sbyte[G.InputLength], new sbyte[G.FilterLength], new int[2], p, new sbyte[G.OutputLength]));
        Assert.Throws<ArgumentException>(() => Conv2DReference.Run(G, new sbyte[G.InputLength], new sbyte[G.FilterLength], new int[3], p, new sbyte[G.OutputLength - 1]));
        Assert.Throws<ArgumentException>(() => Conv2DReference.Run(G, new float[G.InputLength], new float[G.FilterLength], new float[4], 0, 6, new float[G.OutputLength]));
        Assert.Throws<ArgumentException>(() => Conv2DReference.Run(G, new float[G.InputLength], new float[G.FilterLength], new float[3], 6, 0, new float[G.OutputLength]));
        Assert.Throws<ArgumentException>(() => Conv2DReference.Run(default, new float[1], new float[1], new float[0], 0, 6, new float[1]));
    }

    [Fact]
    public void ParametersMustFitTheOp()
    {
        // Channel count differs from the op's output channels.
        Assert.Throws<ArgumentException>(() => Conv2DReference.Run(G, new sbyte[G.InputLength], new sbyte[G.FilterLength], new int[3], P(channels: 4), new sbyte[G.OutputLength]));
        // int8 clamp range / zero points used on a uint8 op.
        Assert.Throws<ArgumentException>(() => Conv2DReference.Run(G, new byte[G.InputLength], new byte[G.FilterLength], new int[3], P(), new byte[G.OutputLength]));
        Assert.Throws<ArgumentException>(() => Conv2DReference.Run(G, new byte[G.InputLength], new byte[G.FilterLength], new int[3], P(min: 0, max: 255, zpIn: -1), new byte[G.OutputLength]));
        // uint8 range on an int8 op.
        Assert.Throws<ArgumentException>(() => Conv2DReference.Run(G, new sbyte[G.InputLength], new sbyte[G.FilterLength], new int[3], P(min: 0, max: 255, zpOut: 200), new sbyte[G.OutputLength]));
        Assert.Throws<ArgumentNullException>(() => Conv2DReference.Run(G, new sbyte[G.InputLength], new sbyte[G.FilterLength], new int[3], null!, new sbyte[G.OutputLength]));
    }

    [Fact]
    public void PrepareRejectsBadQuantization()
    {
        Assert.Throws<ArgumentException>(() => QuantizedConvParams.Prepare(RequantConvention.Xnnpack, 0f, 0, new[] { 0.1f }, 0, 0.1f, 0, -128, 127, 3));
        Assert.Throws<ArgumentException>(() => QuantizedConvParams.Prepare(RequantConvention.Xnnpack, 0.1f, 0, new[] { 0.1f }, 0, float.NaN, 0, -128, 127, 3));
        Assert.Throws<ArgumentException>(() => QuantizedConvParams.Prepare(RequantConvention.Xnnpack, 0.1f, 0, new[] { 0.1f, 0.2f }, 0, 0.1f, 0, -128, 127, 3));
        Assert.Throws<ArgumentException>(() => QuantizedConvParams.Prepare(RequantConvention.Xnnpack, 0.1f, 0, new[] { 0.1f, -0.2f, 0.1f }, 0, 0.1f, 0, -128, 127, 3));
        Assert.Throws<ArgumentException>(() => QuantizedConvParams.Prepare(RequantConvention.Xnnpack, 0.1f, 0, new[] { 0.1f }, 0, 0.1f, 0, 10, 5, 3));
        Assert.Throws<ArgumentException>(() => QuantizedConvParams.Prepare(RequantConvention.Xnnpack, 0.1f, 0, new[] { 0.1f }, 0, 0.1f, 0, -128, 127, 0));
        Assert.Throws<ArgumentException>(() => QuantizedConvParams.Prepare((RequantConvention)9, 0.1f, 0, new[] { 0.1f }, 0, 0.1f, 0, -128, 127, 3));
    }

    [Fact]
    public void PrepareComputesBothConventionsOnce()
    {
        var p = QuantizedConvParams.Prepare(RequantConvention.Reference, 0.5f, -1, new[] { 0.25f, 0.125f }, 0, 0.5f, -1, -128, 127, 2);
        Assert.Equal(2, p.Channels);
        Assert.Equal(new[] { 0.25f, 0.125f }, p.Scales.ToArray());
        // 0.25 = 0.5 * 2^-1 -> (2^30, -1); 0.125 -> (2^30, -2).
        Assert.Equal(new[] { 1 << 30, 1 << 30 }, p.Multipliers.ToArray());
        Assert.Equal(new[] { -1, -2 }, p.Shifts.ToArray());
        // Per-tensor scale broadcasts to every channel.
        var t = QuantizedConvParams.Prepare(RequantConvention.Xnnpack, 0.5f, 0, new[] { 0.1f }, 0, 0.5f, 0, -128, 127, 3);
        Assert.Equal(3, t.Scales.Length);
        Assert.All(t.Scales.ToArray(), s => Assert.Equal(t.Scales[0], s));
    }

    [Fact]
    public void GeometryRejectsInconsistentShapes()
    {
        // Input channels not a multiple of the filter's input channels.
        Assert.Throws<ArgumentException>(() => Conv2DGeometry.Create(1, 4, 4, 5, 3, 3, 3, 2, 1, 1, 1, 1, PaddingType.Same));
        // Output channels not a multiple of the group count (4 / 2 = 2 groups, 3 outputs).
        Assert.Throws<ArgumentException>(() => Conv2DGeometry.Create(1, 4, 4, 4, 3, 3, 3, 2, 1, 1, 1, 1, PaddingType.Same));
        Assert.Throws<ArgumentException>(() => Conv2DGeometry.Create(1, 4, 4, 2, 3, 3, 3, 2, 0, 1, 1, 1, PaddingType.Same));
        Assert.Throws<ArgumentException>(() => Conv2DGeometry.Create(0, 4, 4, 2, 3, 3, 3, 2, 1, 1, 1, 1, PaddingType.Same));
        Assert.Throws<ArgumentException>(() => Conv2DGeometry.Create(1, 2, 2, 2, 3, 3, 3, 2, 1, 1, 1, 1, PaddingType.Valid));
        Assert.Throws<ArgumentException>(() => new Conv2DGeometry(1, 4, 4, 2, 3, 3, 2, 4, 4, 3, 1, 1, 1, 1, -1, 0));
    }
}
