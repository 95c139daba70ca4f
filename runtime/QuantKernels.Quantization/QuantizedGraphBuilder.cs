using System.Runtime.InteropServices;
using QuantKernels.Runtime;
using QuantKernels.Runtime.Writing;
using Op = tflite.BuiltinOperator;

namespace QuantKernels.Quantization;

/// <summary>Writes the int8 form of a calibrated float graph (one use: construct, then <see cref="Build"/>).</summary>
internal sealed class QuantizedGraphBuilder
{
    private readonly TfLiteModel _model;
    private readonly tflite.SubGraph _raw;
    private readonly RangeCalibrator _calibrator;
    private readonly Interpreter _float;
    private readonly QuantizationOptions _options;
    private readonly TfliteWriter _writer = new();
    private readonly List<string> _warnings = [];
    private readonly List<string> _added = [];
    private readonly Dictionary<int, int> _activation = []; // float tensor -> int8 tensor in the new model
    private readonly Dictionary<(int Tensor, InputRole Role), (int Index, float[] Scales)> _constants = [];
    private readonly Dictionary<(int Tensor, int Op), (int Index, float[] Scales)> _weights = [];
    private readonly bool[] _live;
    private readonly ParamsPlanner _planner;

    public QuantizedGraphBuilder(TfLiteModel model, tflite.SubGraph raw, RangeCalibrator calibrator, QuantizationOptions options)
    {
        _model = model;
        _raw = raw;
        _calibrator = calibrator;
        _float = calibrator.Interpreter;
        _options = options;
        _writer.Description = options.Description;
        _planner = new ParamsPlanner(model.Tensors.Count, _warnings);
        _live = new bool[model.Operators.Count];
        for (int i = 0; i < _live.Length; i++)
            _live[i] = model.Operators[i].Outputs.Any(o => !_float.GetTensor(o).IsConstant);
    }

    private Tensor T(int index) => _float.GetTensor(index);

    public QuantizationResult Build()
    {
        CheckSupported();
        PlanParams();

        var graphInputs = new List<int>();
        foreach (int x in _model.Inputs) graphInputs.Add(AddGraphInput(x));

        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var graphOutputs = new HashSet<int>(_model.Outputs);
        for (int i = 0; i < _live.Length; i++)
        {
            if (!_live[i]) continue;
            var op = _model.Operators[i];
            WriteOperator(op, OpRule.Find(op.BuiltinCode)!, graphOutputs);
            counts[op.OpName] = counts.GetValueOrDefault(op.OpName) + 1;
        }

        var outputs = _options.SsdPostProcess is { } ssd
            ? new SsdPostProcessAppender(_writer, _model, _activation, ssd, _added).Append()
            : _model.Outputs.Select(AddGraphOutput).ToList();
        _writer.SetInputs([.. graphInputs]);
        _writer.SetOutputs([.. outputs]);

        return new QuantizationResult
        {
            Model = _writer.Build(),
            FloatModelBytes = 0,
            CalibrationSamples = _calibrator.SampleCount,
            QuantizedOps = counts,
            FoldedOps = _live.Count(l => !l),
            AddedOps = _added,
            Warnings = _warnings,
        };
    }

    private void CheckSupported()
    {
        var unsupported = new List<string>();
        for (int i = 0; i < _live.Length; i++)
        {
            if (!_live[i]) continue;
            var op = _model.Operators[i];
            if (OpRule.Find(op.BuiltinCode) is null) unsupported.Add(op.ToString());
            foreach (int o in op.Outputs)
                if (T(o).Type != TensorType.Float32) unsupported.Add($"{op}: output {T(o)} is not float32");
        }
        if (unsupported.Count > 0)
            throw new NotSupportedException($"{_model.Source}: cannot quantize {string.Join("; ", unsupported.Distinct().Take(10))}" +
                                            $"{(unsupported.Count > 10 ? $" (and {unsupported.Count - 10} more)" : "")}. Supported operators: {OpRule.SupportedNames}");
    }

    private void PlanParams()
    {
        foreach (int x in _model.Inputs)
            _planner.Add(x, _options.InputRange ?? _calibrator.RangeOf(x));
        for (int i = 0; i < _live.Length; i++)
        {
            if (!_live[i]) continue;
            var op = _model.Operators[i];
            var rule = OpRule.Find(op.BuiltinCode)!;
            for (int k = 0; k < op.Inputs.Count; k++)
            {
                int t = op.Inputs[k];
                if (t < 0 || rule.RoleOf(k) != InputRole.Activation) continue;
                if (T(t).IsConstant) _planner.Add(t, ActivationRange.Of(FloatData(t, op)));
            }
            foreach (int o in op.Outputs) _planner.Add(o, _calibrator.RangeOf(o));
            if (rule.Output == OutputKind.Fixed)
                foreach (int o in op.Outputs) _planner.Fix(o, rule.Fixed, op.ToString());
            if (rule.Output == OutputKind.SameAsInputs)
                for (int k = 0; k < op.Inputs.Count; k++)
                    if (op.Inputs[k] >= 0 && rule.RoleOf(k) == InputRole.Activation)
                        foreach (int o in op.Outputs) _planner.Tie(o, op.Inputs[k]);
        }
    }

    private QuantParams ParamsOf(int tensor) => _planner.ParamsOf(tensor, _model.Tensors[tensor]);

    private int AddGraphInput(int x)
    {
        var t = T(x);
        var p = ParamsOf(x);
        if (_options.Int8Inputs)
            return _activation[x] = _writer.AddQuantizedTensor(t.Name, TensorType.Int8, t.Shape.ToArray(), p.Scale, p.ZeroPoint);
        int f = _writer.AddTensor(t.Name, TensorType.Float32, t.Shape.ToArray());
        int q = _writer.AddQuantizedTensor(t.Name + "/int8", TensorType.Int8, t.Shape.ToArray(), p.Scale, p.ZeroPoint);
        _writer.AddOperator(Op.QUANTIZE, [f], [q], version: 1);
        _added.Add($"QUANTIZE of input '{t.Name}' {p}");
        _activation[x] = q;
        return f;
    }

    private int AddGraphOutput(int y)
    {
        int q = _activation.TryGetValue(y, out int v) ? v
            : throw new InvalidOperationException($"{_model.Source}: output {T(y)} is not computed by any operator");
        if (!_options.FloatOutputs) return q;
        var t = T(y);
        int f = _writer.AddTensor(t.Name, TensorType.Float32, t.Shape.ToArray());
        _writer.AddOperator(Op.DEQUANTIZE, [q], [f], version: 2);
        _added.Add($"DEQUANTIZE of output '{t.Name}'");
        return f;
    }

    private void WriteOperator(ModelOperator op, OpRule rule, HashSet<int> graphOutputs)
    {
        var inputs = new int[op.Inputs.Count];
        for (int k = 0; k < inputs.Length; k++)
        {
            int t = op.Inputs[k];
            inputs[k] = t < 0 ? -1 : rule.RoleOf(k) switch
            {
                InputRole.Activation => ActivationInput(t, op),
                InputRole.Weights => Weights(t, op, rule.WeightAxis).Index,
                InputRole.Bias => Bias(t, op),
                _ => RawConstant(t, op),
            };
        }
        var outputs = new int[op.Outputs.Count];
        for (int k = 0; k < outputs.Length; k++)
        {
            int o = op.Outputs[k];
            var t = T(o);
            var p = ParamsOf(o);
            // A graph output dequantized to float keeps its name on the float tensor.
            bool renamed = _options.FloatOutputs && _options.SsdPostProcess is null && graphOutputs.Contains(o);
            outputs[k] = _activation[o] = _writer.AddQuantizedTensor(renamed ? t.Name + "/int8" : t.Name, TensorType.Int8, t.Shape.ToArray(), p.Scale, p.ZeroPoint);
        }
        _writer.AddOperator(op.BuiltinCode, inputs, outputs, OptionsCopier.For(_raw.Operators(op.Index)!.Value, op.ToString()), rule.Version);
    }

    private int ActivationInput(int t, ModelOperator op)
    {
        if (!T(t).IsConstant)
            return _activation.TryGetValue(t, out int v) ? v : throw new InvalidOperationException($"{op}: input {T(t)} is not computed before it");
        if (_constants.TryGetValue((t, InputRole.Activation), out var c)) return c.Index;
        var p = ParamsOf(t);
        var q = Int8Math.Quantize(FloatData(t, op), p);
        int index = _writer.AddTensor(T(t).Name, TensorType.Int8, T(t).Shape.ToArray(), MemoryMarshal.AsBytes(q.AsSpan()).ToArray(), [p.Scale], [p.ZeroPoint]);
        _constants[(t, InputRole.Activation)] = (index, [p.Scale]);
        return index;
    }

    private (int Index, float[] Scales) Weights(int t, ModelOperator op, int axis)
    {
        // Weights are quantized per consuming op: the op's bias can force larger weight scales (below).
        if (_weights.TryGetValue((t, op.Index), out var c)) return c;
        var tensor = T(t);
        var shape = tensor.Shape.ToArray();
        if (axis >= shape.Length) throw new NotSupportedException($"{op}: weights {tensor} have no axis {axis}");
        var (q, scales) = Int8Math.SymmetricWeights(FloatData(t, op), shape, axis, MinimumWeightScales(op, axis < 0 ? 1 : shape[axis]));
        int index = _writer.AddTensor(tensor.Name, TensorType.Int8, shape, MemoryMarshal.AsBytes(q.AsSpan()).ToArray(),
            scales, new long[scales.Length], Math.Max(axis, 0));
        return _weights[(t, op.Index)] = (index, scales);
    }

    /// <summary>
    /// Per-channel lower bounds on the weight scale so that the int32 bias (at input_scale * weight_scale) stays within
    /// +-2^30, as TFLite's quantizer widens weight scales of near-zero channels that carry a large bias.
    /// </summary>
    private float[]? MinimumWeightScales(ModelOperator op, int channels)
    {
        if (op.Inputs.Count < 3 || op.Inputs[2] < 0) return null;
        var bias = FloatData(op.Inputs[2], op);
        if (bias.Length != channels && channels != 1) return null;
        float inputScale = ParamsOf(op.Inputs[0]).Scale;
        var min = new float[channels];
        for (int c = 0; c < bias.Length; c++)
        {
            float need = MathF.Abs(bias[c]) / (inputScale * (float)(1 << 30));
            int k = channels == 1 ? 0 : c;
            min[k] = MathF.Max(min[k], need);
        }
        return min;
    }

    private int Bias(int t, ModelOperator op)
    {
        var tensor = T(t);
        float inputScale = ParamsOf(op.Inputs[0]).Scale;
        var (_, weightScales) = Weights(op.Inputs[1], op, OpRule.Find(op.BuiltinCode)!.WeightAxis);
        var (values, scales, clamped) = Int8Math.Bias(FloatData(t, op), inputScale, weightScales);
        if (clamped > 0) _warnings.Add($"{op}: {clamped} bias value(s) of {tensor} clamped to the int32 range");
        // Biases depend on the consumer's input scale, so each op gets its own tensor.
        return _writer.AddTensor(tensor.Name, TensorType.Int32, tensor.Shape.ToArray(), MemoryMarshal.AsBytes(values.AsSpan()).ToArray(),
            scales, new long[scales.Length], 0);
    }

    private int RawConstant(int t, ModelOperator op)
    {
        var tensor = T(t);
        if (!tensor.IsConstant || tensor.Type == TensorType.Float32)
            throw new NotSupportedException($"{op}: input {tensor} must be a non-float constant");
        if (_constants.TryGetValue((t, InputRole.Raw), out var c)) return c.Index;
        int index = _writer.AddTensor(tensor.Name, tensor.Type, tensor.Shape.ToArray(), tensor.Bytes.ToArray());
        _constants[(t, InputRole.Raw)] = (index, []);
        return index;
    }

    private ReadOnlySpan<float> FloatData(int t, ModelOperator op)
    {
        var tensor = T(t);
        if (!tensor.IsConstant) throw new NotSupportedException($"{op}: input {tensor} must be constant");
        if (tensor.Type != TensorType.Float32) throw new NotSupportedException($"{op}: constant {tensor} is not float32");
        return tensor.AsReadOnlySpan<float>();
    }
}
