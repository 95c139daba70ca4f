namespace QuantKernels.Runtime.Ops;

internal static partial class BuiltinOps
{
    private static void RegisterLayoutOps(OpResolver r)
    {
        r.AddBuiltin(tflite.BuiltinOperator.CONCATENATION, () => new ConcatenationOp());
        r.AddBuiltin(tflite.BuiltinOperator.PACK, () => new PackOp());
        r.AddBuiltin(tflite.BuiltinOperator.UNPACK, () => new UnpackOp());
        r.AddBuiltin(tflite.BuiltinOperator.SPLIT, () => new SplitOp(variableSizes: false));
        r.AddBuiltin(tflite.BuiltinOperator.SPLIT_V, () => new SplitOp(variableSizes: true));
        r.AddBuiltin(tflite.BuiltinOperator.SLICE, () => new SliceOp());
        r.AddBuiltin(tflite.BuiltinOperator.STRIDED_SLICE, () => new StridedSliceOp());
        r.AddBuiltin(tflite.BuiltinOperator.PAD, () => new PadOp(withValue: false));
        r.AddBuiltin(tflite.BuiltinOperator.PADV2, () => new PadOp(withValue: true));
        r.AddBuiltin(tflite.BuiltinOperator.TRANSPOSE, () => new TransposeOp());
        r.AddBuiltin(tflite.BuiltinOperator.GATHER, () => new GatherOp());
        r.AddBuiltin(tflite.BuiltinOperator.GATHER_ND, () => new GatherNdOp());
        r.AddBuiltin(tflite.BuiltinOperator.ARG_MAX, () => new ArgMinMaxOp(isMax: true));
        r.AddBuiltin(tflite.BuiltinOperator.ARG_MIN, () => new ArgMinMaxOp(isMax: false));
        r.AddBuiltin(tflite.BuiltinOperator.RESIZE_BILINEAR, () => new ResizeBilinearOp());
        r.AddBuiltin(tflite.BuiltinOperator.RESIZE_NEAREST_NEIGHBOR, () => new ResizeNearestNeighborOp());
        r.AddBuiltin(tflite.BuiltinOperator.DEPTH_TO_SPACE, () => new DepthSpaceOp(toSpace: true));
        r.AddBuiltin(tflite.BuiltinOperator.SPACE_TO_DEPTH, () => new DepthSpaceOp(toSpace: false));
    }
}
