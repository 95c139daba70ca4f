using QuantKernels.Kernels;
using QuantKernels.Kernels.Depthwise;
using QuantKernels.Kernels.FloatConvolution;

namespace QuantKernels.Runtime.Ops;

/// <summary>
/// Runs the vectorized float32 CONV_2D (<see cref="Conv2DFloatPacked"/>) or DEPTHWISE_CONV_2D
/// (<see cref="DepthwiseFloatSimd"/>) of one op: whole on the calling thread, or split over the interpreter's
/// <see cref="WorkerPool"/> when the op has enough multiply-adds to pay for waking the workers. Decided at Prepare;
/// Invoke allocates nothing.
/// </summary>
internal sealed class FloatConvRunner : IParallelWork
{
    /// <summary>Multiply-adds per part at least (float work is ~4x slower per MAC than int8, so smaller ops split too).</summary>
    private const long MinMacsPerPart = 1L << 16;

    private readonly Conv2DFloatPacked? _conv;
    private readonly DepthwiseConv2DGeometry _depthwise;
    private readonly Tensor? _filter, _bias;
    private readonly float _min, _max;
    private Tensor? _input, _output; // the tensors of the Invoke in flight, for RunPart

    private FloatConvRunner(Conv2DFloatPacked? conv, in DepthwiseConv2DGeometry depthwise, Tensor? filter, Tensor? bias,
        float min, float max, IsaPath path, long macs, int units, OpContext context)
    {
        _conv = conv;
        _depthwise = depthwise;
        _filter = filter;
        _bias = bias;
        _min = min;
        _max = max;
        Path = path;
        Parts = context.Pool is null || path == IsaPath.Scalar ? 1 : (int)Math.Clamp(Math.Min(macs / MinMacsPerPart, units), 1, context.Threads);
    }

    /// <summary>The ISA path.</summary>
    public IsaPath Path { get; }

    /// <summary>Parts each run splits into (1: the calling thread alone).</summary>
    public int Parts { get; }

    /// <summary>A packed float CONV_2D.</summary>
    public static FloatConvRunner ForConv(Conv2DFloatPacked conv, long macs, OpContext context)
        => new(conv, default, null, null, 0, 0, conv.Path, macs, conv.Tiles, context);

    /// <summary>A float DEPTHWISE_CONV_2D (depth multiplier 1) reading its constant filter and bias at each run.</summary>
    public static FloatConvRunner ForDepthwise(in DepthwiseConv2DGeometry g, Tensor filter, Tensor? bias, float min, float max, IsaPath path, OpContext context)
        => new(null, g, filter, bias, min, max, path, (long)g.OutputLength * g.FilterHeight * g.FilterWidth, DepthwiseFloatSimd.Rows(g), context);

    /// <summary>Runs the op on <paramref name="input"/> into <paramref name="output"/>.</summary>
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
        RunPart(input, output, 0, 1);
    }

    void IParallelWork.RunPart(int part, int parts, int worker) => RunPart(_input!, _output!, part, parts);

    private void RunPart(Tensor input, Tensor output, int part, int parts)
    {
        if (_conv is not null)
        {
            _conv.Run(input.AsReadOnlySpan<float>(), output.AsSpan<float>(), part, parts);
            return;
        }
        DepthwiseFloatSimd.Run(Path, in _depthwise, input.AsReadOnlySpan<float>(), _filter!.AsReadOnlySpan<float>(),
            _bias is null ? default : _bias.AsReadOnlySpan<float>(), _min, _max, output.AsSpan<float>(), part, parts);
    }
}
