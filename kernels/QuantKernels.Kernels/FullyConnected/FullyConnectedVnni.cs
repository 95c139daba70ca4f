using System.Numerics;
using System.Runtime.CompilerServices;
using QuantKernels.Kernels.Convolution;

namespace QuantKernels.Kernels.FullyConnected;

/// <summary>The AVX-VNNI body of <see cref="FullyConnectedInt8Packed"/>: input rows become u8 bytes six at a time (int8
/// x + 128, uint8 as is) in scratch owned by the instance, then <see cref="PackedInt8GemmVnni"/> runs them; weights
/// stay one byte each, which is what a batch-1 layer streams.</summary>
internal sealed unsafe class FullyConnectedVnni
{
    private readonly PackedInt8GemmVnni _gemm;
    private byte[][] _rows; // per worker: MR rows of KPadded bytes; the K..KPadded tail stays 0
    private int[][] _sums; // per worker: MR row sums

    public FullyConnectedVnni(PackedInt8GemmVnni gemm)
    {
        _gemm = gemm;
        _rows = [NewRows()];
        _sums = [NewSums()];
    }

    private byte[] NewRows() => GC.AllocateArray<byte>(PackedInt8GemmVnni.MR * _gemm.KPadded, pinned: true);
    private static int[] NewSums() => GC.AllocateArray<int>(PackedInt8GemmVnni.MR, pinned: true);

    public int K => _gemm.K;
    public int N => _gemm.N;
    public int Blocks => _gemm.Blocks;
    public int Workers => _rows.Length;

    /// <summary>Allocates scratch for <paramref name="workers"/> concurrent parts (never shrinks).</summary>
    public void EnsureWorkers(int workers)
    {
        WorkerScratch.Grow(ref _rows, workers, NewRows);
        WorkerScratch.Grow(ref _sums, workers, NewSums);
    }

    /// <summary>input [batches, K] to the output channels of blocks [<paramref name="firstBlock"/>,
    /// <paramref name="endBlock"/>) of output [batches, N], on <paramref name="worker"/>'s scratch; the caller checked the lengths.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run<T>(int batches, T* input, T* output, int firstBlock, int endBlock, int worker) where T : unmanaged, IBinaryInteger<T>
    {
        int k = _gemm.K, n = _gemm.N, kp = _gemm.KPadded;
        fixed (byte* rows = _rows[worker])
        fixed (int* sums = _sums[worker])
        {
            for (int m0 = 0; m0 < batches; m0 += PackedInt8GemmVnni.MR)
            {
                int count = Math.Min(PackedInt8GemmVnni.MR, batches - m0);
                for (int r = 0; r < count; r++)
                {
                    VnniActivations.Copy(input + (long)(m0 + r) * k, rows + r * kp, k, _gemm.ActivationFlip);
                    if (_gemm.NeedsRowSums) sums[r] = VnniActivations.Sum(rows + r * kp, kp);
                }
                _gemm.Compute(rows, sums, count, output + (long)m0 * n, firstBlock, endBlock);
            }
        }
    }
}
