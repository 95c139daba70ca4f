namespace QuantKernels.Kernels.Layout;

/// <summary>Helpers for N-D shapes given as <c>ReadOnlySpan&lt;int&gt;</c> (row-major, last axis fastest).</summary>
public static class TensorShape
{
    /// <summary>The largest rank the N-D kernels accept (TFLite's own kernels stop at 5 or 6).</summary>
    public const int MaxRank = 8;

    /// <summary>Product of the dimensions; throws on negative dimensions or rank above <see cref="MaxRank"/>.</summary>
    public static int ElementCount(ReadOnlySpan<int> shape, string name = "shape")
    {
        if (shape.Length > MaxRank) throw new ArgumentException($"{name} has rank {shape.Length}; at most {MaxRank} is supported", name);
        int n = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"{name} has a negative dimension {d}", name);
            n = checked(n * d);
        }
        return n;
    }

    /// <summary>Throws unless <paramref name="length"/> equals the element count of <paramref name="shape"/>.</summary>
    public static void CheckLength(int length, ReadOnlySpan<int> shape, string name)
    {
        int n = ElementCount(shape, name);
        if (length != n) throw new ArgumentException($"{name} holds {length} elements but its shape [{string.Join(",", shape.ToArray())}] needs {n}", name);
    }

    /// <summary>Resolves a possibly negative axis against <paramref name="rank"/>; throws when out of range.</summary>
    public static int ResolveAxis(int axis, int rank, string name = "axis")
    {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw new ArgumentException($"{name} {axis} is out of range for rank {rank}", name);
        return a;
    }

    /// <summary>Product of dims [from, to).</summary>
    public static int Product(ReadOnlySpan<int> shape, int from, int to)
    {
        int n = 1;
        for (int i = from; i < to; i++) n *= shape[i];
        return n;
    }

    /// <summary>Writes row-major strides of <paramref name="shape"/> into <paramref name="strides"/>.</summary>
    public static void Strides(ReadOnlySpan<int> shape, Span<int> strides)
    {
        int s = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= shape[i];
        }
    }

    internal static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(",", shape.ToArray()) + "]";
}
