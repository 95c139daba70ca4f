namespace QuantKernels.Runtime.Ops;

internal static partial class BuiltinOps
{
    private static void RegisterConvOps(OpResolver r)
    {
        r.AddBuiltin(tflite.BuiltinOperator.CONV_2D, () => new Conv2DOp());
        r.AddBuiltin(tflite.BuiltinOperator.DEPTHWISE_CONV_2D, () => new DepthwiseConv2DOp());
        r.AddBuiltin(tflite.BuiltinOperator.FULLY_CONNECTED, () => new FullyConnectedOp());
    }
}
