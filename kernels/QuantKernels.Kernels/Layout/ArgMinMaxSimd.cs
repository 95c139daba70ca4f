using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace QuantKernels.Kernels.Layout;

/// <summary>
/// ARG_MAX / ARG_MIN of int8/uint8 tensors over the innermost axis (a segmentation head's classes), vectorized along
/// that axis: the extreme value of each position by lane-wise max/min and a shuffle reduction, then the first lane
/// equal to it — the lowest index among ties, as <see cref="ArgMinMax.Run{T, TIndex}"/> (strict comparison) gives.
/// Other types, other axes and axes shorter than a vector run the scalar kernel.
/// </summary>
public static class ArgMinMaxSimd
{
    /// <summary><see cref="ArgMinMax.Run{T, TIndex}"/> on <paramref name="path"/>; arguments as there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, TIndex>(IsaPath path, ReadOnlySpan<T> input, ReadOnlySpan<int> inputShape, int axis, bool isMax, Span<TIndex> output)
        where T : unmanaged, INumber<T>
        where TIndex : unmanaged, IBinaryInteger<TIndex>
    {
        bool signed = typeof(T) == typeof(sbyte);
        path = VectorPath.Of(path);
        int a = TensorShape.ResolveAxis(axis, inputShape.Length);
        int size = inputShape[a];
        if (path == IsaPath.Scalar || (!signed && typeof(T) != typeof(byte)) || a != inputShape.Length - 1 || size < Vector128<byte>.Count)
        {
            ArgMinMax.Run(input, inputShape, axis, isMax, output);
            return;
        }
        TensorShape.CheckLength(input.Length, inputShape, nameof(input));
        int outer = TensorShape.Product(inputShape, 0, a);
        if (output.Length != outer) throw new ArgumentException($"output holds {output.Length} elements, expected {outer}", nameof(output));
        ref byte src = ref MemoryMarshal.GetReference(MemoryMarshal.AsBytes(input));
        // Flipping the sign bit maps int8 order onto uint8 order, so one unsigned kernel serves both.
        var flip = Vector128.Create(signed ? (byte)0x80 : (byte)0);
        for (int o = 0; o < outer; o++)
        {
            ref byte row = ref Unsafe.Add(ref src, (nint)o * size);
            var m = Vector128.LoadUnsafe(ref row) ^ flip;
            for (int i = 16; i < size; i += 16)
            {
                var v = Vector128.LoadUnsafe(ref row, (nuint)Math.Min(i, size - 16)) ^ flip;
                m = isMax ? Vector128.Max(m, v) : Vector128.Min(m, v);
            }
            var best = Vector128.Create((byte)(Reduce(m, isMax) ^ flip.ToScalar()));
            int index = 0;
            for (int i = 0; ; i += 16)
            {
                int at = Math.Min(i, size - 16);
                uint mask = Vector128.Equals(Vector128.LoadUnsafe(ref row, (nuint)at), best).ExtractMostSignificantBits();
                if (mask != 0) { index = at + BitOperations.TrailingZeroCount(mask); break; }
            }
            output[o] = TIndex.CreateTruncating(index);
        }
    }

    /// <summary>The largest (smallest) of the 16 unsigned lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte Reduce(Vector128<byte> m, bool isMax)
    {
        var s = Vector128.Shuffle(m.AsUInt64(), Vector128.Create(1ul, 0ul)).AsByte();
        m = isMax ? Vector128.Max(m, s) : Vector128.Min(m, s);
        s = Vector128.Shuffle(m.AsUInt32(), Vector128.Create(1u, 0u, 3u, 2u)).AsByte();
        m = isMax ? Vector128.Max(m, s) : Vector128.Min(m, s);
        s = Vector128.Shuffle(m.AsUInt16(), Vector128.Create((ushort)1, 0, 3, 2, 5, 4, 7, 6)).AsByte();
        m = isMax ? Vector128.Max(m, s) : Vector128.Min(m, s);
        s = Vector128.Shuffle(m, Vector128.Create((byte)1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14));
        m = isMax ? Vector128.Max(m, s) : Vector128.Min(m, s);
        return m.ToScalar();
    }
}
