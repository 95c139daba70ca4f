using QuantKernels.Kernels.Quantization;
using QuantKernels.Runtime.Writing;

namespace QuantKernels.Runtime.Tests.OpTests;

/// <summary>Builds a one-operator model with <see cref="TfliteWriter"/> and runs it.</summary>
internal sealed class OpTestModel : IDisposable
{
    private TfLiteModel? _model;

    public TfliteWriter W { get; } = new();

    public Interpreter Interpreter { get; private set; } = null!;

    /// <summary>Serializes the model, creates an interpreter and allocates its tensors.</summary>
    public OpTestModel Prepare(RequantConvention convention = RequantConvention.Xnnpack)
    {
        _model = TfLiteModel.FromBytes(W.Build());
        Interpreter = new Interpreter(_model, new InterpreterOptions { Convention = convention });
        Interpreter.AllocateTensors();
        return this;
    }

    public OpTestModel Input<T>(int i, params T[] values) where T : unmanaged
    {
        Interpreter.GetInputTensor(i).CopyFrom<T>(values);
        return this;
    }

    public OpTestModel Invoke()
    {
        Interpreter.Invoke();
        return this;
    }

    public T[] Output<T>(int i) where T : unmanaged => Interpreter.GetOutputTensor(i).ToArray<T>();

    public int[] OutputShape(int i) => Interpreter.GetOutputTensor(i).Shape.ToArray();

    /// <summary>Preparing the model must fail with a model error naming the operator.</summary>
    public ModelFormatException PrepareFails(string opName)
    {
        var e = Assert.ThrowsAny<ModelFormatException>(() => Prepare());
        Assert.Contains(opName, e.Message);
        return e;
    }

    public void Dispose()
    {
        Interpreter?.Dispose();
        _model?.Dispose();
    }
}
