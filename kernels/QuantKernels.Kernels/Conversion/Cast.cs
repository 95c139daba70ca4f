using System.Numerics;

namespace QuantKernels.Kernels.Conversion;

/// <summary>
/// CAST between float32, int32, int64, int16, int8, uint8 and bool, as TFLite's static_cast does:
/// integer narrowing wraps (two's complement), int -&gt; float rounds to nearest, float -&gt; int truncates
/// toward zero. Out-of-range float -&gt; int is undefined in C++; here it saturates to int32 first (and to
/// int64 for int64 targets), then narrows by wrapping like x86's cvttss2si-then-truncate would for
/// in-int32-range values. bool: nonzero -&gt; true; true/false -&gt; 1/0.
/// </summary>
public static class Cast
{
    /// <summary>Numeric cast of each element.</summary>
    public static void Run<TIn, TOut>(ReadOnlySpan<TIn> input, Span<TOut> output)
        where TIn : unmanaged, INumberBase<TIn>
        where TOut : unmanaged, INumberBase<TOut>
    {
        if (input.Length != output.Length) throw new ArgumentException($"input has {input.Length} elements, output {output.Length}");
        bool floatToSmallInt = IsFloat<TIn>() && !IsFloat<TOut>() && typeof(TOut) != typeof(long) && typeof(TOut) != typeof(ulong);
        for (int i = 0; i < input.Length; i++)
        {
            if (floatToSmallInt)
                output[i] = TOut.CreateTruncating(int.CreateSaturating(input[i]));
            else
                output[i] = TOut.CreateTruncating(input[i]);
        }
    }

    /// <summary>Numeric -&gt; bool (x != 0).</summary>
    public static void ToBool<TIn>(ReadOnlySpan<TIn> input, Span<bool> output) where TIn : unmanaged, INumberBase<TIn>
    {
        if (input.Length != output.Length) throw new ArgumentException($"input has {input.Length} elements, output {output.Length}");
        for (int i = 0; i < input.Length; i++) output[i] = !TIn.IsZero(input[i]);
    }

    /// <summary>bool -&gt; numeric (1 or 0).</summary>
    public static void FromBool<TOut>(ReadOnlySpan<bool> input, Span<TOut> output) where TOut : unmanaged, INumberBase<TOut>
    {
        if (input.Length != output.Length) throw new ArgumentException($"input has {input.Length} elements, output {output.Length}");
        for (int i = 0; i < input.Length; i++) output[i] = input[i] ? TOut.One : TOut.Zero;
    }

    private static bool IsFloat<T>() => typeof(T) == typeof(float) || typeof(T) == typeof(double) || typeof(T) == typeof(Half);
}
