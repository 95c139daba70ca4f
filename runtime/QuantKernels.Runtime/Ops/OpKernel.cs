namespace QuantKernels.Runtime.Ops;

/// <summary>
/// The implementation of one operator node. The interpreter creates one instance per node (from the factory
/// registered in <see cref="OpResolver"/>), calls <see cref="Prepare"/> whenever tensors are (re)allocated —
/// compute output shapes, quantization parameters and packed weights there — and <see cref="Invoke"/> on every run.
/// Invoke must not allocate managed memory.
/// </summary>
public abstract class OpKernel
{
    /// <summary>Checks inputs, sets output shapes with <see cref="OpContext.SetOutputShape"/>, precomputes everything Invoke needs.</summary>
    public abstract void Prepare(OpContext context);

    /// <summary>Computes the outputs from the inputs.</summary>
    public abstract void Invoke(OpContext context);
}
