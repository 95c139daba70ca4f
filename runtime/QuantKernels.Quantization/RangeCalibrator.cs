using QuantKernels.Runtime;

namespace QuantKernels.Quantization;

/// <summary>
/// Runs a float model in the QuantKernels interpreter with every intermediate tensor kept alive and records, per
/// float tensor, the smallest and largest value over all calibration samples (TFLite's MinMax calibration).
/// Constant subgraphs (DEQUANTIZE of fp16 weights) are folded at preparation; their float values are then
/// available through <see cref="Interpreter"/>.
/// </summary>
public sealed class RangeCalibrator : IDisposable
{
    private readonly Interpreter _interpreter;
    private readonly ActivationRange[] _ranges;
    private readonly int[] _observed; // float tensors computed at Invoke

    /// <summary>Prepares <paramref name="model"/> for calibration.</summary>
    /// <exception cref="ArgumentException">A graph input is not float32.</exception>
    public RangeCalibrator(TfLiteModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _interpreter = new Interpreter(model, new InterpreterOptions
        {
            PreserveAllTensors = true,
            // The scalar kernels: float SIMD conv differs in the last bits between ISA paths, and the ranges (hence the
            // written model's bytes) must not depend on the machine that calibrates.
            IsaPath = Kernels.IsaPath.Scalar,
        });
        _interpreter.AllocateTensors();
        for (int i = 0; i < _interpreter.InputCount; i++)
        {
            var t = _interpreter.GetInputTensor(i);
            if (t.Type != TensorType.Float32)
                throw new ArgumentException($"{model.Source}: input {i} {t} is not float32; post-training quantization needs a float model");
        }
        _ranges = new ActivationRange[model.Tensors.Count];
        Array.Fill(_ranges, ActivationRange.Empty);
        var observed = new List<int>();
        foreach (var t in _interpreter.Tensors)
            if (t.Type == TensorType.Float32 && !t.IsConstant && t.HasStorage) observed.Add(t.Index);
        _observed = observed.ToArray();
    }

    /// <summary>The prepared float interpreter (folded constants hold their float values).</summary>
    public Interpreter Interpreter => _interpreter;

    /// <summary>Samples observed so far.</summary>
    public int SampleCount { get; private set; }

    /// <summary>Shapes of the graph inputs, for callers that build calibration tensors.</summary>
    public IReadOnlyList<int[]> InputShapes =>
        Enumerable.Range(0, _interpreter.InputCount).Select(i => _interpreter.GetInputTensor(i).Shape.ToArray()).ToArray();

    /// <summary>Runs one calibration sample: one float array per graph input, each exactly the input's element count.</summary>
    /// <exception cref="ArgumentException">Wrong number of inputs or elements.</exception>
    public void Observe(IReadOnlyList<float[]> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count != _interpreter.InputCount)
            throw new ArgumentException($"the model has {_interpreter.InputCount} input(s); the sample has {inputs.Count}", nameof(inputs));
        Observe(tensors =>
        {
            for (int i = 0; i < inputs.Count; i++)
            {
                var t = tensors[i];
                if (inputs[i].Length != t.ElementCount)
                    throw new ArgumentException($"input {i} {t} needs {t.ElementCount} floats; the sample has {inputs[i].Length}", nameof(inputs));
                t.CopyFrom<float>(inputs[i]);
            }
        });
    }

    /// <summary>
    /// Runs one calibration sample that <paramref name="fillInputs"/> writes straight into the float input tensors
    /// (e.g. an image resized into the input), then records every float tensor's range.
    /// </summary>
    public void Observe(Action<IReadOnlyList<Tensor>> fillInputs)
    {
        ArgumentNullException.ThrowIfNull(fillInputs);
        var inputs = new Tensor[_interpreter.InputCount];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = _interpreter.GetInputTensor(i);
        fillInputs(inputs);
        _interpreter.Invoke();
        foreach (int index in _observed)
            _ranges[index] = _ranges[index].Union(ActivationRange.Of(_interpreter.GetTensor(index).AsReadOnlySpan<float>()));
        SampleCount++;
    }

    /// <summary>The range of tensor <paramref name="index"/> (Empty if it is not an observed float tensor or nothing ran).</summary>
    public ActivationRange RangeOf(int index) => _ranges[index];

    /// <inheritdoc/>
    public void Dispose() => _interpreter.Dispose();
}
