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
