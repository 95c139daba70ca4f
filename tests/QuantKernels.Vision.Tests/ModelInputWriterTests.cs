using QuantKernels.Runtime;
using QuantKernels.Vision.Preprocessing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace QuantKernels.Vision.Tests;

/// <summary>Resizing into input tensors: values, normalization, quantization, letterbox geometry and the inverse mapping.</summary>
public class ModelInputWriterTests
{
    private static byte[] Solid(int w, int h, byte r, byte g, byte b)
    {
        var rgb = new byte[w * h * 3];
        for (int i = 0; i < rgb.Length; i += 3) (rgb[i], rgb[i + 1], rgb[i + 2]) = (r, g, b);
        return rgb;
    }

    [Fact]
    public void Same_size_stretch_copies_pixels_normalized()
    {
        var rgb = new byte[4 * 3 * 3];
        for (int i = 0; i < rgb.Length; i++) rgb[i] = (byte)(i * 7);
        using var t = new InputTensors(4, 3, TensorType.Float32);
        var tr = new ModelInputWriter().Write(rgb, 4, 3, t.Input, ModelInputSpec.Default);
        var v = t.Input.AsReadOnlySpan<float>();
        for (int i = 0; i < rgb.Length; i++) Assert.Equal(rgb[i] / 127.5f - 1f, v[i], 1e-5f);
        Assert.Equal(new ImageTransform(4, 3, 4, 3, 1, 1, 0, 0), tr);
    }

    [Fact]
    public void Solid_colour_survives_any_resize_and_quantizes_with_the_tensors_parameters()
    {
        var rgb = Solid(37, 23, 10, 128, 250);
        using var t = new InputTensors(8, 16, TensorType.UInt8, 1f / 128, 128);
        new ModelInputWriter().Write(rgb, 37, 23, t.Input, ModelInputSpec.Default);
        // (p / 127.5 - 1) * 128 + 128
        byte[] expected = [.. new[] { 10, 128, 250 }.Select(p => (byte)Math.Clamp((int)MathF.Round((p / 127.5f - 1f) * 128) + 128, 0, 255))];
        var v = t.Input.AsReadOnlySpan<byte>();
        for (int i = 0; i < v.Length; i++) Assert.Equal(expected[i % 3], v[i]);
    }

    [Fact]
    public void Int8_input_uses_mean_std_per_channel()
    {
        var rgb = Solid(5, 5, 100, 150, 200);
        using var t = new InputTensors(3, 3, TensorType.Int8, 0.05f, -10);
        var spec = new ModelInputSpec { Normalization = new InputNormalization(100, 100, 100, 50, 25, 10) };
        new ModelInputWriter().Write(rgb, 5, 5, t.Input, spec);
        // real values 0, 2, 10 -> q = v / 0.05 - 10 = -10, 30, 127 (190 clamped)
        var v = t.Input.AsReadOnlySpan<sbyte>();
        Assert.Equal([-10, 30, 127], v[..3].ToArray().Select(x => (int)x));
    }

    [Fact]
    public void Downscaling_averages_instead_of_aliasing()
    {
        // A 1-pixel checkerboard shrunk 4x: plain bilinear would sample single pixels (0 or 255); the antialiased filter gives grey.
        const int W = 64, H = 64;
        var rgb = new byte[W * H * 3];
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
                rgb.AsSpan((y * W + x) * 3, 3).Fill((byte)(((x + y) & 1) * 255));
        using var t = new InputTensors(16, 16, TensorType.Float32);
        new ModelInputWriter().Write(rgb, W, H, t.Input, new ModelInputSpec { Normalization = InputNormalization.Identity });
        foreach (float v in t.Input.AsReadOnlySpan<float>()) Assert.InRange(v, 110f, 145f);
    }

    [Fact]
    public void Letterbox_centres_the_image_pads_and_maps_boxes_back()
    {
        var rgb = Solid(200, 100, 255, 255, 255);
        using var t = new InputTensors(100, 100, TensorType.Float32);
        var spec = new ModelInputSpec { Resize = ResizeMode.Letterbox, Normalization = InputNormalization.Identity, PadColor = (0, 0, 0) };
        var tr = new ModelInputWriter().Write(rgb, 200, 100, t.Input, spec);
        Assert.Equal((0, 25, 100, 50), tr.Content);
        var v = t.Input.AsReadOnlySpan<float>();
        Assert.Equal(0f, v[(10 * 100 + 50) * 3]);            // top bar
        Assert.Equal(255f, v[(50 * 100 + 50) * 3], 1e-3f);  // content
        Assert.Equal(0f, v[(90 * 100 + 50) * 3]);            // bottom bar
        // The content's corners map to the source's corners; a box in the bar clamps to the edge.
        var box = tr.ToSource(0.25f, 0f, 0.75f, 1f);
        Assert.Equal(new BoundingBox(0, 0, 200, 100), box);
        Assert.Equal(0f, tr.ToSourceY(0.1f));
    }

    [Fact]
    public void Image_and_raw_buffer_paths_write_the_same_tensor()
    {
        var rgb = new byte[31 * 17 * 3];
        new Random(5).NextBytes(rgb);
        using var image = Image.LoadPixelData<Rgb24>(rgb, 31, 17);
        using var a = new InputTensors(12, 9, TensorType.Float32);
        using var b = new InputTensors(12, 9, TensorType.Float32);
        var writer = new ModelInputWriter();
        writer.Write(image, a.Input, ModelInputSpec.Default);
        writer.Write(rgb, 31, 17, b.Input, ModelInputSpec.Default);
        Assert.Equal(a.Input.AsReadOnlySpan<float>().ToArray(), b.Input.AsReadOnlySpan<float>().ToArray());
    }

    [Fact]
    public void Wrong_buffer_size_or_tensor_shape_is_rejected()
    {
        using var t = new InputTensors(4, 4, TensorType.Float32);
        var w = new ModelInputWriter();
        Assert.Throws<ArgumentException>(() => w.Write(new byte[10], 2, 2, t.Input, ModelInputSpec.Default));
        Assert.Throws<ArgumentException>(() => w.Write(new byte[12], 0, 4, t.Input, ModelInputSpec.Default));
    }
}
