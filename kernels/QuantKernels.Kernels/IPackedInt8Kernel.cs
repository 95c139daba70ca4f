namespace QuantKernels.Kernels;

/// <summary>
/// A quantized kernel whose weights were packed once for one ISA path (<see cref="Convolution.Conv2DInt8Packed"/>,
/// <see cref="Depthwise.DepthwiseConv2DInt8Packed"/>): runs whole, or as independent parts on per-worker scratch.
/// </summary>
public interface IPackedInt8Kernel
{
    /// <summary>The ISA path the weights were packed for.</summary>
    IsaPath Path { get; }

    /// <summary>Workers that have scratch (at least 1).</summary>
    int Workers { get; }

    /// <summary>The most parts a run can usefully split into (more parts are empty).</summary>
    int MaxParts { get; }

    /// <summary>Allocates scratch for <paramref name="workers"/> workers (at preparation, never per run).</summary>
    void EnsureWorkers(int workers);

    /// <summary>Runs the whole int8 kernel.</summary>
    void Run(ReadOnlySpan<sbyte> input, Span<sbyte> output);

    /// <summary>Runs the whole uint8 kernel.</summary>
    void Run(ReadOnlySpan<byte> input, Span<byte> output);

    /// <summary>Runs part <paramref name="part"/> of <paramref name="parts"/> (int8) on <paramref name="worker"/>'s scratch.</summary>
    void Run(ReadOnlySpan<sbyte> input, Span<sbyte> output, int part, int parts, int worker);

    /// <summary>Runs part <paramref name="part"/> of <paramref name="parts"/> (uint8) on <paramref name="worker"/>'s scratch.</summary>
    void Run(ReadOnlySpan<byte> input, Span<byte> output, int part, int parts, int worker);
}
