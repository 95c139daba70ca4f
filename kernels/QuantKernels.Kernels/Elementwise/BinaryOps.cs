using System.Numerics;
using System.Runtime.CompilerServices;

namespace QuantKernels.Kernels.Elementwise;

// Element ops for float and integer tensors. The clamp range is a field so that ADD/SUB/MUL/DIV
// apply TFLite's fused activation (ActivationFunctionWithMinMax: min(max(x, lo), hi)) in the same pass.

internal readonly struct AddOp<T>(T lo, T hi) : IBinaryElementOp<T, T, T> where T : INumber<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Invoke(T a, T b) => Clamp.MinMax(unchecked(a + b), lo, hi);
}

internal readonly struct SubOp<T>(T lo, T hi) : IBinaryElementOp<T, T, T> where T : INumber<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Invoke(T a, T b) => Clamp.MinMax(unchecked(a - b), lo, hi);
}

internal readonly struct MulOp<T>(T lo, T hi) : IBinaryElementOp<T, T, T> where T : INumber<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Invoke(T a, T b) => Clamp.MinMax(unchecked(a * b), lo, hi);
}

internal readonly struct DivOp<T>(T lo, T hi) : IBinaryElementOp<T, T, T> where T : INumber<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Invoke(T a, T b)
    {
        // Integer division by zero: TFLite's DIV reports "Division by zero" for int32; we throw the same way.
        if (T.IsZero(b) && typeof(T) != typeof(float) && typeof(T) != typeof(double))
            throw new DivideByZeroException("DIV: division by zero");
        return Clamp.MinMax(a / b, lo, hi);
    }
}

internal readonly struct FloorDivOp<T> : IBinaryElementOp<T, T, T> where T : INumber<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Invoke(T a, T b)
    {
        if (typeof(T) == typeof(float))
        {
            // TFLite: std::floor(x / y) in float.
            float r = MathF.Floor(Unsafe.As<T, float>(ref a) / Unsafe.As<T, float>(ref b));
            return Unsafe.As<float, T>(ref r);
        }
        if (T.IsZero(b)) throw new DivideByZeroException("FLOOR_DIV: division by zero");
        // TFLite's integer FloorDiv: truncated quotient, minus one when the signs differ and it is inexact.
        T q = a / b;
        if (q * b != a && (T.IsNegative(a) != T.IsNegative(b))) q -= T.One;
        return q;
    }
}

internal readonly struct MaxOp<T> : IBinaryElementOp<T, T, T> where T : INumber<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Invoke(T a, T b) => a > b ? a : b;
}

internal readonly struct MinOp<T> : IBinaryElementOp<T, T, T> where T : INumber<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Invoke(T a, T b) => a < b ? a : b;
}

internal static class Clamp
{
    /// <summary>TFLite's ActivationFunctionWithMinMax: min(max(x, lo), hi), comparisons as std::max/std::min do them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MinMax<T>(T x, T lo, T hi) where T : INumber<T>
    {
        T y = x < lo ? lo : x;
        return hi < y ? hi : y;
    }
}
