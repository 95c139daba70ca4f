namespace QuantKernels.Kernels.Layout;

/// <summary>
/// PAD / PADV2: constant padding. paddings holds (before, after) per axis, flattened [rank, 2].
/// The pad value is 0 for float PAD, the output zero point for quantized PAD, the constant for PADV2.
/// </summary>
public static class Pad
{
    /// <summary>Output shape: dim + before + after per axis; throws on negative paddings.</summary>
    public static void ComputeOutputShape(ReadOnlySpan<int> inputShape, ReadOnlySpan<int> paddings, Span<int> outputShape)
    {
        if (paddings.Length != 2 * inputShape.Length) throw new ArgumentException($"paddings need {2 * inputShape.Length} entries ([rank,2]), got {paddings.Length}", nameof(paddings));
        for (int k = 0; k < inputShape.Length; k++)
        {
            int before = paddings[2 * k], after = paddings[2 * k + 1];
            if (before < 0 || after < 0) throw new ArgumentException($"paddings of axis {k} are negative ({before},{after})", nameof(paddings));
            outputShape[k] = checked(inputShape[k] + before + after);
        }
    }

    /// <summary>Pads <paramref name="input"/> with <paramref name="padValue"/>.</summary>
    /// <param name="input">Input tensor.</param><param name="inputShape">Its shape.</param>
    /// <param name="paddings">[rank,2] (before, after) pairs.</param>
    /// <param name="padValue">Value written outside the input.</param>
    /// <param name="output">Output tensor of the padded shape.</param>
    public static void Run<T>(ReadOnlySpan<T> input, ReadOnlySpan<int> inputShape, ReadOnlySpan<int> paddings, T padValue, Span<T> output)
    {
        TensorShape.CheckLength(input.Length, inputShape, nameof(input));
        int rank = inputShape.Length;
        Span<int> outShape = stackalloc int[rank];
        ComputeOutputShape(inputShape, paddings, outShape);
        TensorShape.CheckLength(output.Length, outShape, nameof(output));
        output.Fill(padValue);
        if (input.Length == 0) return;
        if (rank == 0) { output[0] = input[0]; return; }
        Span<int> outStrides = stackalloc int[rank];
        TensorShape.Strides(outShape, outStrides);
        Span<int> idx = stackalloc int[rank];
        // Axes after the last padded one are copied whole: a run along that axis is contiguous in both tensors, so
        // each copy moves inputShape[last..] elements at once (W*C for NHWC spatial padding), not one innermost row.
        int last = rank - 1;
        while (last > 0 && paddings[2 * last] == 0 && paddings[2 * last + 1] == 0) last--;
        int row = TensorShape.Product(inputShape, last, rank);
        int i = 0;
        while (true)
        {
            int off = 0;
            for (int k = 0; k < last; k++) off += (idx[k] + paddings[2 * k]) * outStrides[k];
            off += paddings[2 * last] * outStrides[last];
            input.Slice(i, row).CopyTo(output.Slice(off, row));
            i += row;
            int d = last - 1;
            while (d >= 0 && ++idx[d] == inputShape[d]) { idx[d] = 0; d--; }
            if (d < 0) break;
        }
    }
}
