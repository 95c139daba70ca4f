using System.Buffers.Binary;
using System.Text;

namespace QuantKernels.Runtime.FlexBuffers;

/// <summary>
/// A bounds-checked reader of a FlexBuffers document whose root is a map with string keys and scalar values
/// (int, uint, float, bool, null; their indirect forms too), the shape of TFLite custom options. Every width,
/// offset and length is checked against the buffer; anything malformed is a <see cref="ModelFormatException"/>
/// naming the owner (the operator). Values of other types (strings, vectors, maps) are recorded as
/// <see cref="FlexBufferValueKind.Other"/> and never dereferenced.
/// </summary>
public sealed class FlexBufferMap
{
    // FlexBuffers type codes (flexbuffers.h).
    private const int TypeNull = 0, TypeInt = 1, TypeUInt = 2, TypeFloat = 3, TypeIndirectInt = 6, TypeIndirectUInt = 7,
        TypeIndirectFloat = 8, TypeMap = 9, TypeBool = 26;

    private readonly Dictionary<string, FlexBufferValue> _values;
    private readonly string[] _keys;

    private FlexBufferMap(Dictionary<string, FlexBufferValue> values, string[] keys)
    {
        _values = values;
        _keys = keys;
    }

    /// <summary>The keys, in stored order.</summary>
    public IReadOnlyList<string> Keys => _keys;

    /// <summary>Number of entries.</summary>
    public int Count => _keys.Length;

    /// <summary>The value of <paramref name="key"/>, if present.</summary>
    public bool TryGetValue(string key, out FlexBufferValue value) => _values.TryGetValue(key, out value);

    /// <summary>Parses <paramref name="data"/>; <paramref name="owner"/> (e.g. "operator 3 (TFLite_Detection_PostProcess)") prefixes error messages.</summary>
    /// <exception cref="ModelFormatException">The bytes are not a well-formed flexbuffer map.</exception>
    public static FlexBufferMap Parse(ReadOnlySpan<byte> data, string owner)
    {
        var r = new Reader(data, owner);
        if (data.Length < 3) throw r.Error($"{data.Length} bytes are too few for a flexbuffer");
        int rootWidth = data[^1];
        r.CheckWidth(rootWidth, "root byte width");
        int rootType = data[^2];
        long rootPos = data.Length - 2L - rootWidth;
        if (rootPos < 0) throw r.Error($"root byte width {rootWidth} does not fit in {data.Length} bytes");
        if (rootType >> 2 != TypeMap) throw r.Error($"root has type {rootType >> 2}, expected a map ({TypeMap})");
        int mapWidth = 1 << (rootType & 3);

        long mapData = r.Indirect(rootPos, rootWidth, "map");
        long size = r.ReadUInt(mapData - mapWidth, mapWidth, "map size");
        long keysField = mapData - 3L * mapWidth;
        long keysData = r.Indirect(keysField, mapWidth, "keys vector");
        long keysWidthRaw = r.ReadUInt(keysField + mapWidth, mapWidth, "keys byte width");
        if (keysWidthRaw is not (1 or 2 or 4 or 8)) throw r.Error($"keys byte width {keysWidthRaw} is not 1, 2, 4 or 8");
        int keysWidth = (int)keysWidthRaw;
        long keysCount = r.ReadUInt(keysData - keysWidth, keysWidth, "keys vector length");
        if (keysCount != size) throw r.Error($"map has {size} values but {keysCount} keys");
        // values (size * width) then one type byte per value
        if (size > data.Length || mapData + size * mapWidth + size > data.Length)
            throw r.Error($"map of {size} values of {mapWidth} bytes at {mapData} runs past the {data.Length}-byte buffer");
        if (keysData + size * keysWidth > data.Length)
            throw r.Error($"keys vector of {size} entries at {keysData} runs past the {data.Length}-byte buffer");

        var values = new Dictionary<string, FlexBufferValue>(StringComparer.Ordinal);
        var keys = new string[size];
        for (int i = 0; i < size; i++)
        {
            long keyPos = r.Indirect(keysData + (long)i * keysWidth, keysWidth, $"key {i}");
            string key = r.ReadKey(keyPos, i);
            if (!values.TryAdd(key, ReadValue(r, mapData + (long)i * mapWidth, mapWidth, data[(int)(mapData + size * mapWidth + i)], key)))
                throw r.Error($"key '{key}' appears twice");
            keys[i] = key;
        }
        return new FlexBufferMap(values, keys);
    }

    private static FlexBufferValue ReadValue(Reader r, long pos, int parentWidth, byte packed, string key)
    {
        int type = packed >> 2;
        int width = 1 << (packed & 3);
        switch (type)
        {
            case TypeNull: return new(FlexBufferValueKind.Null, 0, 0, 0);
            case TypeInt: { long v = r.ReadInt(pos, parentWidth, key); return new(FlexBufferValueKind.Int, v, (ulong)v, v); }
            case TypeUInt: { ulong v = (ulong)r.ReadUIntRaw(pos, parentWidth, key); return new(FlexBufferValueKind.UInt, (long)v, v, v); }
            case TypeBool: { long v = r.ReadUIntRaw(pos, parentWidth, key) != 0 ? 1 : 0; return new(FlexBufferValueKind.Bool, v, (ulong)v, v); }
            case TypeFloat: { double v = r.ReadFloat(pos, parentWidth, key); return new(FlexBufferValueKind.Float, 0, 0, v); }
            case TypeIndirectInt: { long v = r.ReadInt(r.Indirect(pos, parentWidth, key), width, key); return new(FlexBufferValueKind.Int, v, (ulong)v, v); }
            case TypeIndirectUInt: { ulong v = (ulong)r.ReadUIntRaw(r.Indirect(pos, parentWidth, key), width, key); return new(FlexBufferValueKind.UInt, (long)v, v, v); }
            case TypeIndirectFloat: { double v = r.ReadFloat(r.Indirect(pos, parentWidth, key), width, key); return new(FlexBufferValueKind.Float, 0, 0, v); }
            default:
                if (type > 36) throw r.Error($"value '{key}' has unknown type {type}");
                return new(FlexBufferValueKind.Other, 0, 0, 0);
        }
    }

    /// <summary>Checked primitive reads over the buffer.</summary>
    private readonly ref struct Reader(ReadOnlySpan<byte> data, string owner)
    {
        private readonly ReadOnlySpan<byte> _data = data;

        public ModelFormatException Error(string message) => new($"{owner}: custom options: {message}");

        public void CheckWidth(long width, string what)
        {
            if (width is not (1 or 2 or 4 or 8)) throw Error($"{what} {width} is not 1, 2, 4 or 8");
        }

        private ReadOnlySpan<byte> At(long pos, int width, string what)
        {
            if (pos < 0 || pos + width > _data.Length) throw Error($"{what}: {width} bytes at {pos} lie outside the {_data.Length}-byte buffer");
            return _data.Slice((int)pos, width);
        }

        /// <summary>Unsigned read returned as raw 64 bits.</summary>
        public long ReadUIntRaw(long pos, int width, string what)
        {
            var b = At(pos, width, what);
            return width switch
            {
                1 => b[0],
                2 => BinaryPrimitives.ReadUInt16LittleEndian(b),
                4 => BinaryPrimitives.ReadUInt32LittleEndian(b),
                _ => (long)BinaryPrimitives.ReadUInt64LittleEndian(b),
            };
        }

        /// <summary>Unsigned read that must fit a non-negative long (sizes, offsets).</summary>
        public long ReadUInt(long pos, int width, string what)
        {
            long v = ReadUIntRaw(pos, width, what);
            if (v < 0) throw Error($"{what} {(ulong)v} is out of range");
            return v;
        }

        public long ReadInt(long pos, int width, string what)
        {
            var b = At(pos, width, what);
            return width switch
            {
                1 => (sbyte)b[0],
                2 => BinaryPrimitives.ReadInt16LittleEndian(b),
                4 => BinaryPrimitives.ReadInt32LittleEndian(b),
                _ => BinaryPrimitives.ReadInt64LittleEndian(b),
            };
        }

        public double ReadFloat(long pos, int width, string what)
        {
            var b = At(pos, width, what);
            return width switch
            {
                4 => BinaryPrimitives.ReadSingleLittleEndian(b),
                8 => BinaryPrimitives.ReadDoubleLittleEndian(b),
                _ => throw Error($"{what}: float of {width} bytes is not supported"),
            };
        }

        /// <summary>Follows an offset stored at <paramref name="pos"/> backwards; the target must lie inside the buffer.</summary>
        public long Indirect(long pos, int width, string what)
        {
            long offset = ReadUInt(pos, width, what + " offset");
            long target = pos - offset;
            if (target < 0 || target >= _data.Length) throw Error($"{what}: offset {offset} at {pos} points outside the buffer");
            return target;
        }

        public string ReadKey(long pos, int index)
        {
            var rest = _data[(int)pos..];
            int end = rest.IndexOf((byte)0);
            if (end < 0) throw Error($"key {index} at {pos} has no terminating zero");
            try { return new UTF8Encoding(false, true).GetString(rest[..end]); }
            catch (DecoderFallbackException e) { throw new ModelFormatException($"{owner}: custom options: key {index} is not valid UTF-8", e); }
        }
    }
}
