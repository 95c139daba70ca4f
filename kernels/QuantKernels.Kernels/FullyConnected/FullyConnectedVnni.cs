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
    private readonly byte[] _rows; // MR rows of KPadded bytes; the K..KPadded tail stays 0
    private readonly int[] _sums;

    public FullyConnectedVnni(PackedInt8GemmVnni gemm)
    {
        _gemm = gemm;
        _rows = GC.AllocateArray<byte>(PackedInt8GemmVnni.MR * gemm.KPadded, pinned: true);
        _sums = GC.AllocateArray<int>(PackedInt8GemmVnni.MR, pinned: true);
    }

    public int K => _gemm.K;
    public int N => _gemm.N;

    /// <summary>input [batches, K] to output [batches, N]; the caller checked the lengths.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run<T>(int batches, T* input, T* output) where T : unmanaged, IBinaryInteger<T>
    {
        int k = _gemm.K, n = _gemm.N, kp = _gemm.KPadded;
        fixed (byte* rows = _rows)
        fixed (int* sums = _sums)
        {
            for (int m0 = 0; m0 < batches; m0 += PackedInt8GemmVnni.MR)
            {
                int count = Math.Min(PackedInt8GemmVnni.MR, batches - m0);
                for (int r = 0; r < count; r++)
                {
                    VnniActivations.Copy(input + (long)(m0 + r) * k, rows + r * kp, k, _gemm.ActivationFlip);
                    if (_gemm.NeedsRowSums) sums[r] = VnniActivations.Sum(rows + r * kp, kp);
                }
                _gemm.Compute(rows, sums, count, output + (long)m0 * n);
            }
        }
    }
}
