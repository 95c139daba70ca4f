using QuantKernels.Kernels.Elementwise;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Tests.HotOps;

/// <summary><see cref="QuantizedAddSimd"/> equals the broadcasting scalar <see cref="QuantizedAdd.Invoke{T}"/> (Xnnpack).</summary>
public class QuantizedAddSimdTests
{
    [Theory]
    [MemberData(nameof(HotOpCases.AllPaths), MemberType = typeof(HotOpCases))]
    public void Add_and_sub_equal_the_scalar_kernel(IsaPath path)
    {
        var rng = new Random(555 + (int)path);
        var activations = new[] { FusedActivation.None, FusedActivation.Relu, FusedActivation.Relu6, FusedActivation.ReluN1To1 };
        int checkedCases = 0;
        foreach (int n in HotOpCases.Lengths)
        {
            bool unsigned = rng.Next(2) == 0, subtract = rng.Next(3) == 0;
            int qmin = unsigned ? 0 : -128, qmax = unsigned ? 255 : 127;
            int Zp() => new[] { qmin, qmax, rng.Next(qmin, qmax + 1) }[rng.Next(3)];
            float Scale() => (float)Math.Exp(rng.NextDouble() * 6 - 4); // ratios spread over XNNPACK's accepted range
            float sa = Scale(), sb = Scale(), so = Scale();
            if (!QuantizedAdd.XnnpackSupports(sa, sb, so)) continue;
            var act = activations[rng.Next(activations.Length)];
            int[] shape = [n];
            var a = new byte[n];
            var b = new byte[n];
            rng.NextBytes(a);
            rng.NextBytes(b);
            if (n > 0 && rng.Next(4) == 0) { Array.Fill(a, (byte)(unsigned ? 255 : 127)); Array.Fill(b, (byte)(unsigned ? 255 : 127)); }
            var expected = new byte[n];
            var actual = new byte[n];
            if (unsigned)
            {
                var p = QuantizedAdd.Prepare<byte>(RequantConvention.Xnnpack, sa, Zp(), sb, Zp(), so, Zp(), act, subtract);
                QuantizedAdd.Invoke<byte>(in p, shape, a, shape, b, shape, expected);
                QuantizedAddSimd.Run<byte>(path, in p, a, b, actual);
            }
            else
            {
                var p = QuantizedAdd.Prepare<sbyte>(RequantConvention.Xnnpack, sa, Zp(), sb, Zp(), so, Zp(), act, subtract);
                sbyte[] a8 = Array.ConvertAll(a, v => (sbyte)v), b8 = Array.ConvertAll(b, v => (sbyte)v);
                var e8 = new sbyte[n];
                var r8 = new sbyte[n];
                QuantizedAdd.Invoke<sbyte>(in p, shape, a8, shape, b8, shape, e8);
                QuantizedAddSimd.Run<sbyte>(path, in p, a8, b8, r8);
                expected = Array.ConvertAll(e8, v => (byte)v);
                actual = Array.ConvertAll(r8, v => (byte)v);
            }
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"n={n} u8={unsigned} sub={subtract} {act}: {HotOpCases.Mismatch<byte>(expected, actual)}");
            checkedCases++;
        }
        Assert.True(checkedCases > 40, $"only {checkedCases} cases had scales XNNPACK accepts");
    }

    [Fact]
    public void Reference_parameters_and_length_mismatches_are_refused()
    {
        var reference = QuantizedAdd.Prepare<sbyte>(RequantConvention.Reference, 0.1f, 0, 0.1f, 0, 0.2f, 0);
        var xnn = QuantizedAdd.Prepare<sbyte>(RequantConvention.Xnnpack, 0.1f, 0, 0.1f, 0, 0.2f, 0);
        Assert.False(QuantizedAddSimd.Supports(in reference));
        Assert.Throws<ArgumentException>(() => QuantizedAddSimd.Run<sbyte>(IsaPath.Scalar, in reference, new sbyte[2], new sbyte[2], new sbyte[2]));
        Assert.Throws<ArgumentException>(() => QuantizedAddSimd.Run<sbyte>(IsaPath.Scalar, in xnn, new sbyte[2], new sbyte[3], new sbyte[2]));
    }
}
