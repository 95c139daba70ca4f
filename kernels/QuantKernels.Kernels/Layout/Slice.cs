namespace QuantKernels.Kernels.Layout;

/// <summary>SLICE: output = input[begin_k : begin_k + size_k] on every axis; size -1 means "to the end".</summary>
public static class Slice
{
    /// <summary>Resolves <paramref name="size"/> (with -1) into the output shape; throws when the slice leaves the input.</summary>
    public static void ComputeOutputShape(ReadOnlySpan<int> inputShape, ReadOnlySpan<int> begin, ReadOnlySpan<int> size, Span<int> outputShape)
    {
        int rank = inputShape.Length;
        if (begin.Length != rank || size.Length != rank) throw new ArgumentException($"begin and size need {rank} entries, got {begin.Length} and {size.Length}");
        for (int k = 0; k < rank; k++)
        {
            int b = begin[k], s = size[k] == -1 ? inputShape[k] - begin[k] : size[k];
            if (b < 0 || s < 0 || b + s > inputShape[k])
                throw new ArgumentException($"slice [{b}, {b}+{size[k]}) is outside axis {k} of size {inputShape[k]}");
            outputShape[k] = s;
        }
    }

    /// <summary>Copies the slice. <paramref name="outputShape"/> comes from <see cref="ComputeOutputShape"/>.</summary>
    public static void Run<T>(ReadOnlySpan<T> input, ReadOnlySpan<int> inputShape, ReadOnlySpan<int> begin, ReadOnlySpan<int> outputShape, Span<T> output)
    {
        TensorShape.CheckLength(input.Length, inputShape, nameof(input));
        int rank = inputShape.Length;
        if (begin.Length != rank || outputShape.Length != rank) throw new ArgumentException($"begin and outputShape need {rank} entries");
        for (int k = 0; k < rank; k++)
            if (begin[k] < 0 || outputShape[k] < 0 || begin[k] + outputShape[k] > inputShape[k])
                throw new ArgumentException($"slice [{begin[k]}, {begin[k] + outputShape[k]}) is outside axis {k} of size {inputShape[k]}");
        Span<int> steps = stackalloc int[rank];
        steps.Fill(1);
        StridedCopy.Run(input, inputShape, begin, steps, outputShape, output);
    }
}
