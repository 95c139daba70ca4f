using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace QuantKernels.Kernels.Detection;

/// <summary>
/// The best class of one anchor's scores (fast NMS with one class per detection): the first index holding the largest
/// score, with index 0 kept when its score is NaN and NaN scores never chosen — what the reference's scan
/// (<c>best &lt; 0 || v &gt; bestScore</c>) returns. The vector paths take the maximum, then the first index equal to it;
/// rows containing a NaN run the scalar scan.
/// </summary>
public static class BestClass
{
    /// <summary>The best class index of <paramref name="row"/> on <paramref name="path"/> (0 for an empty row).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Find(IsaPath path, ReadOnlySpan<float> row)
    {
        int n = row.Length;
        ref float r = ref MemoryMarshal.GetReference(row);
        if (path == IsaPath.Avx2 && n >= 8)
        {
            var m = Vector256.LoadUnsafe(ref r);
            var ordered = Vector256.Equals(m, m);
            for (int i = 8; i < n; i += 8)
            {
                var v = Vector256.LoadUnsafe(ref r, (nuint)Math.Min(i, n - 8)); // the last vector overlaps its predecessor
                m = Vector256.Max(m, v);
                ordered &= Vector256.Equals(v, v);
            }
            if (ordered != Vector256<float>.AllBitsSet) return Scalar(row);
            var target = Vector256.Create(Horizontal(m));
            for (int i = 0; ; i += 8)
            {
                int at = Math.Min(i, n - 8);
                uint bits = Vector256.Equals(Vector256.LoadUnsafe(ref r, (nuint)at), target).ExtractMostSignificantBits();
                if (bits != 0) return at + BitOperations.TrailingZeroCount(bits);
            }
        }
        if (path != IsaPath.Scalar && n >= 4)
        {
            var m = Vector128.LoadUnsafe(ref r);
            var ordered = Vector128.Equals(m, m);
            for (int i = 4; i < n; i += 4)
            {
                var v = Vector128.LoadUnsafe(ref r, (nuint)Math.Min(i, n - 4));
                m = Vector128.Max(m, v);
                ordered &= Vector128.Equals(v, v);
            }
            if (ordered != Vector128<float>.AllBitsSet) return Scalar(row);
            var target = Vector128.Create(Horizontal(m));
            for (int i = 0; ; i += 4)
            {
                int at = Math.Min(i, n - 4);
                uint bits = Vector128.Equals(Vector128.LoadUnsafe(ref r, (nuint)at), target).ExtractMostSignificantBits();
                if (bits != 0) return at + BitOperations.TrailingZeroCount(bits);
            }
        }
        return Scalar(row);
    }

    /// <summary>The reference scan.</summary>
    public static int Scalar(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int c = 1; c < row.Length; c++)
            if (row[c] > row[best]) best = c;
        return best;
    }

    private static float Horizontal(Vector256<float> v) => Math.Max(Horizontal(v.GetLower()), Horizontal(v.GetUpper()));

    private static float Horizontal(Vector128<float> v) => Math.Max(Math.Max(v[0], v[1]), Math.Max(v[2], v[3]));
}
