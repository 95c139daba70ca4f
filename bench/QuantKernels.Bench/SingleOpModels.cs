using QuantKernels.Runtime;
using QuantKernels.Runtime.Writing;

namespace QuantKernels.Bench;

/// <summary>Writes a one-operator int8 .tflite model for a <see cref="KernelShape"/> with <see cref="TfliteWriter"/>.</summary>
public static class SingleOpModels
{
    /// <summary>A single-thread interpreter on <paramref name="model"/>, tensors allocated, the seeded input in place and
    /// one Invoke done (the caller disposes it).</summary>
    /// <param name="model">A model from <see cref="Build"/>.</param>
    /// <param name="path">ISA path forced for every op, or null for the process default.</param>
    public static Interpreter Ready(TfLiteModel model, Kernels.IsaPath? path = null)
    {
        var interp = new Interpreter(model, new InterpreterOptions { Threads = 1, IsaPath = path });
        interp.AllocateTensors();
        var input = interp.GetInputTensor(0);
        input.CopyFrom<sbyte>(KernelShape.RandomInt8((int)input.ElementCount, seed: 1));
        interp.Invoke();
        return interp;
    }

    /// <summary>Serialized model: input int8 NHWC (or [1,K] for FC), constant per-channel int8 weights, int32 bias.</summary>
    public static byte[] Build(KernelShape s)
    {
        var w = new TfliteWriter { Description = $"bench {s.Id}" };
        int n = s.OutC;
        float[] wScales = new float[n];
        float[] bScales = new float[n];
        int[] bias = new int[n];
        for (int c = 0; c < n; c++)
        {
            wScales[c] = KernelShape.WeightScale(c);
            bScales[c] = KernelShape.InputScale * wScales[c];
            bias[c] = KernelShape.Bias(c);
        }
        sbyte[] weights = KernelShape.RandomInt8(s.WeightCount, seed: 2, lo: -127, hi: 127);
        long[] zeros = new long[n];

        int[] inShape, outShape, wShape;
        int quantDim;
        switch (s.Kind)
        {
            case KernelKind.Conv:
                inShape = [1, s.H, s.W, s.InC]; outShape = [1, s.OutH, s.OutW, n]; wShape = [n, s.K, s.K, s.InC]; quantDim = 0; break;
            case KernelKind.Depthwise:
                inShape = [1, s.H, s.W, s.InC]; outShape = [1, s.OutH, s.OutW, n]; wShape = [1, s.K, s.K, n]; quantDim = 3; break;
            default:
                inShape = [1, s.InC]; outShape = [1, n]; wShape = [n, s.InC]; quantDim = 0; break;
        }

        int x = w.AddQuantizedTensor("x", TensorType.Int8, inShape, KernelShape.InputScale, KernelShape.InputZeroPoint);
        int f = w.AddConstant<sbyte>("w", TensorType.Int8, wShape, weights, wScales, zeros, quantDim);
        int b = w.AddConstant<int>("b", TensorType.Int32, [n], bias, bScales, zeros, 0);
        int y = w.AddQuantizedTensor("y", TensorType.Int8, outShape, KernelShape.OutputScale, KernelShape.OutputZeroPoint);
        switch (s.Kind)
        {
            case KernelKind.Conv:
                w.AddOperator(tflite.BuiltinOperator.CONV_2D, [x, f, b], [y], fb =>
                    (tflite.BuiltinOptions.Conv2DOptions, tflite.Conv2DOptions.CreateConv2DOptions(fb, tflite.Padding.SAME, s.Stride, s.Stride).Value),
                    version: 3);
                break;
            case KernelKind.Depthwise:
                w.AddOperator(tflite.BuiltinOperator.DEPTHWISE_CONV_2D, [x, f, b], [y], fb =>
                    (tflite.BuiltinOptions.DepthwiseConv2DOptions,
                     tflite.DepthwiseConv2DOptions.CreateDepthwiseConv2DOptions(fb, tflite.Padding.SAME, s.Stride, s.Stride, depth_multiplier: 1).Value),
                    version: 3);
                break;
            default:
                w.AddOperator(tflite.BuiltinOperator.FULLY_CONNECTED, [x, f, b], [y], fb =>
                    (tflite.BuiltinOptions.FullyConnectedOptions, tflite.FullyConnectedOptions.CreateFullyConnectedOptions(fb).Value),
                    version: 4);
                break;
        }
        w.SetInputs(x);
        w.SetOutputs(y);
        return w.Build();
    }
}
