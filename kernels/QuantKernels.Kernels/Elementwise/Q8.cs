using System.Runtime.CompilerServices;

namespace QuantKernels.Kernels.Elementwise;

/// <summary>
/// Helpers for kernels generic over the two 8-bit quantized element types (sbyte = int8, byte = uint8).
/// The <c>typeof(T)</c> tests are JIT-time constants, so each instantiation compiles to straight-line code.
/// </summary>
public static class Q8
{
    /// <summary>Throws unless T is sbyte or byte.</summary>
    public static void Check<T>() where T : unmanaged
    {
        if (typeof(T) != typeof(sbyte) && typeof(T) != typeof(byte))
            throw new NotSupportedException($"quantized kernels take sbyte (int8) or byte (uint8), not {typeof(T).Name}");
    }

    /// <summary>Smallest value of T (-128 or 0).</summary>
    public static int Min<T>() where T : unmanaged => typeof(T) == typeof(sbyte) ? sbyte.MinValue : byte.MinValue;

    /// <summary>Largest value of T (127 or 255).</summary>
    public static int Max<T>() where T : unmanaged => typeof(T) == typeof(sbyte) ? sbyte.MaxValue : byte.MaxValue;

    /// <summary>Widens an int8/uint8 element to int.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ToInt<T>(T v) where T : unmanaged
        => typeof(T) == typeof(sbyte) ? Unsafe.As<T, sbyte>(ref v) : Unsafe.As<T, byte>(ref v);

    /// <summary>Narrows an int already clamped to T's range.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T FromInt<T>(int v) where T : unmanaged
    {
        if (typeof(T) == typeof(sbyte)) { sbyte s = (sbyte)v; return Unsafe.As<sbyte, T>(ref s); }
        byte u = (byte)v;
        return Unsafe.As<byte, T>(ref u);
    }

    /// <summary>Table index of an element: the raw byte (int8 -1 -> 255), as TFLite's LUT kernels index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Index<T>(T v) where T : unmanaged => Unsafe.As<T, byte>(ref v);

    /// <summary>Validates a zero point against T's range.</summary>
    public static void CheckZeroPoint<T>(int zeroPoint, string paramName) where T : unmanaged
    {
        if (zeroPoint < Min<T>() || zeroPoint > Max<T>())
            throw new ArgumentOutOfRangeException(paramName, zeroPoint, $"zero point outside [{Min<T>()}, {Max<T>()}]");
    }

    /// <summary>Validates a scale: finite and positive.</summary>
    public static void CheckScale(float scale, string paramName)
    {
        if (!(scale > 0) || !float.IsFinite(scale))
            throw new ArgumentOutOfRangeException(paramName, scale, "scale must be finite and positive");
    }
}
