using System.Buffers.Binary;
using System.IO.Compression;

namespace QuantKernels.Datasets.FashionMnist;

/// <summary>
/// Reads unsigned-byte IDX files (the MNIST/Fashion-MNIST format: big-endian magic 0x0000_08_NN with NN = number of
/// dimensions, NN big-endian int32 sizes, then the bytes), plain or gzip-compressed.
/// </summary>
public static class IdxReader
{
    /// <summary>Largest payload accepted, so a corrupt header cannot make the reader allocate without bound.</summary>
    public const long MaxPayloadBytes = 1L << 30;

    /// <summary>Reads <paramref name="path"/>; returns its dimensions and bytes.</summary>
    /// <exception cref="InvalidDataException">The file is not a well-formed unsigned-byte IDX file.</exception>
    public static (int[] Dimensions, byte[] Data) Read(string path)
    {
        using var file = File.OpenRead(path);
        Stream stream = file;
        Span<byte> gz = stackalloc byte[2];
        bool compressed = file.Read(gz) == 2 && gz[0] == 0x1f && gz[1] == 0x8b;
        file.Position = 0;
        if (compressed) stream = new GZipStream(file, CompressionMode.Decompress);
        try
        {
            return Read(stream, path);
        }
        finally
        {
            if (compressed) stream.Dispose();
        }
    }

    /// <summary>Reads an IDX stream; <paramref name="name"/> names it in error messages.</summary>
    public static (int[] Dimensions, byte[] Data) Read(Stream stream, string name)
    {
        Span<byte> header = stackalloc byte[4];
        ReadExactly(stream, header, name, "the magic number");
        if (header[0] != 0 || header[1] != 0)
            throw new InvalidDataException($"{name}: not an IDX file (magic {Convert.ToHexString(header)})");
        if (header[2] != 0x08)
            throw new InvalidDataException($"{name}: IDX element type 0x{header[2]:X2} is not unsigned byte (0x08)");
        int rank = header[3];
        if (rank is < 1 or > 4) throw new InvalidDataException($"{name}: IDX rank {rank} is outside 1..4");
        var dims = new int[rank];
        long total = 1;
        for (int i = 0; i < rank; i++)
        {
            ReadExactly(stream, header, name, $"dimension {i}");
            int d = BinaryPrimitives.ReadInt32BigEndian(header);
            if (d <= 0) throw new InvalidDataException($"{name}: dimension {i} is {d}");
            dims[i] = d;
            total *= d;
            if (total > MaxPayloadBytes) throw new InvalidDataException($"{name}: payload larger than {MaxPayloadBytes} bytes");
        }
        var data = new byte[total];
        ReadExactly(stream, data, name, "the data");
        return (dims, data);
    }

    private static void ReadExactly(Stream s, Span<byte> into, string name, string what)
    {
        int read = 0;
        while (read < into.Length)
        {
            int n = s.Read(into[read..]);
            if (n == 0) throw new InvalidDataException($"{name}: file ends inside {what} ({read} of {into.Length} bytes)");
            read += n;
        }
    }
}
