using QuantKernels.Kernels.Layout;

namespace QuantKernels.Runtime.Ops;

/// <summary>DEPTH_TO_SPACE and SPACE_TO_DEPTH (NHWC, block_size from the options).</summary>
internal sealed class DepthSpaceOp(bool toSpace) : DataMovementOp
{
    private Nhwc _in;
    private int _block;

    public override void Prepare(OpContext context)
    {
        context.RequireCounts(1, 1, 1);
        var input = context.Input(0);
        SelectElementType(context, input);
        if (input.Rank != 4) throw context.Error($"input {input} must have rank 4 (NHWC)");
        _block = toSpace
            ? (context.Options<tflite.DepthToSpaceOptions>(tflite.BuiltinOptions.DepthToSpaceOptions) ?? throw context.Error("missing DepthToSpaceOptions")).BlockSize
            : (context.Options<tflite.SpaceToDepthOptions>(tflite.BuiltinOptions.SpaceToDepthOptions) ?? throw context.Error("missing SpaceToDepthOptions")).BlockSize;
        if (_block < 1) throw context.Error($"block_size {_block} must be positive");
        _in = new Nhwc(input.Dim(0), input.Dim(1), input.Dim(2), input.Dim(3));
        var o = toSpace ? DepthSpace.DepthToSpaceShape(_in, _block) : DepthSpace.SpaceToDepthShape(_in, _block);
        context.SetOutputShape(0, [o.N, o.H, o.W, o.C]);
    }

    public override void Run<T>(OpContext context)
    {
        if (toSpace) DepthSpace.DepthToSpace(context.Input(0).AsReadOnlySpan<T>(), _in, _block, context.Output(0).AsSpan<T>());
        else DepthSpace.SpaceToDepth(context.Input(0).AsReadOnlySpan<T>(), _in, _block, context.Output(0).AsSpan<T>());
    }
}
