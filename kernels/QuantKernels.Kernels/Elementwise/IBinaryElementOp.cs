namespace QuantKernels.Kernels.Elementwise;

/// <summary>
/// One element of a binary op. Implemented by structs so the generic <see cref="Broadcast"/> driver is
/// specialised per op by the JIT (no per-element virtual or delegate call). A struct may carry prepared
/// parameters (multipliers, clamp range) as fields.
/// </summary>
public interface IBinaryElementOp<TA, TB, TOut>
{
    /// <summary>Combines one element of each input.</summary>
    TOut Invoke(TA a, TB b);
}

/// <summary>
/// A run of a binary op: <c>output[i] = f(a[i * strideA], b[i * strideB])</c> for every i of <c>output</c>
/// (strides are 0 for a broadcast input, 1 for a contiguous one, other values only inside higher-rank broadcasts).
/// <see cref="Broadcast.ApplyRows"/> hands an op whole runs so it can vectorize them.
/// </summary>
public interface IBinaryRowOp<TA, TB, TOut>
{
    /// <summary>Computes one run of outputs.</summary>
    void Run(ReadOnlySpan<TA> a, int strideA, ReadOnlySpan<TB> b, int strideB, Span<TOut> output);
}
