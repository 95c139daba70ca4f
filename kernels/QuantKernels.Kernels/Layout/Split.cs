namespace QuantKernels.Kernels.Layout;

/// <summary>
/// SPLIT and SPLIT_V: each output is a contiguous range along one axis. Resolve the sizes once
/// (<see cref="EqualSizes"/> for SPLIT, <see cref="ResolveSizes"/> for SPLIT_V), then copy output i with
/// <see cref="ExtractRange{T}"/> at the running start.
/// </summary>
public static class Split
{
    /// <summary>SPLIT: the axis size divided evenly into <paramref name="numSplits"/> parts; throws if it does not divide.</summary>
    public static int EqualSizes(int axisSize, int numSplits)
    {
        if (numSplits < 1) throw new ArgumentException($"num_splits must be >= 1, got {numSplits}", nameof(numSplits));
        if (axisSize % numSplits != 0) throw new ArgumentException($"axis size {axisSize} is not divisible by num_splits {numSplits}", nameof(numSplits));
        return axisSize / numSplits;
    }

    /// <summary>SPLIT_V: copies <paramref name="sizeSplits"/> into <paramref name="resolved"/>, replacing at most one -1 by the remainder; throws unless the sizes sum to the axis size.</summary>
    public static void ResolveSizes(int axisSize, ReadOnlySpan<int> sizeSplits, Span<int> resolved)
    {
        if (resolved.Length < sizeSplits.Length) throw new ArgumentException("resolved span is too short", nameof(resolved));
        int wildcard = -1, sum = 0;
        for (int i = 0; i < sizeSplits.Length; i++)
        {
            int s = sizeSplits[i];
            if (s == -1)
            {
                if (wildcard >= 0) throw new ArgumentException("size_splits has more than one -1", nameof(sizeSplits));
                wildcard = i;
            }
            else if (s < 0) throw new ArgumentException($"size_splits has a negative size {s}", nameof(sizeSplits));
            else sum += s;
            resolved[i] = s;
        }
        if (wildcard >= 0)
        {
            if (sum > axisSize) throw new ArgumentException($"size_splits sum {sum} exceeds axis size {axisSize}", nameof(sizeSplits));
            resolved[wildcard] = axisSize - sum;
        }
        else if (sum != axisSize) throw new ArgumentException($"size_splits sum {sum} differs from axis size {axisSize}", nameof(sizeSplits));
    }

    /// <summary>Copies input[..., start:start+length, ...] (on <paramref name="axis"/>) into <paramref name="output"/>.</summary>
    /// <param name="input">Input tensor.</param><param name="inputShape">Its shape.</param>
    /// <param name="axis">Split axis (negative counts from the end).</param>
    /// <param name="start">First index on the axis.</param><param name="length">Range size on the axis.</param>
    /// <param name="output">Output tensor (input shape with the axis set to length).</param>
    public static void ExtractRange<T>(ReadOnlySpan<T> input, ReadOnlySpan<int> inputShape, int axis, int start, int length, Span<T> output)
    {
        TensorShape.CheckLength(input.Length, inputShape, nameof(input));
        int a = TensorShape.ResolveAxis(axis, inputShape.Length);
        if (start < 0 || length < 0 || start + length > inputShape[a])
            throw new ArgumentException($"range [{start},{start + length}) is outside axis {a} of size {inputShape[a]}");
        int outer = TensorShape.Product(inputShape, 0, a);
        int inner = TensorShape.Product(inputShape, a + 1, inputShape.Length);
        int chunk = length * inner;
        if (output.Length != outer * chunk) throw new ArgumentException($"output holds {output.Length} elements, expected {outer * chunk}", nameof(output));
        for (int o = 0; o < outer; o++)
            input.Slice((o * inputShape[a] + start) * inner, chunk).CopyTo(output.Slice(o * chunk, chunk));
    }
}
