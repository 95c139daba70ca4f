using System.Buffers.Binary;
using System.IO.Compression;

namespace QuantKernels.Datasets.Tests;

/// <summary>Writes small Fashion-MNIST-format IDX files into a temporary folder (tests need no installed data set).</summary>
internal sealed class SyntheticFashionMnist : IDisposable
{
    public SyntheticFashionMnist(int count = 20, bool gzip = true)
    {
        Directory = Path.Combine(Path.GetTempPath(), "qk-fmnist-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        foreach (var prefix in new[] { "train", "t10k" })
        {
            var pixels = new byte[count * 28 * 28];
            var labels = new byte[count];
            for (int i = 0; i < count; i++)
            {
                labels[i] = (byte)(i % 10);
                // A filled rectangle whose size depends on the image: known, non-empty content.
                int w = 8 + i % 12, h = 10 + i % 8;
                for (int y = 2; y < 2 + h; y++)
                    for (int x = 3; x < 3 + w; x++) pixels[i * 784 + y * 28 + x] = 200;
            }
            Write(Path.Combine(Directory, $"{prefix}-images-idx3-ubyte"), [count, 28, 28], pixels, gzip);
            Write(Path.Combine(Directory, $"{prefix}-labels-idx1-ubyte"), [count], labels, gzip);
        }
    }

    public string Directory { get; }

    public static byte[] Idx(int[] dims, byte[] data)
    {
        var bytes = new byte[4 + 4 * dims.Length + data.Length];
        bytes[2] = 0x08;
        bytes[3] = (byte)dims.Length;
        for (int i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        data.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    private static void Write(string path, int[] dims, byte[] data, bool gzip)
    {
        var bytes = Idx(dims, data);
        if (!gzip) { File.WriteAllBytes(path, bytes); return; }
        using var f = File.Create(path + ".gz");
        using var z = new GZipStream(f, CompressionLevel.Fastest);
        z.Write(bytes);
    }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
