using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace QuantKernels.Kernels.Sparse;

/// <summary>
/// A read-only vector of non-negative indices stored as little-endian int32, uint16 or uint8 — the three encodings
/// TFLite's sparsity metadata allows for <c>array_segments</c> and <c>array_indices</c>. It views bytes in place
/// (e.g. a model file's flatbuffer vector), so nothing is converted or copied.
/// </summary>
public readonly struct SparseIndexArray
{
    private readonly ReadOnlyMemory<byte> _bytes;
    private readonly int _width;

    /// <summary>Views <paramref name="bytes"/> as little-endian elements of <paramref name="elementWidth"/> bytes (4 = int32, 2 = uint16, 1 = uint8).</summary>
    /// <exception cref="ArgumentException">The width is not 1, 2 or 4, or the byte length is not a multiple of it.</exception>
    public SparseIndexArray(ReadOnlyMemory<byte> bytes, int elementWidth)
    {
        if (elementWidth is not (1 or 2 or 4))
            throw new ArgumentException($"element width must be 1 (uint8), 2 (uint16) or 4 (int32), not {elementWidth}", nameof(elementWidth));
        if (bytes.Length % elementWidth != 0)
            throw new ArgumentException($"{bytes.Length} bytes is not a whole number of {elementWidth}-byte elements", nameof(bytes));
        _bytes = bytes;
        _width = elementWidth;
    }

    /// <summary>An int32 index vector (copies the values into little-endian bytes; meant for tests and small metadata).</summary>
    public static SparseIndexArray FromInt32(ReadOnlySpan<int> values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 4), values[i]);
        return new SparseIndexArray(bytes, 4);
    }

    /// <summary>A uint16 index vector (copies into little-endian bytes).</summary>
    public static SparseIndexArray FromUInt16(ReadOnlySpan<ushort> values)
    {
        var bytes = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), values[i]);
        return new SparseIndexArray(bytes, 2);
    }

    /// <summary>A uint8 index vector (copies).</summary>
    public static SparseIndexArray FromUInt8(ReadOnlySpan<byte> values) => new(values.ToArray(), 1);

    /// <summary>Bytes per element: 4 (int32), 2 (uint16) or 1 (uint8); 0 for a default (empty) instance.</summary>
    public int ElementWidth => _width;

    /// <summary>Number of elements.</summary>
    public int Length => _width == 0 ? 0 : _bytes.Length / _width;

    /// <summary>Element <paramref name="i"/> widened to int (int32 values may be negative; callers validate).</summary>
    public int this[int i]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            var s = _bytes.Span;
            return _width switch
            {
                4 => BinaryPrimitives.ReadInt32LittleEndian(s.Slice(i * 4, 4)),
                2 => BinaryPrimitives.ReadUInt16LittleEndian(s.Slice(i * 2, 2)),
                _ => s[i],
            };
        }
    }
}
