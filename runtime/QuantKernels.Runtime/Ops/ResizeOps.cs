using QuantKernels.Kernels;
using QuantKernels.Kernels.Layout;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Runtime.Ops;

/// <summary>Shared preparation of the resize ops: NHWC input, constant int32 [2] size (new height, width).</summary>
internal static class ResizeGeometry
{
    public static (Nhwc Input, Nhwc Output) Prepare(OpContext context, string name, bool alignCorners, bool halfPixelCenters)
    {
        context.RequireCounts(2, 2, 1);
        var input = context.Input(0);
        if (input.Rank != 4) throw context.Error($"input {input} must have rank 4 (NHWC)");
        if (alignCorners && halfPixelCenters) throw context.Error("align_corners and half_pixel_centers cannot both be true");
        var sizeTensor = context.Input(1);
        if (!sizeTensor.IsConstant) throw context.Unsupported($"{name} size {sizeTensor} is computed at run time; only a constant size is supported");
        var size = OpHelpers.ReadConstantInts(context, sizeTensor, $"{name} size");
        if (size.Length != 2 || size[0] < 1 || size[1] < 1) throw context.Error($"size {sizeTensor} must hold two positive values, has [{string.Join(",", size)}]");
        var inShape = new Nhwc(input.Dim(0), input.Dim(1), input.Dim(2), input.Dim(3));
        if (inShape.H < 1 || inShape.W < 1) throw context.Error($"input {input} has an empty spatial dimension");
        var outShape = inShape with { H = size[0], W = size[1] };
        context.SetOutputShape(0, [outShape.N, outShape.H, outShape.W, outShape.C]);
        return (inShape, outShape);
    }
}

/// <summary>
/// RESIZE_BILINEAR (vectorized on the dispatched path, see ResizeBilinearSimd): float32 with TFLite's reference kernel; int8/uint8 with XNNPACK's integer kernel in the Xnnpack
/// convention (what TFLite runs by default) or TFLite's reference integer kernel in the Reference convention;
/// int16 with the reference integer kernel (XNNPACK has none).
/// </summary>
internal sealed class ResizeBilinearOp : OpKernel
{
    private Nhwc _in, _out;
    private bool _alignCorners, _halfPixelCenters, _xnnpack;
    private IsaPath _path;
    private int[] _scratch = [];

    /// <summary>The ISA path chosen at preparation (tests assert it).</summary>
    internal IsaPath Path => _path;

    public override void Prepare(OpContext context)
    {
        var o = context.Options<tflite.ResizeBilinearOptions>(tflite.BuiltinOptions.ResizeBilinearOptions);
        _alignCorners = o?.AlignCorners ?? false;
        _halfPixelCenters = o?.HalfPixelCenters ?? false;
        (_in, _out) = ResizeGeometry.Prepare(context, "RESIZE_BILINEAR", _alignCorners, _halfPixelCenters);
        var input = context.Input(0);
        context.RequireType(input, "input", TensorType.Float32, TensorType.Int8, TensorType.UInt8, TensorType.Int16);
        ElementDispatch.RequireSameType(context, input, context.Output(0), "output");
        _xnnpack = context.Convention == RequantConvention.Xnnpack;
        _path = Dispatch.Select(context.IsaPath);
        if (_xnnpack && input.Type is TensorType.Int8 or TensorType.UInt8) _scratch = new int[ResizeBilinearSimd.ScratchLength(_out)];
    }

    public override void Invoke(OpContext context)
    {
        var input = context.Input(0);
        var output = context.Output(0);
        switch (input.Type)
        {
            case TensorType.Float32:
                ResizeBilinearSimd.Float(_path, input.AsReadOnlySpan<float>(), _in, output.AsSpan<float>(), _out, _alignCorners, _halfPixelCenters);
                break;
            case TensorType.Int8 when _xnnpack:
                ResizeBilinearSimd.QuantizedXnnpack(_path, input.AsReadOnlySpan<sbyte>(), _in, output.AsSpan<sbyte>(), _out, _alignCorners, _halfPixelCenters, _scratch);
                break;
            case TensorType.Int8:
                ResizeBilinear.QuantizedReference(input.AsReadOnlySpan<sbyte>(), _in, output.AsSpan<sbyte>(), _out, _alignCorners, _halfPixelCenters);
                break;
            case TensorType.UInt8 when _xnnpack:
                ResizeBilinearSimd.QuantizedXnnpack(_path, input.AsReadOnlySpan<byte>(), _in, output.AsSpan<byte>(), _out, _alignCorners, _halfPixelCenters, _scratch);
                break;
            case TensorType.UInt8:
                ResizeBilinear.QuantizedReference(input.AsReadOnlySpan<byte>(), _in, output.AsSpan<byte>(), _out, _alignCorners, _halfPixelCenters);
                break;
            default:
                ResizeBilinear.QuantizedReference(input.AsReadOnlySpan<short>(), _in, output.AsSpan<short>(), _out, _alignCorners, _halfPixelCenters);
                break;
        }
    }
}

/// <summary>RESIZE_NEAREST_NEIGHBOR: data movement for every element type.</summary>
internal sealed class ResizeNearestNeighborOp : DataMovementOp
{
    private Nhwc _in, _out;
    private bool _alignCorners, _halfPixelCenters;

    public override void Prepare(OpContext context)
    {
        var o = context.Options<tflite.ResizeNearestNeighborOptions>(tflite.BuiltinOptions.ResizeNearestNeighborOptions);
        _alignCorners = o?.AlignCorners ?? false;
        _halfPixelCenters = o?.HalfPixelCenters ?? false;
        (_in, _out) = ResizeGeometry.Prepare(context, "RESIZE_NEAREST_NEIGHBOR", _alignCorners, _halfPixelCenters);
        SelectElementType(context, context.Input(0));
    }

    public override void Run<T>(OpContext context)
        => ResizeNearestNeighbor.Run(context.Input(0).AsReadOnlySpan<T>(), _in, context.Output(0).AsSpan<T>(), _out, _alignCorners, _halfPixelCenters);
}
