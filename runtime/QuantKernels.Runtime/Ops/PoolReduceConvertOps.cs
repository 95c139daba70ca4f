namespace QuantKernels.Runtime.Ops;

internal static partial class BuiltinOps
{
    private static void RegisterPoolReduceConvertOps(OpResolver r)
    {
        r.AddBuiltin(tflite.BuiltinOperator.AVERAGE_POOL_2D, () => new Pool2DOp(average: true));
        r.AddBuiltin(tflite.BuiltinOperator.MAX_POOL_2D, () => new Pool2DOp(average: false));
        r.AddBuiltin(tflite.BuiltinOperator.MEAN, () => new ReduceOp(isSum: false));
        r.AddBuiltin(tflite.BuiltinOperator.SUM, () => new ReduceOp(isSum: true));
        r.AddBuiltin(tflite.BuiltinOperator.QUANTIZE, () => new QuantizeOp());
        r.AddBuiltin(tflite.BuiltinOperator.DEQUANTIZE, () => new DequantizeOp());
        r.AddBuiltin(tflite.BuiltinOperator.CAST, () => new CastOp());
    }
}
