using Xunit;
using QuantKernels.Kernels.Elementwise;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Tests.Elementwise;

public class QuantizedAddTests
{
    public static TheoryData<RequantConvention> Conventions => new() { RequantConvention.Reference, RequantConvention.Xnnpack };

    private static sbyte[] AddI8(RequantConvention c, float[] x, float sx, int zx, int[] shx, float[] y, float sy, int zy, int[] shy,
        int[] sho, float so, int zo, FusedActivation act, bool sub = false)
    {
        var p = QuantizedAdd.Prepare<sbyte>(c, sx, zx, sy, zy, so, zo, act, sub);
        var o = new sbyte[sho.Aggregate(1, (m, d) => m * d)];
        QuantizedAdd.Invoke<sbyte>(p, shx, TestQuant.I8(x, sx, zx), shy, TestQuant.I8(y, sy, zy), sho, o);
        return o;
    }

    private static byte[] AddU8(RequantConvention c, float[] x, float sx, int zx, int[] shx, float[] y, float sy, int zy, int[] shy,
        int[] sho, float so, int zo, FusedActivation act)
    {
        var p = QuantizedAdd.Prepare<byte>(c, sx, zx, sy, zy, so, zo, act);
        var o = new byte[sho.Aggregate(1, (m, d) => m * d)];
        QuantizedAdd.Invoke<byte>(p, shx, TestQuant.U8(x, sx, zx), shy, TestQuant.U8(y, sy, zy), sho, o);
        return o;
    }

    private static readonly int[] S4 = { 1, 2, 2, 1 };

    // tflite-micro tensorflow/lite/micro/kernels/add_test.cc: QuantizedAddNoActivationInt8 / ActivationRelu1Int8 / ActivationReluInt8.
    [Theory]
    [MemberData(nameof(Conventions))]
    public void MicroInt8Goldens(RequantConvention c)
    {
        float[] x = { -2.01f, -1.01f, -0.01f, 0.98f }, y = { 1.01f, 1.99f, 2.99f, 4.02f };
        Assert.Equal(TestQuant.I8(new[] { -1f, 1f, 3f, 5f }, 1.0f, 13), AddI8(c, x, 0.25f, -10, S4, y, 0.5f, 4, S4, S4, 1.0f, 13, FusedActivation.None));
        Assert.Equal(TestQuant.I8(new[] { -1f, 1f, 1f, 1f }, 1.0f, 13), AddI8(c, x, 0.25f, -10, S4, y, 0.5f, 4, S4, S4, 1.0f, 13, FusedActivation.ReluN1To1));
        Assert.Equal(TestQuant.I8(new[] { 0.0f, 0.4f, 1.0f, 1.3f }, 0.1f, 0),
            AddI8(c, new[] { -2.0f, 0.2f, 0.7f, 0.8f }, 0.1f, 0, S4, new[] { 0.1f, 0.2f, 0.3f, 0.5f }, 0.1f, 0, S4, S4, 0.1f, 0, FusedActivation.Relu));
    }

    // add_test.cc QuantizedAddVariousInputShapesInt8 / QuantizedAddWithScalarBroadcastInt8 / Int8AddClamping*.
    [Theory]
    [MemberData(nameof(Conventions))]
    public void MicroInt8ShapesAndScalarBroadcast(RequantConvention c)
    {
        int[][] shapes = { new[] { 6 }, new[] { 2, 3 }, new[] { 2, 1, 3 }, new[] { 1, 3, 1, 2 } };
        float[] x = { -2.0f, 0.2f, 0.7f, 0.8f, 1.1f, 2.0f };
        foreach (var sh in shapes)
        {
            Assert.Equal(TestQuant.I8(new[] { -1.9f, 0.4f, 1.0f, 1.3f, 2.2f, 2.1f }, 0.1f, 14),
                AddI8(c, x, 0.1f, -9, sh, new[] { 0.1f, 0.2f, 0.3f, 0.5f, 1.1f, 0.1f }, 0.05f, 5, sh, sh, 0.1f, 14, FusedActivation.None));
            Assert.Equal(TestQuant.I8(new[] { -1.9f, 0.3f, 0.8f, 0.9f, 1.2f, 2.1f }, 0.05f, 12),
                AddI8(c, x, 0.1f, -8, sh, new[] { 0.1f }, 0.05f, 4, Array.Empty<int>(), sh, 0.05f, 12, FusedActivation.None));
        }
        int[] s2 = { 1, 2 };
        Assert.Equal(new sbyte[] { 15, -15 }, AddI8(c, new[] { 10f, -10f }, 1f, 0, s2, new[] { 5f, -5f }, 1f, 0, s2, s2, 1f, 0, FusedActivation.None));
        Assert.Equal(new sbyte[] { 127, 127 }, AddI8(c, new[] { 100f, 100f }, 1f, 0, s2, new[] { 100f, 50f }, 1f, 0, s2, s2, 1f, 0, FusedActivation.None));
        Assert.Equal(new sbyte[] { -128, -128 }, AddI8(c, new[] { -100f, -100f }, 1f, 0, s2, new[] { -50f, -100f }, 1f, 0, s2, s2, 1f, 0, FusedActivation.None));
    }

    // The same micro goldens with uint8 tensors (zero points shifted by +128, as the legacy uint8 tests do).
    [Theory]
    [MemberData(nameof(Conventions))]
    public void MicroGoldensAsUInt8(RequantConvention c)
    {
        float[] x = { -2.01f, -1.01f, -0.01f, 0.98f }, y = { 1.01f, 1.99f, 2.99f, 4.02f };
        Assert.Equal(TestQuant.U8(new[] { -1f, 1f, 3f, 5f }, 1.0f, 141), AddU8(c, x, 0.25f, 118, S4, y, 0.5f, 132, S4, S4, 1.0f, 141, FusedActivation.None));
        Assert.Equal(TestQuant.U8(new[] { -1f, 1f, 1f, 1f }, 1.0f, 141), AddU8(c, x, 0.25f, 118, S4, y, 0.5f, 132, S4, S4, 1.0f, 141, FusedActivation.ReluN1To1));
    }

    [Fact]
    public void ReferenceMultipliersAreTflites()
    {
        // scales (0.25, 0.5, 1.0): twice_max = 1 -> real multipliers 0.25, 0.5 and 2^-20.
        var p = QuantizedAdd.Prepare<sbyte>(RequantConvention.Reference, 0.25f, -10, 0.5f, 4, 1.0f, 13);
        Assert.Equal(RequantConvention.Reference, p.Convention);
        Assert.Equal((1 << 30, -1), (p.MultiplierA, p.ShiftA));
        Assert.Equal((1 << 30, 0), (p.MultiplierB, p.ShiftB));
        Assert.Equal((1 << 30, -19), (p.OutputMultiplier, p.OutputShift));
        Assert.Equal((10, -4, 20), (p.InputOffsetA, p.InputOffsetB, p.LeftShift));
    }

    [Fact]
    public void XnnpackParamsHandComputed()
    {
        // ratios 0.25 and 0.5: max exponent -1 -> shift 21; multipliers 2^19 and 2^20; bias = 2^20 - 2^19*(-10) - 2^20*4.
        var p = QuantizedAdd.Prepare<sbyte>(RequantConvention.Xnnpack, 0.25f, -10, 0.5f, 4, 1.0f, 13);
        Assert.Equal(RequantConvention.Xnnpack, p.Convention);
        Assert.Equal(21, p.XnnShift);
        Assert.Equal(1 << 19, p.XnnMultiplierA);
        Assert.Equal(1 << 20, p.XnnMultiplierB);
        Assert.Equal((1 << 20) + 10 * (1 << 19) - 4 * (1 << 20), p.XnnBias);
        var s = QuantizedAdd.Prepare<sbyte>(RequantConvention.Xnnpack, 0.25f, -10, 0.5f, 4, 1.0f, 13, subtract: true);
        Assert.Equal(-(1 << 20), s.XnnMultiplierB);
    }

    [Fact]
    public void XnnpackFallsBackToReferenceOutsideItsScaleRange()
    {
        // s_a / s_out = 512 >= 2^8: XNNPACK refuses, TFLite runs its own (reference) kernel.
        var p = QuantizedAdd.Prepare<sbyte>(RequantConvention.Xnnpack, 512f, 0, 1f, 0, 1f, 0);
        Assert.Equal(RequantConvention.Reference, p.Convention);
        Assert.False(QuantizedAdd.XnnpackSupports(1f / 2048f, 1f / 2048f, 1f));
        Assert.True(QuantizedAdd.XnnpackSupports(1f / 1024f, 255.9f, 1f));
    }

    [Fact]
    public void BadParametersThrow()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => QuantizedAdd.Prepare<sbyte>(RequantConvention.Reference, 0f, 0, 1f, 0, 1f, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => QuantizedAdd.Prepare<sbyte>(RequantConvention.Reference, 1f, 200, 1f, 0, 1f, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => QuantizedAdd.Prepare<byte>(RequantConvention.Reference, 1f, -1, 1f, 0, 1f, 0));
        Assert.Throws<NotSupportedException>(() => QuantizedAdd.Prepare<short>(RequantConvention.Reference, 1f, 0, 1f, 0, 1f, 0));
        var p = QuantizedAdd.Prepare<sbyte>(RequantConvention.Xnnpack, 1f, 0, 1f, 0, 1f, 0);
        Assert.Throws<ArgumentException>(() => QuantizedAdd.Invoke<sbyte>(p, new[] { 2, 3 }, new sbyte[6], new[] { 4, 3 }, new sbyte[12], new[] { 2, 3 }, new sbyte[6]));
        Assert.Throws<ArgumentException>(() => QuantizedAdd.Invoke<sbyte>(p, new[] { 2 }, new sbyte[3], new[] { 2 }, new sbyte[2], new[] { 2 }, new sbyte[2]));
    }

    [Fact]
    public void SubtractHandComputed()
    {
        int[] s = { 3 };
        foreach (var c in new[] { RequantConvention.Reference, RequantConvention.Xnnpack })
        {
            var p = QuantizedAdd.Prepare<sbyte>(c, 1f, 0, 1f, 0, 1f, 0, subtract: true);
            var o = new sbyte[3];
            QuantizedAdd.Invoke<sbyte>(p, s, new sbyte[] { 10, -100, 100 }, s, new sbyte[] { 5, 100, -100 }, s, o);
            Assert.Equal(new sbyte[] { 5, -128, 127 }, o);
            // sub_test.cc-style: (0.1, zp 3) - (0.05, zp -2) into (0.1, zp 1).
            var q = QuantizedAdd.Prepare<sbyte>(c, 0.1f, 3, 0.05f, -2, 0.1f, 1, subtract: true);
            QuantizedAdd.Invoke<sbyte>(q, s, TestQuant.I8(new[] { -2.0f, 0.2f, 1.7f }, 0.1f, 3), s, TestQuant.I8(new[] { 0.1f, 0.2f, 0.3f }, 0.05f, -2), s, o);
            Assert.Equal(TestQuant.I8(new[] { -2.1f, 0.0f, 1.4f }, 0.1f, 1), o);
        }
    }

    /// <summary>
    /// Independent re-derivation of XNNPACK's integer add (CONVENTIONS.md): shift from the binary exponent of the
    /// larger ratio, multipliers rounded half-even at 2^shift, floor((sum + 2^(shift-1)) / 2^shift) in 64-bit.
    /// </summary>
    private static int XnnpackDefinition(int a, int b, double sa, int za, double sb, int zb, double so, int zo, int qmin, int qmax, bool sub)
    {
        float ra = (float)sa / (float)so, rb = (float)sb / (float)so;
        int e = Math.ILogB((double)Math.Max(ra, rb));
        int shift = 20 - e;
        long ma = (long)Math.Round(ra * Math.Pow(2, shift), MidpointRounding.ToEven);
        long mb = (long)Math.Round(rb * Math.Pow(2, shift), MidpointRounding.ToEven);
        if (sub) mb = -mb;
        long acc = ma * (a - za) + mb * (b - zb) + (1L << (shift - 1));
        long q = (long)Math.Floor(acc / Math.Pow(2, shift)) + zo;
        return (int)Math.Clamp(q, qmin, qmax);
    }

    [Fact]
    public void XnnpackMatchesDefinitionAcrossManySetups()
    {
        var rng = new Random(1234);
        for (int setup = 0; setup < 200; setup++)
        {
            bool u8 = setup % 2 == 1;
            bool sub = setup % 5 == 0;
            int lo = u8 ? 0 : -128, hi = u8 ? 255 : 127;
            float so = (float)Math.Exp(rng.NextDouble() * 6 - 4);
            // ratios spanning XNNPACK's accepted range [2^-10, 2^8), including equal scales
            float sa = so * (float)Math.Pow(2, rng.NextDouble() * 17.5 - 10);
            float sb = setup % 7 == 0 ? sa : so * (float)Math.Pow(2, rng.NextDouble() * 17.5 - 10);
            if (!QuantizedAdd.XnnpackSupports(sa, sb, so)) continue;
            int za = rng.Next(lo, hi + 1), zb = rng.Next(lo, hi + 1), zo = rng.Next(lo, hi + 1);
            if (u8)
            {
                var p = QuantizedAdd.Prepare<byte>(RequantConvention.Xnnpack, sa, za, sb, zb, so, zo, subtract: sub);
                for (int k = 0; k < 500; k++)
                {
                    int a = rng.Next(lo, hi + 1), b = rng.Next(lo, hi + 1);
                    Assert.Equal(XnnpackDefinition(a, b, sa, za, sb, zb, so, zo, lo, hi, sub), QuantizedAdd.XnnpackElement(p, a, b));
                }
            }
            else
            {
                var p = QuantizedAdd.Prepare<sbyte>(RequantConvention.Xnnpack, sa, za, sb, zb, so, zo, subtract: sub);
                for (int k = 0; k < 500; k++)
                {
                    int a = rng.Next(lo, hi + 1), b = rng.Next(lo, hi + 1);
                    Assert.Equal(XnnpackDefinition(a, b, sa, za, sb, zb, so, zo, lo, hi, sub), QuantizedAdd.XnnpackElement(p, a, b));
                }
            }
        }
    }

    [Theory]
    [InlineData(0.0235294122f, -128, 0.0235294122f, -128, 0.0470588244f, -128, false)]
    [InlineData(0.1f, -9, 0.05f, 5, 0.1f, 14, false)]
    [InlineData(0.0179f, 3, 0.0311f, -20, 0.0213f, 7, true)]
    public void XnnpackAllPairsInt8ThroughTheKernel(float sa, int za, float sb, int zb, float so, int zo, bool sub)
    {
        // All 256x256 input pairs through the broadcast kernel ([256] + [256,1] -> [256,256]).
        var p = QuantizedAdd.Prepare<sbyte>(RequantConvention.Xnnpack, sa, za, sb, zb, so, zo, subtract: sub);
        var a = Enumerable.Range(-128, 256).Select(v => (sbyte)v).ToArray();
        var o = new sbyte[256 * 256];
        QuantizedAdd.Invoke<sbyte>(p, new[] { 1, 256 }, a, new[] { 256, 1 }, a, new[] { 256, 256 }, o);
        for (int j = 0; j < 256; j++)
        for (int i = 0; i < 256; i++)
            Assert.Equal(XnnpackDefinition(i - 128, j - 128, sa, za, sb, zb, so, zo, -128, 127, sub), o[j * 256 + i]);
    }

    [Fact]
    public void XnnpackAllPairsUInt8()
    {
        var p = QuantizedAdd.Prepare<byte>(RequantConvention.Xnnpack, 0.0156f, 128, 0.0223f, 117, 0.0301f, 131);
        var a = Enumerable.Range(0, 256).Select(v => (byte)v).ToArray();
        var o = new byte[256 * 256];
        QuantizedAdd.Invoke<byte>(p, new[] { 1, 256 }, a, new[] { 256, 1 }, a, new[] { 256, 256 }, o);
        for (int j = 0; j < 256; j++)
        for (int i = 0; i < 256; i++)
            Assert.Equal(XnnpackDefinition(i, j, 0.0156f, 128, 0.0223f, 117, 0.0301f, 131, 0, 255, false), o[j * 256 + i]);
    }

    [Fact]
    public void BothConventionsStayWithinOneOfTheRealSum()
    {
        var rng = new Random(7);
        for (int setup = 0; setup < 50; setup++)
        {
            float sa = 0.01f + (float)rng.NextDouble() * 0.1f, sb = 0.01f + (float)rng.NextDouble() * 0.1f, so = 0.02f + (float)rng.NextDouble() * 0.1f;
            int za = rng.Next(-128, 128), zb = rng.Next(-128, 128), zo = rng.Next(-128, 128);
            foreach (var c in new[] { RequantConvention.Reference, RequantConvention.Xnnpack })
            {
                var p = QuantizedAdd.Prepare<sbyte>(c, sa, za, sb, zb, so, zo);
                for (int k = 0; k < 200; k++)
                {
                    int a = rng.Next(-128, 128), b = rng.Next(-128, 128);
                    double real = ((a - za) * (double)sa + (b - zb) * (double)sb) / so + zo;
                    int got = c == RequantConvention.Reference ? QuantizedAdd.ReferenceElement(p, a, b) : QuantizedAdd.XnnpackElement(p, a, b);
                    Assert.InRange(got, Math.Clamp((int)Math.Floor(real) - 1, -128, 127), Math.Clamp((int)Math.Ceiling(real) + 1, -128, 127));
                }
            }
        }
    }
}
