using QuantKernels.Kernels.Elementwise;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Activations;

/// <summary>
/// 256-entry lookup tables for int8/uint8 unary ops: any function of one 8-bit input is a table of its raw byte.
/// Tables are built once at Prepare into a caller-owned 256-byte span and applied per call without allocation.
/// Indexing is by the raw byte (int8 -1 is entry 255), as TFLite's LUT kernels do.
/// </summary>
public static class QuantizedLut
{
    /// <summary>Table length.</summary>
    public const int Size = 256;

    /// <summary>Applies a table built for element type T.</summary>
    /// <param name="table">256-entry table from one of the Build methods.</param>
    /// <param name="input">Quantized input.</param>
    /// <param name="output">Quantized output (same length; may alias the input).</param>
    public static void Apply<T>(ReadOnlySpan<byte> table, ReadOnlySpan<T> input, Span<T> output) where T : unmanaged
    {
        Q8.Check<T>();
        if (table.Length != Size) throw new ArgumentException($"table must have {Size} entries, has {table.Length}", nameof(table));
        if (input.Length != output.Length) throw new ArgumentException($"input has {input.Length} elements but output has {output.Length}");
        for (int i = 0; i < input.Length; i++)
        {
            byte v = table[Q8.Index(input[i])];
            output[i] = Q8.FromInt<T>(typeof(T) == typeof(sbyte) ? (sbyte)v : v);
        }
    }

    /// <summary>
    /// Builds a table from a float function: x = s_in * (q - z_in) in float32, y = f(x), q_out = round(y * (1 / s_out)) + z_out,
    /// clamped to T's range. <see cref="RequantConvention.Xnnpack"/> rounds half to even (XNNPACK's lut-elementwise
    /// operator setup, <c>lrintf</c>); <see cref="RequantConvention.Reference"/> rounds half away from zero (TFLite's
    /// activations.cc <c>PopulateLookupTable</c> / <c>LUTPopulate</c>, <c>std::round</c>).
    /// </summary>
    /// <param name="convention">Rounding convention.</param>
    /// <param name="inScale">Input scale.</param>
    /// <param name="inZeroPoint">Input zero point.</param>
    /// <param name="outScale">Output scale.</param>
    /// <param name="outZeroPoint">Output zero point.</param>
    /// <param name="function">The float function (called 256 times here, never per inference).</param>
    /// <param name="table">Destination, 256 bytes.</param>
    public static void BuildFromFloat<T>(RequantConvention convention, float inScale, int inZeroPoint, float outScale, int outZeroPoint,
        Func<float, float> function, Span<byte> table) where T : unmanaged
    {
        Q8.Check<T>();
        Q8.CheckScale(inScale, nameof(inScale));
        Q8.CheckScale(outScale, nameof(outScale));
        Q8.CheckZeroPoint<T>(inZeroPoint, nameof(inZeroPoint));
        Q8.CheckZeroPoint<T>(outZeroPoint, nameof(outZeroPoint));
        if (table.Length != Size) throw new ArgumentException($"table must have {Size} entries, has {table.Length}", nameof(table));
        ArgumentNullException.ThrowIfNull(function);
        int min = Q8.Min<T>(), max = Q8.Max<T>();
        float inverseScale = 1f / outScale;
        var mode = convention == RequantConvention.Xnnpack ? MidpointRounding.ToEven : MidpointRounding.AwayFromZero;
        for (int q = min; q <= max; q++)
        {
            float x = inScale * (q - inZeroPoint);
            float y = function(x);
            float r = MathF.Round(y * inverseScale, mode);
            int v = float.IsNaN(r) ? outZeroPoint : (int)Math.Clamp(r + outZeroPoint, min, max);
            table[(byte)q] = (byte)v;
        }
    }

    /// <summary>Builds a table from an integer function of the raw input value (for ops whose reference is integer arithmetic).</summary>
    public static void BuildFromInteger<T>(Func<int, int> function, Span<byte> table) where T : unmanaged
    {
        Q8.Check<T>();
        if (table.Length != Size) throw new ArgumentException($"table must have {Size} entries, has {table.Length}", nameof(table));
        int min = Q8.Min<T>(), max = Q8.Max<T>();
        for (int q = min; q <= max; q++) table[(byte)q] = (byte)Math.Clamp(function(q), min, max);
    }
}
