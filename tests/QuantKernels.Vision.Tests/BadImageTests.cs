using SixLabors.ImageSharp;
using System.Buffers.Binary;

namespace QuantKernels.Vision.Tests;

/// <summary>Hostile or broken image files: each gives an <see cref="ImageLoadException"/> naming the file, and the loader keeps working.</summary>
public class BadImageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qk-badimg-").FullName;
    private readonly ImageLoader _loader = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private void AssertRefused(string path, string reasonFragment)
    {
        var e = Assert.Throws<ImageLoadException>(() => _loader.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(reasonFragment, e.Message, StringComparison.OrdinalIgnoreCase);
        // Still healthy: a good image loads afterwards.
        using var good = _loader.Load(TestData.Image("dog.jpg"));
        Assert.Equal((768, 576), (good.Width, good.Height));
    }

    /// <summary>A valid PNG signature and IHDR chunk announcing the given size, with no image data.</summary>
    internal static byte[] PngHeader(uint width, uint height)
    {
        var b = new byte[8 + 25];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(b, 0);
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(8), 13);
        "IHDR"u8.CopyTo(b.AsSpan(12));
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(16), width);
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(20), height);
        b[24] = 8; b[25] = 2; // 8-bit RGB
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(29), Crc32(b.AsSpan(12, 17)));
        return b;
    }

    [Fact]
    public void Zero_bytes() => AssertRefused(Write("empty.jpg", []), "empty");

    [Fact]
    public void Random_bytes() => AssertRefused(Write("noise.png", RandomBytes(4096, 1)), "not a JPEG, PNG or BMP");

    [Fact]
    public void Missing_file() => AssertRefused(Path.Combine(_dir, "nope.jpg"), "not found");

    [Fact]
    public void Header_announcing_100k_by_100k_is_refused_before_decoding()
    {
        long before = GC.GetTotalAllocatedBytes(precise: true);
        AssertRefused(Write("huge.png", PngHeader(100_000, 100_000)), "pixel limit");
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 64L << 20, "refusing the header must not allocate the image");
    }

    [Fact]
    public void Truncated_png()
    {
        AssertRefused(Write("cut.png", File.ReadAllBytes(TestData.Image("chelsea.png"))[..200_000]), "truncated PNG");
    }

    [Theory]
    [InlineData(3000)]
    [InlineData(100_000)]
    public void Truncated_jpeg(int keep)
    {
        // Cut in the EXIF segment or in the compressed data; ImageSharp alone would return a grey-filled image for the latter.
        AssertRefused(Write("cut.jpg", File.ReadAllBytes(TestData.Image("dog.jpg"))[..keep]), keep < 10_000 ? "header" : "truncated JPEG");
    }

    [Fact]
    public void Truncated_bmp_and_complete_bmp()
    {
        using var source = _loader.Load(TestData.Image("chelsea.png"));
        var bmp = new MemoryStream();
        source.SaveAsBmp(bmp);
        using (var whole = _loader.Load(Write("whole.bmp", bmp.ToArray()))) Assert.Equal(451, whole.Width);
        AssertRefused(Write("cut.bmp", bmp.ToArray()[..(int)(bmp.Length / 2)]), "truncated BMP");
    }

    [Fact]
    public void Wrong_extension_still_decodes_by_content_and_other_formats_are_refused()
    {
        // Formats are recognised by their bytes, not the name: a PNG named .jpg loads.
        using var png = _loader.Load(Write("really-a-png.jpg", File.ReadAllBytes(TestData.Image("chelsea.png"))));
        Assert.Equal((451, 300), (png.Width, png.Height));
        // GIF is not among the decoders.
        byte[] gif = [.. "GIF89a"u8, 1, 0, 1, 0, 0, 0, 0, 0x3B];
        AssertRefused(Write("image.gif", gif), "not a JPEG, PNG or BMP");
    }

    /// <summary>The PNG chunk CRC (ISO 3309, reflected polynomial 0xEDB88320).</summary>
    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte x in data)
        {
            crc ^= x;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }

    internal static byte[] RandomBytes(int n, int seed)
    {
        var b = new byte[n];
        new Random(seed).NextBytes(b);
        return b;
    }
}
