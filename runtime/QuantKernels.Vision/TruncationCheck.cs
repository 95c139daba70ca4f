using System.Buffers.Binary;

namespace QuantKernels.Vision;

/// <summary>
/// Finds truncated files before decoding, which ImageSharp's decoders tolerate silently (they fill the missing part
/// with grey). A JPEG must reach its EOI marker (walking segments and the entropy-coded data), a PNG its IEND chunk,
/// an uncompressed BMP must hold all its rows. Linear in the file size, no allocation.
/// </summary>
internal static class TruncationCheck
{
    /// <summary>Null when the file is complete, else why it is not.</summary>
    public static string? Problem(ReadOnlySpan<byte> b)
    {
        if (b.Length >= 2 && b[0] == 0xFF && b[1] == 0xD8) return Jpeg(b);
        if (b.Length >= 8 && b[..8].SequenceEqual((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return Png(b);
        if (b.Length >= 2 && b[0] == (byte)'B' && b[1] == (byte)'M') return Bmp(b);
        return null; // not ours to judge: the decoder refuses it
    }

    private static string? Jpeg(ReadOnlySpan<byte> b)
    {
        int i = 2;
        while (true)
        {
            // Fill bytes (0xFF) may precede a marker.
            while (i < b.Length && b[i] == 0xFF && i + 1 < b.Length && b[i + 1] == 0xFF) i++;
            if (i + 1 >= b.Length) return "truncated JPEG (no end-of-image marker)";
            if (b[i] != 0xFF) return $"corrupt JPEG (expected a marker at byte {i})";
            byte m = b[i + 1];
            i += 2;
            if (m == 0xD9) return null; // EOI
            if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) continue; // TEM, RSTn: no length
            if (i + 2 > b.Length) return "truncated JPEG (inside a segment header)";
            int len = BinaryPrimitives.ReadUInt16BigEndian(b[i..]);
            if (len < 2) return $"corrupt JPEG (segment length {len} at byte {i})";
            i += len;
            if (i > b.Length) return "truncated JPEG (inside a segment)";
            if (m != 0xDA) continue;
            // After SOS: entropy-coded data until a marker other than a stuffed 0xFF00 or a restart marker.
            while (true)
            {
                int ff = b[i..].IndexOf((byte)0xFF);
                if (ff < 0 || i + ff + 1 >= b.Length) return "truncated JPEG (inside the compressed image data)";
                i += ff;
                byte next = b[i + 1];
                if (next == 0x00 || next == 0xFF || (next >= 0xD0 && next <= 0xD7)) { i += next == 0xFF ? 1 : 2; continue; }
                break;
            }
        }
    }

    private static string? Png(ReadOnlySpan<byte> b)
    {
        int i = 8;
        while (true)
        {
            if (i + 8 > b.Length) return "truncated PNG (no IEND chunk)";
            uint len = BinaryPrimitives.ReadUInt32BigEndian(b[i..]);
            if (len > int.MaxValue) return $"corrupt PNG (chunk length {len} at byte {i})";
            bool end = b.Slice(i + 4, 4).SequenceEqual("IEND"u8);
            long next = (long)i + 12 + len;
            if (next > b.Length) return "truncated PNG (inside a chunk)";
            if (end) return null;
            i = (int)next;
        }
    }

    private static string? Bmp(ReadOnlySpan<byte> b)
    {
        if (b.Length < 30) return "truncated BMP (header)";
        uint offset = BinaryPrimitives.ReadUInt32LittleEndian(b[10..]);
        uint dib = BinaryPrimitives.ReadUInt32LittleEndian(b[14..]);
        if (dib < 40 || b.Length < 14 + 40) return null; // old OS/2 headers: leave to the decoder
        long w = BinaryPrimitives.ReadInt32LittleEndian(b[18..]);
        long h = Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(b[22..]));
        int bpp = BinaryPrimitives.ReadUInt16LittleEndian(b[28..]);
        uint compression = BinaryPrimitives.ReadUInt32LittleEndian(b[30..]);
        if (compression is not (0 or 3) || w <= 0 || bpp is 0 or > 32) return null; // RLE etc.: sizes vary
        long row = (w * bpp + 31) / 32 * 4;
        long need = offset + row * h;
        return need > b.Length ? $"truncated BMP ({b.Length} bytes; {w}x{h} at {bpp} bits needs {need})" : null;
    }
}
