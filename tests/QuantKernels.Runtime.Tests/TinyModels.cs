using QuantKernels.Runtime.Writing;

namespace QuantKernels.Runtime.Tests;

/// <summary>Small models written with our own writer.</summary>
internal static class TinyModels
{
    public static byte[] Relu()
    {
        var w = new TfliteWriter();
        int x = w.AddTensor("x", TensorType.Float32, [1, 4]);
        int y = w.AddTensor("y", TensorType.Float32, [1, 4]);
        w.AddOperator(tflite.BuiltinOperator.RELU, [x], [y]);
        w.SetInputs(x);
        w.SetOutputs(y);
        return w.Build();
    }

    /// <summary>x[2,3] -> RESHAPE [3,2] -> RESHAPE [6] -> SQUEEZE/EXPAND chain: exercises arena reuse.</summary>
    public static byte[] ReshapeChain()
    {
        var w = new TfliteWriter();
        int x = w.AddTensor("x", TensorType.Float32, [2, 3]);
        int a = w.AddTensor("a", TensorType.Float32, [3, 2]);
        int b = w.AddTensor("b", TensorType.Float32, [6]);
        int axis = w.AddConstant("axis", TensorType.Int32, [], new int[] { 0 });
        int c = w.AddTensor("c", TensorType.Float32, [1, 6]);
        int d = w.AddTensor("d", TensorType.Float32, [6]);
        int shapeA = w.AddConstant("shape_a", TensorType.Int32, [2], new int[] { 3, -1 });
        w.AddOperator(tflite.BuiltinOperator.RESHAPE, [x, shapeA], [a]);
        w.AddOperator(tflite.BuiltinOperator.RESHAPE, [a], [b], b2 =>
        {
            var ns = tflite.ReshapeOptions.CreateNewShapeVector(b2, [6]);
            return (tflite.BuiltinOptions.ReshapeOptions, tflite.ReshapeOptions.CreateReshapeOptions(b2, ns).Value);
        });
        w.AddOperator(tflite.BuiltinOperator.EXPAND_DIMS, [b, axis], [c]);
        w.AddOperator(tflite.BuiltinOperator.SQUEEZE, [c], [d]);
        w.SetInputs(x);
        w.SetOutputs(d);
        return w.Build();
    }
}
