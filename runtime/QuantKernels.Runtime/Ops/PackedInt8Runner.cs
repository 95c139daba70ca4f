using QuantKernels.Kernels;

namespace QuantKernels.Runtime.Ops;

/// <summary>
/// Runs a packed int8/uint8 kernel for an op (CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED): whole on the calling thread, or split
/// into parts over the interpreter's <see cref="WorkerPool"/> when the op is big enough to pay for waking workers.
/// Decided once at Prepare; Invoke allocates nothing.
/// </summary>
internal sealed class PackedInt8Runner : IParallelWork
{
    /// <summary>Parts per thread. Measured on the 2-core shared machine (tf2 mobilenet v2, 2 threads): 1 part per thread
    /// 6.9 ms, 4 parts 8.5 ms. A worker that is not scheduled in time still costs little: the caller claims its part.</summary>
    private const int PartsPerThread = 1;

    private Tensor? _input, _output; // the tensors of the Invoke in flight, for RunPart

    /// <summary>Prepares the split: at least <paramref name="minMacsPerPart"/> multiply-accumulates per part.</summary>
    public PackedInt8Runner(IPackedInt8Kernel kernel, long macs, long minMacsPerPart, OpContext context)
    {
        Kernel = kernel;
        // Parts are claimed dynamically: a worker the OS has not scheduled yet leaves its part to the caller.
        Parts = context.Pool is null ? 1 : (int)Math.Clamp(Math.Min(macs / minMacsPerPart, kernel.MaxParts), 1, PartsPerThread * context.Threads);
        if (Parts > 1) kernel.EnsureWorkers(context.Threads);
    }

    /// <summary>The packed kernel.</summary>
    public IPackedInt8Kernel Kernel { get; }

    /// <summary>Parts each run splits into (1: the calling thread alone).</summary>
    public int Parts { get; }

    /// <summary>Runs the kernel on <paramref name="input"/> into <paramref name="output"/> (int8 or uint8).</summary>
    public void Run(Tensor input, Tensor output, WorkerPool? pool)
    {
        if (Parts > 1 && pool is not null)
        {
            _input = input;
            _output = output;
            try { pool.Run(this, Parts); }
            finally { _input = _output = null; }
            return;
        }
        if (input.Type == TensorType.Int8) Kernel.Run(input.AsReadOnlySpan<sbyte>(), output.AsSpan<sbyte>());
        else Kernel.Run(input.AsReadOnlySpan<byte>(), output.AsSpan<byte>());
    }

    void IParallelWork.RunPart(int part, int parts, int worker)
    {
        if (_input!.Type == TensorType.Int8) Kernel.Run(_input.AsReadOnlySpan<sbyte>(), _output!.AsSpan<sbyte>(), part, parts, worker);
        else Kernel.Run(_input.AsReadOnlySpan<byte>(), _output!.AsSpan<byte>(), part, parts, worker);
    }
}
