using QuantKernels.Kernels.Elementwise;

namespace QuantKernels.Runtime.Ops;

internal static partial class BuiltinOps
{
    private static void RegisterElementwiseOps(OpResolver r)
    {
        r.AddBuiltin(tflite.BuiltinOperator.ADD, () => new BinaryOp(BinaryOperation.Add));
        r.AddBuiltin(tflite.BuiltinOperator.SUB, () => new BinaryOp(BinaryOperation.Sub));
        r.AddBuiltin(tflite.BuiltinOperator.MUL, () => new BinaryOp(BinaryOperation.Mul));
        r.AddBuiltin(tflite.BuiltinOperator.DIV, () => new BinaryOp(BinaryOperation.Div));
        r.AddBuiltin(tflite.BuiltinOperator.FLOOR_DIV, () => new BinaryOp(BinaryOperation.FloorDiv));
        r.AddBuiltin(tflite.BuiltinOperator.MAXIMUM, () => new BinaryOp(BinaryOperation.Maximum));
        r.AddBuiltin(tflite.BuiltinOperator.MINIMUM, () => new BinaryOp(BinaryOperation.Minimum));
        r.AddBuiltin(tflite.BuiltinOperator.RELU, () => new UnaryOp(UnaryKind.Relu));
        r.AddBuiltin(tflite.BuiltinOperator.RELU6, () => new UnaryOp(UnaryKind.Relu6));
        r.AddBuiltin(tflite.BuiltinOperator.RELU_N1_TO_1, () => new UnaryOp(UnaryKind.ReluN1To1));
        r.AddBuiltin(tflite.BuiltinOperator.LEAKY_RELU, () => new UnaryOp(UnaryKind.LeakyRelu));
        r.AddBuiltin(tflite.BuiltinOperator.HARD_SWISH, () => new UnaryOp(UnaryKind.HardSwish));
        r.AddBuiltin(tflite.BuiltinOperator.LOGISTIC, () => new UnaryOp(UnaryKind.Logistic));
        r.AddBuiltin(tflite.BuiltinOperator.TANH, () => new UnaryOp(UnaryKind.Tanh));
        r.AddBuiltin(tflite.BuiltinOperator.ABS, () => new UnaryOp(UnaryKind.Abs));
        r.AddBuiltin(tflite.BuiltinOperator.NEG, () => new UnaryOp(UnaryKind.Neg));
        r.AddBuiltin(tflite.BuiltinOperator.SQRT, () => new UnaryOp(UnaryKind.Sqrt));
        r.AddBuiltin(tflite.BuiltinOperator.PRELU, () => new PreluOp());
        r.AddBuiltin(tflite.BuiltinOperator.SOFTMAX, () => new SoftmaxOp());
    }
}
