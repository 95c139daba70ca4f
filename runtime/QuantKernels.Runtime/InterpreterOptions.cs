using QuantKernels.Kernels.Quantization;
using QuantKernels.Runtime.Ops;

namespace QuantKernels.Runtime;

/// <summary>Options of an <see cref="Interpreter"/>.</summary>
public sealed class InterpreterOptions
{
    /// <summary>Which integer convention quantized ops reproduce (default: <see cref="RequantConvention.Xnnpack"/>, what TFLite computes on CPU).</summary>
    public RequantConvention Convention { get; set; } = RequantConvention.Xnnpack;

    /// <summary>Threads kernels may use (default 1).</summary>
    public int Threads { get; set; } = 1;

    /// <summary>Keep every intermediate tensor alive after Invoke (no arena reuse), e.g. for layer-by-layer comparison.</summary>
    public bool PreserveAllTensors { get; set; }

    /// <summary>Largest arena the interpreter will allocate; a model needing more fails with a clear error. Default 1 GiB.</summary>
    public long MaxArenaBytes { get; set; } = 1L << 30;

    /// <summary>
    /// The SIMD path every op of this interpreter runs (must be supported here: <see cref="Kernels.Dispatch.IsSupported"/>),
    /// or null (default) for <see cref="Kernels.Dispatch.Default"/>, the fastest. Quantized results are identical on every
    /// path; float conv results differ in the last bits between paths, so a run that must reproduce bytes on any machine
    /// (e.g. the quantizer's calibration) forces <see cref="Kernels.IsaPath.Scalar"/>.
    /// </summary>
    public Kernels.IsaPath? IsaPath { get; set; }

    /// <summary>The op kernels to use; defaults to every builtin this runtime has. Add custom ops here.</summary>
    public OpResolver Resolver { get; set; } = OpResolver.CreateDefault();
}
