using System.Numerics;
using System.Runtime.CompilerServices;
using QuantKernels.Kernels.Convolution;

namespace QuantKernels.Kernels.FullyConnected;

/// <summary>
/// Fast quantized FULLY_CONNECTED (int8 or legacy uint8) over weights packed once at creation: input [batches, K],
/// weights [N, K], output [batches, N]; bit-exact with <see cref="FullyConnectedReference"/> in both conventions on
/// every <see cref="IsaPath"/>. On AVX2 the weights are kept as int8 (when w - zpW fits) and widened on load: a
/// fully connected layer reads every weight once per row, so its speed is the bytes it streams. Input rows are widened
/// to int16 six at a time into scratch owned by the instance, one set per worker (<see cref="EnsureWorkers"/>); no
/// allocation per <c>Run</c>. A run can split into parts over blocks of 16 output channels (x86-64 and portable paths;
/// the ARM64 packing runs whole): distinct parts on distinct workers may run concurrently; nothing else is thread-safe.
/// As an <see cref="IPackedInt8Kernel"/>, the batch count is the input length divided by K.
/// </summary>
public sealed unsafe class FullyConnectedInt8Packed : IPackedInt8Kernel
{
    private readonly PackedInt8Gemm _gemm = null!; // null on the AVX-VNNI path, which runs _vnni instead
    private readonly FullyConnectedVnni? _vnni;
    private short[][] _rows = []; // per worker: MR rows of KPadded int16
    private readonly bool _unsigned;
    private readonly int _inputZeroPoint;

    private FullyConnectedInt8Packed(PackedInt8Gemm gemm, bool unsigned, int inputZeroPoint)
    {
        _gemm = gemm;
        _unsigned = unsigned;
        _inputZeroPoint = inputZeroPoint;
        _rows = [NewRows()];
        (Path, InputDepth, OutputDepth) = (gemm.Path, gemm.K, gemm.N);
    }

    private short[] NewRows() => GC.AllocateArray<short>(PackedInt8Gemm.MR * _gemm.KPadded, pinned: true);

    private FullyConnectedInt8Packed(FullyConnectedVnni vnni, bool unsigned)
    {
        _vnni = vnni;
        _unsigned = unsigned;
        (Path, InputDepth, OutputDepth) = (IsaPath.AvxVnni, vnni.K, vnni.N);
    }

    /// <summary>The ISA path this instance runs.</summary>
    public IsaPath Path { get; }

    /// <summary>K: input features per row.</summary>
    public int InputDepth { get; }

    /// <summary>N: output features per row.</summary>
    public int OutputDepth { get; }

    /// <summary>The most parts a run splits into: the blocks of 16 output channels (1 on the ARM64 paths).</summary>
    public int MaxParts => _vnni?.Blocks ?? (_gemm.SplitsBlocks ? _gemm.Blocks : 1);

    /// <summary>Workers (scratch sets) that may run parts concurrently (1 until <see cref="EnsureWorkers"/> raises it).</summary>
    public int Workers => _vnni?.Workers ?? _rows.Length;

    /// <summary>Allocates scratch for <paramref name="workers"/> concurrent parts (at preparation; never shrinks).</summary>
    public void EnsureWorkers(int workers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        if (_vnni is not null)
        {
            _vnni.EnsureWorkers(workers);
            return;
        }
        WorkerScratch.Grow(ref _rows, workers, NewRows);
    }

    /// <summary>Packs int8 weights.</summary>
    /// <param name="inputDepth">K.</param>
    /// <param name="outputDepth">N.</param>
    /// <param name="weights">[N, K] weights.</param>
    /// <param name="bias">N int32 values, or empty.</param>
    /// <param name="parameters">Requantization parameters with N channels (either convention).</param>
    /// <param name="path">ISA path, usually <see cref="Dispatch.Select"/>(null); must be supported here.</param>
    public static FullyConnectedInt8Packed Create(int inputDepth, int outputDepth, ReadOnlySpan<sbyte> weights, ReadOnlySpan<int> bias,
        QuantizedConvParams parameters, IsaPath path)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate(sbyte.MinValue, sbyte.MaxValue, outputDepth, sbyte.MinValue, sbyte.MaxValue);
        return CreateCore(inputDepth, outputDepth, weights, bias, parameters, path, unsigned: false);
    }

    /// <summary>Packs legacy uint8 weights (weight zero point in <paramref name="parameters"/>).</summary>
    /// <inheritdoc cref="Create(int, int, ReadOnlySpan{sbyte}, ReadOnlySpan{int}, QuantizedConvParams, IsaPath)"/>
    public static FullyConnectedInt8Packed Create(int inputDepth, int outputDepth, ReadOnlySpan<byte> weights, ReadOnlySpan<int> bias,
        QuantizedConvParams parameters, IsaPath path)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate(byte.MinValue, byte.MaxValue, outputDepth, byte.MinValue, byte.MaxValue);
        return CreateCore(inputDepth, outputDepth, weights, bias, parameters, path, unsigned: true);
    }

    private static FullyConnectedInt8Packed CreateCore<T>(int k, int n, ReadOnlySpan<T> weights, ReadOnlySpan<int> bias,
        QuantizedConvParams p, IsaPath path, bool unsigned) where T : unmanaged, IBinaryInteger<T>
    {
        if (k < 1) throw new ArgumentException($"inputDepth must be at least 1, got {k}", "inputDepth");
        if (n < 1) throw new ArgumentException($"outputDepth must be at least 1, got {n}", "outputDepth");
        if ((long)n * k != weights.Length)
            throw new ArgumentException($"weights have {weights.Length} elements, [{n}, {k}] needs {(long)n * k}", nameof(weights));
        if (bias.Length != 0 && bias.Length != n)
            throw new ArgumentException($"bias has {bias.Length} elements, expected 0 (absent) or {n}", nameof(bias));
        if (!Dispatch.IsSupported(path)) throw new NotSupportedException($"ISA path {path} is not supported in this process");
        if (path == IsaPath.AvxVnni) return new FullyConnectedInt8Packed(new FullyConnectedVnni(PackedInt8GemmVnni.Create(n, k, weights, bias, p)), unsigned);
        return new FullyConnectedInt8Packed(PackedInt8Gemm.Create(path, n, k, weights, bias, p, compact: true), unsigned, p.InputZeroPoint);
    }

    /// <summary>Runs int8: <paramref name="input"/> is [batches, K], <paramref name="output"/> [batches, N].</summary>
    public void Run(int batches, ReadOnlySpan<sbyte> input, Span<sbyte> output)
    {
        if (_unsigned) throw new ArgumentException("this fully connected op was packed for uint8 tensors", nameof(input));
        RunCore(batches, input, output);
    }

    /// <summary>Runs uint8.</summary>
    public void Run(int batches, ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (!_unsigned) throw new ArgumentException("this fully connected op was packed for int8 tensors", nameof(input));
        RunCore(batches, input, output);
    }

    /// <summary>Runs int8 with the batch count taken from the input length (a multiple of K).</summary>
    public void Run(ReadOnlySpan<sbyte> input, Span<sbyte> output) => Run(Batches(input.Length), input, output);

    /// <summary>Runs uint8 with the batch count taken from the input length (a multiple of K).</summary>
    public void Run(ReadOnlySpan<byte> input, Span<byte> output) => Run(Batches(input.Length), input, output);

    /// <summary>Runs part <paramref name="part"/> of <paramref name="parts"/> of the int8 layer: the output channels of
    /// a contiguous range of 16-channel blocks, for every row (batches = input length / K); each output computed exactly
    /// as by a whole run. Distinct parts may run concurrently on distinct threads with distinct workers.</summary>
    /// <param name="input">The whole input, [batches, K].</param>
    /// <param name="output">The whole output, [batches, N] (this part writes only its channels).</param>
    /// <param name="part">Which part, 0..parts-1.</param>
    /// <param name="parts">How many parts (any number; parts beyond <see cref="MaxParts"/> are empty).</param>
    /// <param name="worker">Whose scratch to use, 0..<see cref="Workers"/>-1.</param>
    public void Run(ReadOnlySpan<sbyte> input, Span<sbyte> output, int part, int parts, int worker)
    {
        if (_unsigned) throw new ArgumentException("this fully connected op was packed for uint8 tensors", nameof(input));
        RunCore(Batches(input.Length), input, output, part, parts, worker);
    }

    /// <summary>Runs part <paramref name="part"/> of <paramref name="parts"/> of the uint8 layer.</summary>
    /// <inheritdoc cref="Run(ReadOnlySpan{sbyte}, Span{sbyte}, int, int, int)"/>
    public void Run(ReadOnlySpan<byte> input, Span<byte> output, int part, int parts, int worker)
    {
        if (!_unsigned) throw new ArgumentException("this fully connected op was packed for int8 tensors", nameof(input));
        RunCore(Batches(input.Length), input, output, part, parts, worker);
    }

    private int Batches(int inputLength)
    {
        if (inputLength == 0 || inputLength % InputDepth != 0)
            throw new ArgumentException($"input has {inputLength} elements, not a positive multiple of K = {InputDepth}", "input");
        return inputLength / InputDepth;
    }

    private void RunCore<T>(int batches, ReadOnlySpan<T> input, Span<T> output, int part = 0, int parts = 1, int worker = 0)
        where T : unmanaged, IBinaryInteger<T>
    {
        int k = InputDepth, n = OutputDepth;
        if (parts < 1) throw new ArgumentException($"parts is {parts}; must be at least 1", nameof(parts));
        if ((uint)part >= (uint)parts) throw new ArgumentException($"part is {part}; must be 0..{parts - 1}", nameof(part));
        if ((uint)worker >= (uint)Workers)
            throw new ArgumentException($"worker is {worker}; must be 0..{Workers - 1} (EnsureWorkers raises the limit)", nameof(worker));
        if (batches < 1) throw new ArgumentException($"batches must be at least 1, got {batches}", nameof(batches));
        if ((long)batches * k != input.Length)
            throw new ArgumentException($"input has {input.Length} elements, [{batches}, {k}] needs {(long)batches * k}", nameof(input));
        if ((long)batches * n != output.Length)
            throw new ArgumentException($"output has {output.Length} elements, [{batches}, {n}] needs {(long)batches * n}", nameof(output));
        // Parts take whole blocks; with one part (or an unsplittable packing) part 0 is everything.
        long blocks = MaxParts == 1 ? 1 : MaxParts;
        int first = (int)(blocks * part / parts), end = (int)(blocks * (part + 1) / parts);
        if (first == end) return;
        if (MaxParts == 1) (first, end) = (0, _vnni?.Blocks ?? _gemm.Blocks);
        if (_vnni is not null)
        {
            fixed (T* inp = input)
            fixed (T* outp = output)
                _vnni.Run(batches, inp, outp, first, end, worker);
            return;
        }
        fixed (T* inp = input)
        fixed (T* outp = output)
        fixed (short* rows = _rows[worker])
            Loop(batches, inp, outp, rows, first, end);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Loop<T>(int batches, T* input, T* output, short* rows, int firstBlock, int endBlock) where T : unmanaged, IBinaryInteger<T>
    {
        int k = _gemm.K, n = _gemm.N, kp = _gemm.KPadded;
        bool vectorize = _gemm.Path != IsaPath.Scalar, bytes = _gemm.ByteRows;
        for (int m0 = 0; m0 < batches; m0 += PackedInt8Gemm.MR)
        {
            int count = Math.Min(PackedInt8Gemm.MR, batches - m0);
            for (int r = 0; r < count; r++)
                PatchRow.Copy(input + (long)(m0 + r) * k, PatchRow.Row(rows, r, kp, bytes), 0, k, _inputZeroPoint, vectorize, bytes);
            _gemm.Compute(rows, count, output + (long)m0 * n, firstBlock, endBlock);
        }
    }
}
