using QuantKernels.Runtime;
using QuantKernels.Runtime.Writing;

namespace QuantKernels.Vision.Tests;

/// <summary>An interpreter holding nothing but an image input tensor of a chosen type and size, for preprocessing tests.</summary>
internal sealed class InputTensors : IDisposable
{
    private readonly TfLiteModel _model;
    private readonly Interpreter _interpreter;

    public InputTensors(int width, int height, TensorType type, float scale = 0f, int zeroPoint = 0)
    {
        var w = new TfliteWriter();
        int[] shape = [1, height, width, 3];
        int t = type == TensorType.Float32 ? w.AddTensor("image", type, shape) : w.AddQuantizedTensor("image", type, shape, scale, zeroPoint);
        w.SetInputs(t);
        w.SetOutputs(t);
        _model = TfLiteModel.FromBytes(w.Build());
        _interpreter = new Interpreter(_model);
        _interpreter.AllocateTensors();
    }

    public Tensor Input => _interpreter.GetInputTensor(0);

    public void Dispose()
    {
        _interpreter.Dispose();
        _model.Dispose();
    }
}
