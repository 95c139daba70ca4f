namespace QuantKernels.Kernels.Depthwise;

/// <summary>
/// What the paired-row 3x3 kernels need for one output row (or two consecutive ones), as raw pointers pinned by
/// <see cref="DepthwiseConv2DInt8Packed"/>. Output row oy reads paired rows a = floor(oy*strideH / 2) and a + 1
/// (<see cref="DepthwisePairedLayout"/>): an even first input row takes the <em>even</em> weight set ((w0,w1), (w2,0)
/// per column), an odd one the <em>odd</em> set ((0,w0), (w1,w2)).
/// </summary>
internal unsafe struct DepthwisePairedArgs
{
    /// <summary>Paired rows a and a + 1 (and a + 2 for the stride-2 two-row kernel).</summary>
    public short* RowA, RowB, RowC;
    /// <summary>int16 between blocks in a paired row: padded width * 2B.</summary>
    public long BlockShorts;
    /// <summary>int16 between the columns of neighbouring output pixels: strideW * 2B.</summary>
    public int PixelShorts;
    public int OutputWidth, OutC, Blocks;
    /// <summary>Per block: the even set then the odd set, each [kx][pair row 0,1][low, high][B int16].</summary>
    public short* Weights;
    /// <summary>Per-channel constants in accumulator lane order (<see cref="DepthwisePairedLayout.LaneChannel"/>).</summary>
    public int* Bias;
    public float* Scales;
    public int* Multipliers, LeftShifts, RightShifts;
    public int OutputZeroPoint, OutputMin, OutputMax;
    /// <summary>16 bytes of the worker's scratch (partial stores).</summary>
    public byte* Scratch;
}
