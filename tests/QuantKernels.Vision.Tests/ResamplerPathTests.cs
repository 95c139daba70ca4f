using QuantKernels.Kernels;
using QuantKernels.Runtime;
using QuantKernels.Vision.Preprocessing;

namespace QuantKernels.Vision.Tests;

/// <summary>The vectorized resampling writes the same tensor bytes as the scalar reference on every path.</summary>
public class ResamplerPathTests
{
    public static TheoryData<IsaPath> Paths()
    {
        var data = new TheoryData<IsaPath>();
        foreach (var p in Dispatch.SupportedPaths) data.Add(p);
        return data;
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Every_path_writes_the_scalar_bytes(IsaPath path)
    {
        var rng = new Random(4242 + (int)path);
        var scalar = new ModelInputWriter(IsaPath.Scalar);
        var vector = new ModelInputWriter(path); // reused: buffers grow and shrink between sizes
        Assert.Equal(path, vector.Path);
        for (int round = 0; round < 40; round++)
        {
            // Odd sizes around the block heights (4, 8) and widths, up- and downscaling, both resize modes.
            int w = rng.Next(1, round < 20 ? 20 : 400), h = rng.Next(1, round < 20 ? 20 : 400);
            int iw = rng.Next(1, 70), ih = rng.Next(1, 70);
            var rgb = new byte[w * h * 3];
            rng.NextBytes(rgb);
            if (round % 5 == 4) Array.Fill(rgb, (byte)255);
            var spec = new ModelInputSpec { Resize = rng.Next(2) == 0 ? ResizeMode.Stretch : ResizeMode.Letterbox };
            var type = (round % 3) switch { 0 => TensorType.Float32, 1 => TensorType.UInt8, _ => TensorType.Int8 };
            using var e = new InputTensors(iw, ih, type, 1f / 128, type == TensorType.Int8 ? -3 : 128);
            using var a = new InputTensors(iw, ih, type, 1f / 128, type == TensorType.Int8 ? -3 : 128);
            var te = scalar.Write(rgb, w, h, e.Input, spec);
            var ta = vector.Write(rgb, w, h, a.Input, spec);
            Assert.Equal(te, ta);
            var be = e.Input.AsReadOnlySpan<byte>();
            var ba = a.Input.AsReadOnlySpan<byte>();
            for (int i = 0; i < be.Length; i++)
                Assert.True(be[i] == ba[i], $"round {round} {w}x{h} -> {iw}x{ih} {type} {spec.Resize}: byte {i} of {be.Length} differs ({be[i]} vs {ba[i]})");
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Quantization_extremes_store_the_scalar_bytes(IsaPath path)
    {
        // Tiny scales overflow int32 (the conversion saturates, + zero point wraps), huge ones round everything to 0.
        var rng = new Random(99);
        var rgb = new byte[53 * 17 * 3];
        rng.NextBytes(rgb);
        foreach (var (type, scale, zp) in new[] { (TensorType.UInt8, 1e-30f, 255), (TensorType.Int8, 1e-30f, 127), (TensorType.Int8, 1e-30f, -128),
                     (TensorType.UInt8, 1e30f, 0), (TensorType.Int8, 3e-3f, -128), (TensorType.UInt8, 0.5f, 17) })
        {
            using var e = new InputTensors(41, 29, type, scale, zp);
            using var a = new InputTensors(41, 29, type, scale, zp);
            var spec = new ModelInputSpec { Normalization = new InputNormalization(10, 200, 0, 0.5f, 3f, -7f) };
            new ModelInputWriter(IsaPath.Scalar).Write(rgb, 53, 17, e.Input, spec);
            new ModelInputWriter(path).Write(rgb, 53, 17, a.Input, spec);
            Assert.True(e.Input.AsReadOnlySpan<byte>().SequenceEqual(a.Input.AsReadOnlySpan<byte>()), $"{type} scale {scale} zp {zp}");
        }
    }

    [Fact]
    public void Resampler_vertical_and_horizontal_passes_match_the_scalar_reference_on_the_intermediate_rows()
    {
        // Large shrink factors (wide filters) as photos into 300x300 inputs.
        var rng = new Random(77);
        int w = 1203, h = 37, dw = 97, dh = 11;
        var rgb = new byte[w * h * 3];
        rng.NextBytes(rgb);
        var s = new RgbResampler(IsaPath.Scalar);
        var v = new RgbResampler(Dispatch.Best);
        s.Prepare(w, h, dw, dh);
        v.Prepare(w, h, dw, dh);
        for (int y = 0; y < h; y++)
        {
            s.AddRow(y, rgb.AsSpan(y * w * 3, w * 3));
            v.AddRow(y, rgb.AsSpan(y * w * 3, w * 3));
        }
        var rs = new float[dw * 3];
        var rv = new float[dw * 3];
        for (int y = 0; y < dh; y++)
        {
            s.GetRow(y, rs);
            v.GetRow(y, rv);
            Assert.Equal(rs.Select(BitConverter.SingleToInt32Bits), rv.Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void Rows_out_of_order_are_rejected_on_a_vector_path()
    {
        if (Dispatch.Best == IsaPath.Scalar) return;
        var v = new RgbResampler(Dispatch.Best);
        v.Prepare(4, 16, 2, 2);
        v.AddRow(0, new byte[12]);
        var ex = Assert.Throws<InvalidOperationException>(() => v.AddRow(2, new byte[12]));
        Assert.Contains("out of order", ex.Message);
    }
}
