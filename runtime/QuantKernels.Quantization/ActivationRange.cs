namespace QuantKernels.Quantization;

/// <summary>The observed range [<see cref="Min"/>, <see cref="Max"/>] of a float tensor's values over calibration.</summary>
/// <param name="Min">Smallest value seen.</param>
/// <param name="Max">Largest value seen.</param>
public readonly record struct ActivationRange(float Min, float Max)
{
    /// <summary>The empty range (no value seen): Min = +inf, Max = -inf, so any union replaces it.</summary>
    public static ActivationRange Empty => new(float.PositiveInfinity, float.NegativeInfinity);

    /// <summary>True when no value has been seen.</summary>
    public bool IsEmpty => Min > Max;

    /// <summary>The smallest range holding both.</summary>
    public ActivationRange Union(ActivationRange other) => new(MathF.Min(Min, other.Min), MathF.Max(Max, other.Max));

    /// <summary>The range of <paramref name="values"/> (NaN ignored), or <see cref="Empty"/>.</summary>
    public static ActivationRange Of(ReadOnlySpan<float> values)
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        int i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated && values.Length >= System.Numerics.Vector<float>.Count * 2)
        {
            var vs = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(values);
            var vmin = new System.Numerics.Vector<float>(float.PositiveInfinity);
            var vmax = new System.Numerics.Vector<float>(float.NegativeInfinity);
            // Vector.Min/Max return the second operand on NaN comparisons: putting the accumulator second drops NaNs.
            foreach (var v in vs)
            {
                vmin = System.Numerics.Vector.ConditionalSelect(System.Numerics.Vector.LessThan(v, vmin), v, vmin);
                vmax = System.Numerics.Vector.ConditionalSelect(System.Numerics.Vector.GreaterThan(v, vmax), v, vmax);
            }
            for (int k = 0; k < System.Numerics.Vector<float>.Count; k++)
            {
                min = MathF.Min(min, vmin[k]);
                max = MathF.Max(max, vmax[k]);
            }
            i = vs.Length * System.Numerics.Vector<float>.Count;
        }
        for (; i < values.Length; i++)
        {
            float v = values[i];
            if (v < min) min = v;
            if (v > max) max = v;
        }
        return new ActivationRange(min, max);
    }

    /// <inheritdoc/>
    public override string ToString() => IsEmpty ? "[empty]" : $"[{Min:G6}, {Max:G6}]";
}
