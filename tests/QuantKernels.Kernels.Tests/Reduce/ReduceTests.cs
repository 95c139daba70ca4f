using QuantKernels.Kernels.Quantization;
using QuantKernels.Kernels.Reduce;
using Xunit;

namespace QuantKernels.Kernels.Tests.Reduce;

public class ReduceTests
{
    private static float[] Iota(int n) => Enumerable.Range(1, n).Select(i => (float)i).ToArray();

    [Fact]
    public void FloatMeanAndSumNotKeepDims()
    {
        // reduce_test.cc MeanOpTest/SumOpTest NotKeepDims: 4x3x2 of 1..24, axis {1, 0, -3, -3} -> shape {2}.
        int[] shape = [4, 3, 2];
        int[] axes = [1, 0, -3, -3];
        Span<int> outShape = stackalloc int[3];
        int rank = ReduceShape.ComputeOutputShape(shape, axes, false, outShape);
        Assert.Equal([2], outShape[..rank].ToArray());
        var o = new float[2];
        ReduceMeanSum.MeanFloat(Iota(24), shape, axes, o);
        Assert.Equal([12f, 13f], o);
        ReduceMeanSum.SumFloat(Iota(24), shape, axes, o);
        Assert.Equal([144f, 156f], o);
    }

    [Fact]
    public void FloatMeanAndSumKeepDims()
    {
        // KeepDims: axis {0, 2} -> shape {1, 3, 1}, mean {10.5, 12.5, 14.5}, sum {84, 100, 116}.
        int[] shape = [4, 3, 2];
        int[] axes = [0, 2];
        Span<int> outShape = stackalloc int[3];
        int rank = ReduceShape.ComputeOutputShape(shape, axes, true, outShape);
        Assert.Equal([1, 3, 1], outShape[..rank].ToArray());
        var o = new float[3];
        ReduceMeanSum.MeanFloat(Iota(24), shape, axes, o);
        Assert.Equal([10.5f, 12.5f, 14.5f], o);
        ReduceMeanSum.SumFloat(Iota(24), shape, axes, o);
        Assert.Equal([84f, 100f, 116f], o);
    }

    [Fact]
    public void ReferenceMeanRoundsLikeTflite_XnnpackToEven()
    {
        // in 0.5 / out 0.25, zp 0, count 4: reference multiplier folds to (2^30, 0) = x/2 via SRDHM.
        // sum 9 -> 4.5: reference rounds away (5), xnnpack to even (4). sum -11 -> -5.5: SRDHM gives -5, xnnpack -6.
        var r = QuantizedReduceParams.Prepare(RequantConvention.Reference, false, 4, 0.5f, 0, 0.25f, 0, -128, 127);
        Assert.Equal(1 << 30, r.Multiplier);
        Assert.Equal(0, r.Shift);
        var x = QuantizedReduceParams.Prepare(RequantConvention.Xnnpack, false, 4, 0.5f, 0, 0.25f, 0, -128, 127);
        sbyte[] input = [1, 2, 3, 3, -2, -3, -3, -3];
        int[] shape = [2, 4];
        var o = new sbyte[2];
        ReduceMeanSum.Quantized<sbyte>(input, shape, [1], o, r);
        Assert.Equal([5, -5], o);
        ReduceMeanSum.Quantized<sbyte>(input, shape, [1], o, x);
        Assert.Equal([4, -6], o);
    }

    [Fact]
    public void ReferenceMeanNonPowerOfTwoCount()
    {
        // scale 1 -> (2^30, 1); count 3: s = 1, M = 2^31/3 truncated = 715827882, shift 0.
        var r = QuantizedReduceParams.Prepare(RequantConvention.Reference, false, 3, 1f, 0, 1f, 0, -128, 127);
        Assert.Equal(715827882, r.Multiplier);
        Assert.Equal(0, r.Shift);
        sbyte[] input = [1, 1, 1, 1, 1, 2, 1, 2, 2, -1, -1, -1];
        var o = new sbyte[4];
        ReduceMeanSum.Quantized<sbyte>(input, [4, 3], [-1], o, r);
        Assert.Equal([1, 1, 2, -1], o); // sums 3, 4, 5, -3
    }

    [Fact]
    public void QuantizedSumBothConventions()
    {
        // in 1 / out 2, count 2: sums 3 and 5 -> 1.5 and 2.5.
        var r = QuantizedReduceParams.Prepare(RequantConvention.Reference, true, 2, 1f, 0, 2f, 0, 0, 255);
        var x = QuantizedReduceParams.Prepare(RequantConvention.Xnnpack, true, 2, 1f, 0, 2f, 0, 0, 255);
        byte[] input = [1, 2, 2, 3];
        var o = new byte[2];
        ReduceMeanSum.Quantized<byte>(input, [2, 2], [1], o, r);
        Assert.Equal([2, 3], o);
        ReduceMeanSum.Quantized<byte>(input, [2, 2], [1], o, x);
        Assert.Equal([2, 2], o);
    }

    [Theory]
    [InlineData(0.05f, 3, 0.02f, -5)]
    [InlineData(0.0117f, -128, 0.0093f, -128)]
    [InlineData(0.1f, 10, 0.3f, 0)]
    public void XnnpackMeanMatchesDefiningFormula(float inScale, int inZp, float outScale, int outZp)
    {
        // 2x5x7x3 int8, mean over H,W (axes 1,2) keep dims, the MobileNet head shape.
        var rng = new Random(1234 + inZp);
        var input = new sbyte[2 * 5 * 7 * 3];
        rng.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(input.AsSpan()));
        int n = 35;
        var p = QuantizedReduceParams.Prepare(RequantConvention.Xnnpack, false, n, inScale, inZp, outScale, outZp, -128, 127);
        var o = new sbyte[6];
        ReduceMeanSum.Quantized<sbyte>(input, [2, 5, 7, 3], [1, 2], o, p);
        float scale = inScale / outScale * (1.0f / n);
        for (int b = 0; b < 2; b++)
            for (int c = 0; c < 3; c++)
            {
                int sum = 0;
                for (int i = 0; i < n; i++) sum += input[(b * n + i) * 3 + c] - inZp;
                float v = Math.Clamp(sum * scale, -128 - outZp, 127 - outZp);
                int expected = (int)MathF.Round(v, MidpointRounding.ToEven) + outZp;
                Assert.Equal(expected, o[b * 3 + c]);
            }
    }

    [Fact]
    public void ReferenceMeanMatchesDoubleWithinOne()
    {
        var rng = new Random(7);
        var input = new byte[3 * 4 * 5];
        rng.NextBytes(input);
        var p = QuantizedReduceParams.Prepare(RequantConvention.Reference, false, 20, 0.02f, 128, 0.015f, 120, 0, 255);
        var o = new byte[3];
        ReduceMeanSum.Quantized<byte>(input, [3, 4, 5], [1, 2], o, p);
        for (int b = 0; b < 3; b++)
        {
            double real = 0;
            for (int i = 0; i < 20; i++) real += 0.02 * (input[b * 20 + i] - 128);
            double q = Math.Clamp(Math.Round(real / 20 / 0.015) + 120, 0, 255);
            Assert.InRange(o[b], q - 1, q + 1);
        }
    }

    [Fact]
    public void NoAxesCopies()
    {
        var o = new sbyte[3];
        ReduceMeanSum.Quantized<sbyte>([1, 2, 3], [3], [], o, QuantizedReduceParams.Prepare(RequantConvention.Reference, false, 1, 1f, 0, 2f, 0, -128, 127));
        Assert.Equal([1, 2, 3], o);
    }

    [Fact]
    public void BadArgumentsThrow()
    {
        Span<int> s = stackalloc int[3];
        Assert.Throws<ArgumentException>(() => ReduceShape.ComputeOutputShape([2, 3], [2], false, new int[2]));
        Assert.Throws<ArgumentException>(() => ReduceShape.ComputeOutputShape([2, 3], [-3], false, new int[2]));
        Assert.Throws<ArgumentException>(() => ReduceMeanSum.MeanFloat(new float[5], [2, 3], [0], new float[3]));
        Assert.Throws<ArgumentException>(() => ReduceMeanSum.MeanFloat(new float[6], [2, 3], [0], new float[2]));
        var p = QuantizedReduceParams.Prepare(RequantConvention.Reference, false, 4, 1f, 0, 1f, 0, -128, 127);
        Assert.Throws<ArgumentException>(() => ReduceMeanSum.Quantized<sbyte>(new sbyte[6], [2, 3], [1], new sbyte[2], p));
        Assert.Throws<ArgumentException>(() => QuantizedReduceParams.Prepare(RequantConvention.Reference, false, 0, 1f, 0, 1f, 0, -128, 127));
        Assert.Throws<ArgumentException>(() => QuantizedReduceParams.Prepare(RequantConvention.Xnnpack, false, 2, 0f, 0, 1f, 0, -128, 127));
    }
}

public class ReferenceMeanPathTests
{
    [Fact]
    public void PathSelection()
    {
        var hw = QuantizedReduceParams.PrepareMean(RequantConvention.Reference, [1, 2, 2, 3], [1, 2], true, 0.5f, 0, 0.25f, 0, -128, 127);
        Assert.Equal(ReferenceMeanPath.HeightWidth4D, hw.Path);
        Assert.Equal(ReferenceMeanPath.General, QuantizedReduceParams.PrepareMean(RequantConvention.Reference, [1, 2, 2, 3], [1, 2], false, 0.5f, 0, 0.25f, 0, -128, 127).Path);
        Assert.Equal(ReferenceMeanPath.EqualParams, QuantizedReduceParams.PrepareMean(RequantConvention.Reference, [2, 3], [1], false, 0.5f, 3, 0.5f, 3, -128, 127).Path);
        var x = QuantizedReduceParams.PrepareMean(RequantConvention.Xnnpack, [1, 2, 2, 3], [1, 2], true, 0.5f, 0, 0.25f, 0, -128, 127);
        Assert.Equal(RequantConvention.Xnnpack, x.Convention);
    }

    [Fact]
    public void HeightWidth4DRequantizesThenDivides()
    {
        // in 0.5 / out 0.25 -> (2^30, 2): MBQM doubles exactly; then (2*sum + sign*2) / 4 truncating.
        // channel sums 9 -> 18 -> (18+2)/4 = 5; -11 -> -22 -> (-22-2)/4 = -6; 6 -> 12 -> 14/4 = 3.
        var p = QuantizedReduceParams.PrepareMean(RequantConvention.Reference, [1, 2, 2, 3], [2, 1], true, 0.5f, 0, 0.25f, 0, -128, 127);
        sbyte[] input = [1, -2, 1, 2, -3, 1, 3, -3, 2, 3, -3, 2];
        var o = new sbyte[3];
        ReduceMeanSum.Quantized<sbyte>(input, [1, 2, 2, 3], [2, 1], o, p);
        Assert.Equal([5, -6, 3], o);
    }

    [Fact]
    public void EqualParamsTruncates()
    {
        // sums 7 and -7 over 4 -> 1 and -1 (C truncation, not rounding).
        var p = QuantizedReduceParams.PrepareMean(RequantConvention.Reference, [2, 4], [1], false, 0.1f, 5, 0.1f, 5, -128, 127);
        var o = new sbyte[2];
        ReduceMeanSum.Quantized<sbyte>([1, 2, 2, 2, -1, -2, -2, -2], [2, 4], [1], o, p);
        Assert.Equal([1, -1], o);
    }
}
