using QuantKernels.Kernels.Convolution;
using Xunit;

namespace QuantKernels.Kernels.Tests.Convolution;

/// <summary>Padding.Compute against hand-computed SAME/VALID cases (DESIGN.md §3).</summary>
public class PaddingTests
{
    [Theory]
    // in, k, stride, dilation, expected out, expected before       (total = max((out-1)*s + (k-1)*d + 1 - in, 0))
    [InlineData(5, 3, 2, 1, 3, 1)]    // total 2
    [InlineData(4, 3, 2, 1, 2, 0)]    // total 1: the odd pixel goes after
    [InlineData(224, 3, 2, 1, 112, 0)] // total 1 (mobilenet stem)
    [InlineData(7, 3, 1, 2, 7, 2)]    // effective k 5, total 4
    [InlineData(3, 2, 1, 2, 3, 1)]    // effective k 3, total 2 (depthwise_conv_test SimpleDilatedTestPaddingSame)
    [InlineData(1, 3, 2, 1, 1, 1)]    // total 2
    [InlineData(6, 1, 2, 1, 3, 0)]    // total -1 -> 0
    [InlineData(10, 4, 3, 1, 4, 1)]   // total 3
    [InlineData(3, 3, 1, 1, 3, 1)]    // total 2
    [InlineData(2, 5, 1, 1, 2, 2)]    // filter larger than input: total 4
    public void Same(int inSize, int k, int stride, int dilation, int outSize, int before)
        => Assert.Equal((outSize, before), Padding.Compute(inSize, k, stride, dilation, PaddingType.Same));

    [Theory]
    [InlineData(5, 3, 2, 1, 2)]
    [InlineData(9, 3, 1, 3, 3)]  // effective k 7
    [InlineData(4, 2, 3, 1, 1)]
    [InlineData(6, 2, 3, 1, 2)]
    [InlineData(3, 3, 1, 1, 1)]
    [InlineData(224, 3, 2, 1, 111)]
    public void Valid(int inSize, int k, int stride, int dilation, int outSize)
        => Assert.Equal((outSize, 0), Padding.Compute(inSize, k, stride, dilation, PaddingType.Valid));

    [Theory]
    [InlineData(0, 3, 1, 1, PaddingType.Same)]
    [InlineData(5, 0, 1, 1, PaddingType.Same)]
    [InlineData(5, 3, 0, 1, PaddingType.Same)]
    [InlineData(5, 3, 1, 0, PaddingType.Valid)]
    [InlineData(5, 3, 1, 3, PaddingType.Valid)] // effective k 7 > 5
    [InlineData(5, 3, 1, 1, (PaddingType)7)]
    public void BadArguments(int inSize, int k, int stride, int dilation, PaddingType padding)
        => Assert.Throws<ArgumentException>(() => Padding.Compute(inSize, k, stride, dilation, padding));
}
