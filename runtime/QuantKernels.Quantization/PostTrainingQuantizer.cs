using Google.FlatBuffers;
using QuantKernels.Runtime;

namespace QuantKernels.Quantization;

/// <summary>
/// Post-training int8 quantization of a float <c>.tflite</c>: feed calibration samples with <see cref="Observe(IReadOnlyList{float[]})"/>
/// (the float model runs in the QuantKernels interpreter and every float tensor's min/max is recorded), then
/// <see cref="Build"/> writes the int8 model: per-channel symmetric int8 weights, int32 biases, int8 activations with
/// TFLite's range nudging, fp16/constant subgraphs folded, TFLite's fixed and shared output parameters.
/// </summary>
/// <example>
/// <code>
/// using var q = new PostTrainingQuantizer(File.ReadAllBytes("float.tflite"));
/// foreach (float[] image in calibrationImages) q.Observe([image]);
/// var result = q.Build(new QuantizationOptions());
/// File.WriteAllBytes("int8.tflite", result.Model);
/// </code>
/// </example>
public sealed class PostTrainingQuantizer : IDisposable
{
    private readonly byte[] _bytes;
    private readonly TfLiteModel _model;
    private readonly RangeCalibrator _calibrator;

    /// <summary>Loads and prepares the float model.</summary>
    /// <exception cref="ModelFormatException">The bytes are not a valid model.</exception>
    /// <exception cref="ArgumentException">A graph input is not float32.</exception>
    public PostTrainingQuantizer(byte[] floatModel, string source = "<memory>")
    {
        ArgumentNullException.ThrowIfNull(floatModel);
        _bytes = floatModel;
        _model = TfLiteModel.FromBytes(floatModel, source);
        try
        {
            _calibrator = new RangeCalibrator(_model);
        }
        catch
        {
            _model.Dispose();
            throw;
        }
    }

    /// <summary>The float model.</summary>
    public TfLiteModel Model => _model;

    /// <summary>Shapes of the graph inputs (a calibration sample holds one float array per input, of this many elements).</summary>
    public IReadOnlyList<int[]> InputShapes => _calibrator.InputShapes;

    /// <summary>Samples observed so far.</summary>
    public int SampleCount => _calibrator.SampleCount;

    /// <summary>Runs the float model on one calibration sample and records every float tensor's range.</summary>
    public void Observe(IReadOnlyList<float[]> inputs) => _calibrator.Observe(inputs);

    /// <summary>Runs one calibration sample written by <paramref name="fillInputs"/> straight into the float input tensors.</summary>
    public void Observe(Action<IReadOnlyList<Tensor>> fillInputs) => _calibrator.Observe(fillInputs);

    /// <summary>The calibrated range of tensor <paramref name="index"/> of the float model.</summary>
    public ActivationRange RangeOf(int index) => _calibrator.RangeOf(index);

    /// <summary>Writes the int8 model.</summary>
    /// <exception cref="InvalidOperationException">No calibration sample was observed.</exception>
    /// <exception cref="NotSupportedException">The model has operators the quantizer does not handle (all are named).</exception>
    public QuantizationResult Build(QuantizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (_calibrator.SampleCount == 0 && options.InputRange is null)
            throw new InvalidOperationException("no calibration sample observed: call Observe at least once before Build");
        var raw = tflite.Model.GetRootAsModel(new ByteBuffer(_bytes)).Subgraphs(0)!.Value;
        var builder = new QuantizedGraphBuilder(_model, raw, _calibrator, options);
        var result = builder.Build();
        return result with { FloatModelBytes = _bytes.LongLength };
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _calibrator.Dispose();
        _model.Dispose();
    }
}
