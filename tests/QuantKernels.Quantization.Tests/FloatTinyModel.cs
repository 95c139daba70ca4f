using QuantKernels.Runtime;
using QuantKernels.Runtime.Writing;
using Op = tflite.BuiltinOperator;

namespace QuantKernels.Quantization.Tests;

/// <summary>
/// A small float SSD-like graph written with our writer: fp16 weights behind DEQUANTIZE, CONV_2D and
/// DEPTHWISE_CONV_2D with RELU6, a residual ADD, MAX_POOL_2D, two box heads reshaped and concatenated, a class head,
/// and MEAN -> FULLY_CONNECTED -> SOFTMAX. Outputs: boxes [1,32,4], class logits [1,16,3], probabilities [1,5].
/// </summary>
internal static class FloatTinyModel
{
    public static readonly int[] InputShape = [1, 8, 8, 3];

    public static byte[] Build()
    {
        var w = new TfliteWriter();
        var rng = new Random(7);
        int x = w.AddTensor("input", TensorType.Float32, InputShape);
        int a = Conv(w, rng, "conv1", x, 3, 8, 3, tflite.ActivationFunctionType.RELU6, [1, 8, 8, 8], fp16: true);
        int b = Depthwise(w, rng, "dw", a, 8, [1, 8, 8, 8]);
        int c = Conv(w, rng, "pw", b, 8, 8, 1, tflite.ActivationFunctionType.NONE, [1, 8, 8, 8], fp16: true);
        int d = w.AddTensor("add", TensorType.Float32, [1, 8, 8, 8]);
        w.AddOperator(Op.ADD, [c, a], [d], bb => (tflite.BuiltinOptions.AddOptions, tflite.AddOptions.CreateAddOptions(bb).Value));
        int e = w.AddTensor("pool", TensorType.Float32, [1, 4, 4, 8]);
        w.AddOperator(Op.MAX_POOL_2D, [d], [e], bb => (tflite.BuiltinOptions.Pool2DOptions,
            tflite.Pool2DOptions.CreatePool2DOptions(bb, tflite.Padding.VALID, 2, 2, 2, 2).Value));

        int f = Conv(w, rng, "box1", e, 8, 4, 1, tflite.ActivationFunctionType.NONE, [1, 4, 4, 4]);
        int g = Reshape(w, "box1_reshape", f, [1, 16, 4]);
        int h = Conv(w, rng, "box2", e, 8, 4, 3, tflite.ActivationFunctionType.NONE, [1, 4, 4, 4]);
        int i = Reshape(w, "box2_reshape", h, [1, 16, 4]);
        int boxes = w.AddTensor("boxes", TensorType.Float32, [1, 32, 4]);
        w.AddOperator(Op.CONCATENATION, [g, i], [boxes], bb => (tflite.BuiltinOptions.ConcatenationOptions,
            tflite.ConcatenationOptions.CreateConcatenationOptions(bb, 1).Value));

        int k = Conv(w, rng, "class", e, 8, 3, 1, tflite.ActivationFunctionType.NONE, [1, 4, 4, 3]);
        int logits = Reshape(w, "logits", k, [1, 16, 3]);

        int axes = w.AddConstant("axes", TensorType.Int32, [2], new int[] { 1, 2 });
        int m = w.AddTensor("mean", TensorType.Float32, [1, 8]);
        w.AddOperator(Op.MEAN, [e, axes], [m], bb => (tflite.BuiltinOptions.ReducerOptions, tflite.ReducerOptions.CreateReducerOptions(bb, false).Value));
        int fcW = w.AddConstant("fc_w", TensorType.Float32, [5, 8], Values(rng, 40, 0.5f));
        int fcB = w.AddConstant("fc_b", TensorType.Float32, [5], Values(rng, 5, 0.1f));
        int n = w.AddTensor("fc", TensorType.Float32, [1, 5]);
        w.AddOperator(Op.FULLY_CONNECTED, [m, fcW, fcB], [n], bb => (tflite.BuiltinOptions.FullyConnectedOptions,
            tflite.FullyConnectedOptions.CreateFullyConnectedOptions(bb).Value));
        int probs = w.AddTensor("probs", TensorType.Float32, [1, 5]);
        w.AddOperator(Op.SOFTMAX, [n], [probs], bb => (tflite.BuiltinOptions.SoftmaxOptions, tflite.SoftmaxOptions.CreateSoftmaxOptions(bb, 1f).Value));

        w.SetInputs(x);
        w.SetOutputs(boxes, logits, probs);
        return w.Build();
    }

    /// <summary>Deterministic pseudo-random inputs in [-1, 1].</summary>
    public static float[] Input(int seed)
    {
        var rng = new Random(seed);
        var v = new float[InputShape.Aggregate(1, (p, q) => p * q)];
        for (int i = 0; i < v.Length; i++) v[i] = (float)(rng.NextDouble() * 2 - 1);
        return v;
    }

    private static float[] Values(Random rng, int count, float amplitude)
    {
        var v = new float[count];
        for (int i = 0; i < count; i++) v[i] = (float)(rng.NextDouble() * 2 - 1) * amplitude;
        return v;
    }

    private static int Weights(TfliteWriter w, Random rng, string name, int[] shape, float amplitude, bool fp16)
    {
        var values = Values(rng, shape.Aggregate(1, (p, q) => p * q), amplitude);
        if (!fp16) return w.AddConstant(name, TensorType.Float32, shape, values);
        var half = values.Select(v => (Half)v).ToArray();
        int stored = w.AddConstant(name + "_fp16", TensorType.Float16, shape, half);
        int deq = w.AddTensor(name, TensorType.Float32, shape);
        w.AddOperator(Op.DEQUANTIZE, [stored], [deq], version: 3);
        return deq;
    }

    private static int Conv(TfliteWriter w, Random rng, string name, int input, int cin, int cout, int k,
        tflite.ActivationFunctionType act, int[] outShape, bool fp16 = false)
    {
        int wt = Weights(w, rng, name + "_w", [cout, k, k, cin], 0.6f, fp16);
        int bias = Weights(w, rng, name + "_b", [cout], 0.2f, fp16);
        int y = w.AddTensor(name, TensorType.Float32, outShape);
        w.AddOperator(Op.CONV_2D, [input, wt, bias], [y], bb => (tflite.BuiltinOptions.Conv2DOptions,
            tflite.Conv2DOptions.CreateConv2DOptions(bb, tflite.Padding.SAME, 1, 1, act).Value));
        return y;
    }

    private static int Depthwise(TfliteWriter w, Random rng, string name, int input, int channels, int[] outShape)
    {
        int wt = Weights(w, rng, name + "_w", [1, 3, 3, channels], 0.6f, fp16: true);
        int bias = Weights(w, rng, name + "_b", [channels], 0.2f, fp16: false);
        int y = w.AddTensor(name, TensorType.Float32, outShape);
        w.AddOperator(Op.DEPTHWISE_CONV_2D, [input, wt, bias], [y], bb => (tflite.BuiltinOptions.DepthwiseConv2DOptions,
            tflite.DepthwiseConv2DOptions.CreateDepthwiseConv2DOptions(bb, tflite.Padding.SAME, 1, 1, 1, tflite.ActivationFunctionType.RELU6).Value));
        return y;
    }

    private static int Reshape(TfliteWriter w, string name, int input, int[] shape)
    {
        int s = w.AddConstant(name + "_shape", TensorType.Int32, [shape.Length], shape);
        int y = w.AddTensor(name, TensorType.Float32, shape);
        w.AddOperator(Op.RESHAPE, [input, s], [y]);
        return y;
    }
}
