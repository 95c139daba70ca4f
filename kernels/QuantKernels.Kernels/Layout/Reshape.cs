namespace QuantKernels.Kernels.Layout;

/// <summary>RESHAPE (and SQUEEZE / EXPAND_DIMS): the data is copied unchanged; only the shape differs.</summary>
public static class Reshape
{
    /// <summary>
    /// Resolves TFLite's new_shape (at most one -1, which takes the remaining size) against the input's
    /// element count; writes the dims into <paramref name="outputShape"/>.
    /// </summary>
    public static void ResolveShape(int inputCount, ReadOnlySpan<int> newShape, Span<int> outputShape)
    {
        if (outputShape.Length < newShape.Length) throw new ArgumentException("outputShape span is too short", nameof(outputShape));
        int wildcard = -1, known = 1;
        for (int i = 0; i < newShape.Length; i++)
        {
            int d = newShape[i];
            if (d == -1)
            {
                if (wildcard >= 0) throw new ArgumentException("new_shape has more than one -1", nameof(newShape));
                wildcard = i;
            }
            else if (d < 0) throw new ArgumentException($"new_shape has a negative dimension {d}", nameof(newShape));
            else known = checked(known * d);
            outputShape[i] = d;
        }
        if (wildcard >= 0)
        {
            if (known == 0 || inputCount % known != 0) throw new ArgumentException($"cannot infer -1: {inputCount} elements do not divide by {known}", nameof(newShape));
            outputShape[wildcard] = inputCount / known;
        }
        else if (known != inputCount) throw new ArgumentException($"new_shape has {known} elements, input has {inputCount}", nameof(newShape));
    }

    /// <summary>Copies the data (lengths must match).</summary>
    public static void Copy<T>(ReadOnlySpan<T> input, Span<T> output)
    {
        if (input.Length != output.Length) throw new ArgumentException($"reshape keeps the element count: input {input.Length}, output {output.Length}");
        input.CopyTo(output);
    }
}
