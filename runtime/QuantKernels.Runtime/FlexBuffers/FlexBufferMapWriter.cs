using System.Buffers.Binary;
using System.Text;

namespace QuantKernels.Runtime.FlexBuffers;

/// <summary>
/// Writes a FlexBuffers map of scalar values (the shape of TFLite custom options). Every slot is 8 bytes wide,
/// which all readers accept; keys are sorted by their UTF-8 bytes, as flexbuffers' binary-search lookup requires.
/// </summary>
public sealed class FlexBufferMapWriter
{
    private readonly List<(byte[] Key, int Type, long Bits)> _entries = [];

    /// <summary>Adds a signed integer.</summary>
    public FlexBufferMapWriter Int(string key, long value) => Add(key, 1, value);

    /// <summary>Adds a float (stored as a double, exact for any float).</summary>
    public FlexBufferMapWriter Float(string key, double value) => Add(key, 3, BitConverter.DoubleToInt64Bits(value));

    /// <summary>Adds a boolean.</summary>
    public FlexBufferMapWriter Bool(string key, bool value) => Add(key, 26, value ? 1 : 0);

    private FlexBufferMapWriter Add(string key, int type, long bits)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (key.Contains('\0')) throw new ArgumentException("a key cannot contain NUL", nameof(key));
        var bytes = Encoding.UTF8.GetBytes(key);
        if (_entries.Exists(e => e.Key.AsSpan().SequenceEqual(bytes))) throw new ArgumentException($"key '{key}' was already added", nameof(key));
        _entries.Add((bytes, type, bits));
        return this;
    }

    /// <summary>The flexbuffer bytes.</summary>
    public byte[] Build()
    {
        var entries = _entries.OrderBy(e => e.Key, Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b))).ToArray();
        var buf = new List<byte>();
        var keyPos = new long[entries.Length];
        for (int i = 0; i < entries.Length; i++)
        {
            keyPos[i] = buf.Count;
            buf.AddRange(entries[i].Key);
            buf.Add(0);
        }
        while (buf.Count % 8 != 0) buf.Add(0);
        void U64(long v) { Span<byte> b = stackalloc byte[8]; BinaryPrimitives.WriteInt64LittleEndian(b, v); foreach (var x in b) buf.Add(x); }

        U64(entries.Length);                       // keys vector length
        long keysData = buf.Count;
        for (int i = 0; i < entries.Length; i++) U64(buf.Count - keyPos[i]);
        long keysField = buf.Count;
        U64(keysField - keysData);                 // offset back to the keys vector
        U64(8);                                    // keys byte width
        U64(entries.Length);                       // map size
        long mapData = buf.Count;
        foreach (var e in entries) U64(e.Bits);
        foreach (var e in entries) buf.Add((byte)((e.Type << 2) | 3));
        U64(buf.Count - mapData);                  // root: offset back to the map
        buf.Add((9 << 2) | 3);                     // root type: map, 8-byte slots
        buf.Add(8);                                // root byte width
        return buf.ToArray();
    }
}
