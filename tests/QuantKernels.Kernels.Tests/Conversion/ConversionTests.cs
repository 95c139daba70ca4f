using QuantKernels.Kernels.Conversion;
using QuantKernels.Kernels.Quantization;
using Xunit;

namespace QuantKernels.Kernels.Tests.Conversion;

public class ConversionTests
{
    private static readonly float[] QuantizeInput = [-63.5f, -63, -62.5f, -62, -61.5f, 62, 62.5f, 63, 63.5f, 64];

    [Fact]
    public void QuantizeUint8_TfliteVector()
    {
        // quantize_test.cc UINT8: scale 0.5, zp 127.
        var o = new byte[10];
        Quantize.Reference<byte>(QuantizeInput, o, 0.5f, 127);
        Assert.Equal([0, 1, 2, 3, 4, 251, 252, 253, 254, 255], o);
        Quantize.Xnnpack<byte>(QuantizeInput, o, 0.5f, 127);
        Assert.Equal([0, 1, 2, 3, 4, 251, 252, 253, 254, 255], o);
    }

    [Fact]
    public void QuantizeInt8_TfliteVector()
    {
        // quantize_test.cc INT8: scale 0.5, zp -1.
        var o = new sbyte[10];
        Quantize.Reference<sbyte>(QuantizeInput, o, 0.5f, -1);
        Assert.Equal([-128, -127, -126, -125, -124, 123, 124, 125, 126, 127], o);
        Quantize.Xnnpack<sbyte>(QuantizeInput, o, 0.5f, -1);
        Assert.Equal([-128, -127, -126, -125, -124, 123, 124, 125, 126, 127], o);
    }

    [Fact]
    public void QuantizeTiesDifferBetweenConventions()
    {
        float[] input = [0.25f, 0.75f, -0.25f, -0.75f, 1000f, -1000f];
        var r = new sbyte[6];
        var x = new sbyte[6];
        Quantize.Reference<sbyte>(input, r, 0.5f, 0);
        Quantize.Xnnpack<sbyte>(input, x, 0.5f, 0);
        Assert.Equal([1, 2, -1, -2, 127, -128], r); // half away from zero (std::round)
        Assert.Equal([0, 2, 0, -2, 127, -128], x);  // half to even (lrintf)
        Quantize.Float<sbyte>(RequantConvention.Xnnpack, input, r, 0.5f, 0);
        Assert.Equal(x, r);
    }

    [Fact]
    public void QuantizeInt16()
    {
        var o = new short[3];
        Quantize.Reference<short>([1f, -1f, 1e9f], o, 1f / 32768, 0);
        Assert.Equal([32767, -32768, 32767], o);
    }

    [Fact]
    public void RequantizeEqualScalesIsZeroPointShift()
    {
        var p = Requantize.Prepare(0.1f, -128, 0.1f, 0);
        var input = Enumerable.Range(-128, 256).Select(i => (sbyte)i).ToArray();
        var o = new byte[256];
        Requantize.Run<sbyte, byte>(input, o, p);
        for (int i = 0; i < 256; i++) Assert.Equal(i, o[i]);
        // and back
        var back = new sbyte[256];
        Requantize.Run<byte, sbyte>(o, back, Requantize.Prepare(0.1f, 0, 0.1f, -128));
        Assert.Equal(input, back);
    }

    [Fact]
    public void RequantizeInt8ToInt8LargerScale()
    {
        // Int8 (scale 0.5, zp -1) -> int8 (scale 1, zp -1). Multiplier (2^30, 0) halves with SRDHM rounding:
        // ties go up (toward +inf): -63.5 -> -63, 62.5 -> 63.
        sbyte[] input = [-128, -127, -126, -125, -124, 123, 124, 125, 126, 127];
        var o = new sbyte[10];
        Requantize.Run<sbyte, sbyte>(input, o, Requantize.Prepare(0.5f, -1, 1f, -1));
        Assert.Equal([-64, -64, -63, -63, -62, 61, 62, 62, 63, 63], o);
    }

    [Fact]
    public void RequantizeSaturates()
    {
        var o = new byte[2];
        Requantize.Run<sbyte, byte>([127, -128], o, Requantize.Prepare(1f, 0, 0.25f, 128));
        Assert.Equal([255, 0], o);
    }

    [Fact]
    public void DequantizeTfliteVectors()
    {
        // dequantize_test.cc: uint8 (0.5, 127), int8 (0.5, -1); the int16 (0.5, -1) case is hand-computed.
        float[] expected = [-63.5f, -63, -62.5f, -62, -61.5f, 62, 62.5f, 63, 63.5f, 64];
        var o = new float[10];
        Dequantize.Run<byte>([0, 1, 2, 3, 4, 251, 252, 253, 254, 255], o, 0.5f, 127);
        Assert.Equal(expected, o);
        Dequantize.Run<sbyte>([-128, -127, -126, -125, -124, 123, 124, 125, 126, 127], o, 0.5f, -1);
        Assert.Equal(expected, o);
        Dequantize.Run<short>([-129, -126, -125, -124, -123, 124, 125, 126, 127, 131], o, 0.5f, -1);
        Assert.Equal([-64f, -62.5f, -62, -61.5f, -61, 62.5f, 63, 63.5f, 64, 66], o);
    }

    [Fact]
    public void DequantizeMatchesFloatProduct()
    {
        // The double product rounded once equals the float32 product for every int8 value.
        float scale = 0.0123456789f;
        var input = Enumerable.Range(-128, 256).Select(i => (sbyte)i).ToArray();
        var o = new float[256];
        Dequantize.Run<sbyte>(input, o, scale, 3);
        for (int i = 0; i < 256; i++) Assert.Equal(scale * (float)(input[i] - 3), o[i]);
    }

    [Fact]
    public void DequantizeHalf()
    {
        var o = new float[4];
        Dequantize.Half([(Half)(-10.5f), (Half)0.1f, Half.MaxValue, (Half)1], o);
        Assert.Equal([-10.5f, (float)(Half)0.1f, 65504f, 1f], o);
    }

    [Fact]
    public void CastNumeric()
    {
        var i32 = new int[4];
        Cast.Run<float, int>([1.9f, -1.9f, 100.5f, 0f], i32);
        Assert.Equal([1, -1, 100, 0], i32); // truncation toward zero
        var u8 = new byte[3];
        Cast.Run<int, byte>([256, -1, 7], u8);
        Assert.Equal([0, 255, 7], u8); // wrap like static_cast
        var f = new float[3];
        Cast.Run<sbyte, float>([-128, 0, 127], f);
        Assert.Equal([-128f, 0f, 127f], f);
        var i64 = new long[2];
        Cast.Run<int, long>([int.MinValue, 5], i64);
        Assert.Equal([(long)int.MinValue, 5L], i64);
        var i16 = new short[2];
        Cast.Run<long, short>([65537L, -2L], i16);
        Assert.Equal([(short)1, (short)-2], i16);
        var s8 = new sbyte[2];
        Cast.Run<float, sbyte>([3.7f, -3.7f], s8);
        Assert.Equal([(sbyte)3, (sbyte)-3], s8);
    }

    [Fact]
    public void CastBool()
    {
        var b = new bool[3];
        Cast.ToBool<float>([0f, -0.5f, 2f], b);
        Assert.Equal([false, true, true], b);
        var i = new int[2];
        Cast.FromBool<int>([true, false], i);
        Assert.Equal([1, 0], i);
    }

    [Fact]
    public void BadArgumentsThrow()
    {
        Assert.Throws<ArgumentException>(() => Quantize.Reference<sbyte>(new float[3], new sbyte[2], 1f, 0));
        Assert.Throws<ArgumentException>(() => Quantize.Xnnpack<sbyte>(new float[2], new sbyte[2], 0f, 0));
        Assert.Throws<ArgumentException>(() => Requantize.Prepare(-1f, 0, 1f, 0));
        Assert.Throws<ArgumentException>(() => Requantize.Run<sbyte, byte>(new sbyte[2], new byte[3], Requantize.Prepare(1f, 0, 1f, 0)));
        Assert.Throws<ArgumentException>(() => Dequantize.Run<sbyte>(new sbyte[2], new float[1], 1f, 0));
        Assert.Throws<ArgumentException>(() => Cast.Run<int, float>(new int[2], new float[1]));
        Assert.Throws<ArgumentException>(() => Cast.ToBool<int>(new int[2], new bool[1]));
    }
}

public class RequantizeXnnpackTests
{
    [Fact]
    public void XnnpackRequantizeRoundsHalfUp()
    {
        // in 0.5 / out 1 -> M = 128: (x - zpIn) * 128 / 256 rounded half up: -63.5 -> -63, 62.5 -> 63, -0.5 -> 0.
        var p = Requantize.PrepareXnnpack(0.5f, -1, 1f, -1);
        Assert.Equal(128, p.Multiplier);
        sbyte[] input = [-128, -127, -126, 124, -2, 127];
        var o = new sbyte[6];
        Requantize.RunXnnpack<sbyte>(input, o, p);
        Assert.Equal([-64, -64, -63, 62, -1, 63], o);
        // Equal scales: zero-point shift with saturation (uint8).
        var u = new byte[3];
        Requantize.RunXnnpack<byte>([0, 100, 255], u, Requantize.PrepareXnnpack(0.2f, 10, 0.2f, 20));
        Assert.Equal([10, 110, 255], u);
    }

    [Fact]
    public void XnnpackMatchesDefiningFormulaForAllInputs()
    {
        var p = Requantize.PrepareXnnpack(0.037f, 7, 0.021f, -3);
        int m = (int)MathF.Round(256f * (0.037f / 0.021f), MidpointRounding.ToEven);
        var input = Enumerable.Range(-128, 256).Select(i => (sbyte)i).ToArray();
        var o = new sbyte[256];
        Requantize.RunXnnpack<sbyte>(input, o, p);
        for (int i = 0; i < 256; i++)
        {
            int expected = (int)Math.Floor((input[i] - 7) * m / 256.0 + 0.5) - 3;
            Assert.Equal(Math.Clamp(expected, -128, 127), o[i]);
        }
        Assert.Throws<ArgumentException>(() => Requantize.PrepareXnnpack(1f, 0, 1000f, 0));
    }
}
