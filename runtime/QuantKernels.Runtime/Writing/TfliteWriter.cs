using Google.FlatBuffers;

namespace QuantKernels.Runtime.Writing;

/// <summary>
/// Builds a single-subgraph <c>.tflite</c> flatbuffer: tensors (with constant data and quantization), operators
/// with builtin or custom options, graph inputs and outputs. Used by tests (single-op probe models), post-training
/// quantization and the trainer's export.
/// </summary>
/// <example>
/// <code>
/// var w = new TfliteWriter();
/// int x = w.AddTensor("x", TensorType.Float32, [1, 4]);
/// int y = w.AddTensor("y", TensorType.Float32, [1, 4]);
/// w.AddOperator(tflite.BuiltinOperator.RELU, [x], [y]);
/// w.SetInputs(x); w.SetOutputs(y);
/// byte[] model = w.Build();
/// </code>
/// </example>
public sealed class TfliteWriter
{
    /// <summary>Writes a builtin options table into the builder and returns its type and offset.</summary>
    public delegate (tflite.BuiltinOptions Type, int Offset) OptionsWriter(FlatBufferBuilder builder);

    private sealed record TensorSpec(string Name, TensorType Type, int[] Shape, byte[]? Data, float[]? Scales, long[]? ZeroPoints, int QuantizedDimension);

    private sealed record OperatorSpec(tflite.BuiltinOperator Code, string? CustomCode, int Version, int[] Inputs, int[] Outputs,
        OptionsWriter? Options, byte[]? CustomOptions);

    private readonly List<TensorSpec> _tensors = [];
    private readonly List<OperatorSpec> _operators = [];
    private int[] _inputs = [];
    private int[] _outputs = [];

    /// <summary>Model description string.</summary>
    public string Description { get; set; } = "QuantKernels";

    /// <summary>Adds a tensor; returns its index. <paramref name="data"/> makes it constant.</summary>
    public int AddTensor(string name, TensorType type, int[] shape, byte[]? data = null,
        float[]? scales = null, long[]? zeroPoints = null, int quantizedDimension = 0)
    {
        _tensors.Add(new TensorSpec(name, type, shape, data, scales, zeroPoints, quantizedDimension));
        return _tensors.Count - 1;
    }

    /// <summary>Adds a per-tensor quantized tensor.</summary>
    public int AddQuantizedTensor(string name, TensorType type, int[] shape, float scale, long zeroPoint, byte[]? data = null)
        => AddTensor(name, type, shape, data, [scale], [zeroPoint]);

    /// <summary>Adds a constant tensor from typed values.</summary>
    public int AddConstant<T>(string name, TensorType type, int[] shape, ReadOnlySpan<T> values,
        float[]? scales = null, long[]? zeroPoints = null, int quantizedDimension = 0) where T : unmanaged
        => AddTensor(name, type, shape, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).ToArray(), scales, zeroPoints, quantizedDimension);

    /// <summary>Adds a builtin operator; returns its index.</summary>
    public int AddOperator(tflite.BuiltinOperator code, int[] inputs, int[] outputs, OptionsWriter? options = null, int version = 1)
    {
        _operators.Add(new OperatorSpec(code, null, version, inputs, outputs, options, null));
        return _operators.Count - 1;
    }

    /// <summary>Adds a custom operator with raw (usually flexbuffer) options; returns its index.</summary>
    public int AddCustomOperator(string customCode, int[] inputs, int[] outputs, byte[]? customOptions = null, int version = 1)
    {
        _operators.Add(new OperatorSpec(tflite.BuiltinOperator.CUSTOM, customCode, version, inputs, outputs, null, customOptions));
        return _operators.Count - 1;
    }

    /// <summary>Sets the graph inputs.</summary>
    public void SetInputs(params int[] inputs) => _inputs = inputs;

    /// <summary>Sets the graph outputs.</summary>
    public void SetOutputs(params int[] outputs) => _outputs = outputs;

    /// <summary>Serializes the model.</summary>
    public byte[] Build()
    {
        var b = new FlatBufferBuilder(1024);

        // Buffer 0 is the empty sentinel, as TFLite's converter writes it.
        var buffers = new List<Offset<tflite.Buffer>> { tflite.Buffer.CreateBuffer(b) };
        var tensorOffsets = new Offset<tflite.Tensor>[_tensors.Count];
        for (int i = 0; i < _tensors.Count; i++)
        {
            var t = _tensors[i];
            uint bufferIndex = 0;
            if (t.Data is { Length: > 0 })
            {
                b.StartVector(1, t.Data.Length, 16);
                b.Add<byte>(t.Data);
                var dataVec = b.EndVector();
                buffers.Add(tflite.Buffer.CreateBuffer(b, dataVec));
                bufferIndex = (uint)(buffers.Count - 1);
            }
            var name = b.CreateString(t.Name);
            var shape = tflite.Tensor.CreateShapeVector(b, t.Shape);
            Offset<tflite.QuantizationParameters> quant = default;
            if (t.Scales is not null)
            {
                var scales = tflite.QuantizationParameters.CreateScaleVector(b, t.Scales);
                var zps = tflite.QuantizationParameters.CreateZeroPointVector(b, t.ZeroPoints ?? new long[t.Scales.Length]);
                quant = tflite.QuantizationParameters.CreateQuantizationParameters(b, scaleOffset: scales, zero_pointOffset: zps, quantized_dimension: t.QuantizedDimension);
            }
            tensorOffsets[i] = tflite.Tensor.CreateTensor(b, shape, (tflite.TensorType)(sbyte)t.Type, bufferIndex, name, quant);
        }

        var codes = new List<(tflite.BuiltinOperator, string?, int)>();
        var opOffsets = new Offset<tflite.Operator>[_operators.Count];
        for (int i = 0; i < _operators.Count; i++)
        {
            var op = _operators[i];
            var key = (op.Code, op.CustomCode, op.Version);
            int codeIndex = codes.IndexOf(key);
            if (codeIndex < 0) { codes.Add(key); codeIndex = codes.Count - 1; }
            var inputs = tflite.Operator.CreateInputsVector(b, op.Inputs);
            var outputs = tflite.Operator.CreateOutputsVector(b, op.Outputs);
            (tflite.BuiltinOptions Type, int Offset) options = op.Options?.Invoke(b) ?? (tflite.BuiltinOptions.NONE, 0);
            VectorOffset custom = default;
            if (op.CustomOptions is not null) custom = tflite.Operator.CreateCustomOptionsVector(b, op.CustomOptions);
            tflite.Operator.StartOperator(b);
            tflite.Operator.AddOpcodeIndex(b, (uint)codeIndex);
            tflite.Operator.AddInputs(b, inputs);
            tflite.Operator.AddOutputs(b, outputs);
            if (options.Type != tflite.BuiltinOptions.NONE)
            {
                tflite.Operator.AddBuiltinOptionsType(b, options.Type);
                tflite.Operator.AddBuiltinOptions(b, options.Offset);
            }
            if (op.CustomOptions is not null) tflite.Operator.AddCustomOptions(b, custom);
            opOffsets[i] = tflite.Operator.EndOperator(b);
        }

        var codeOffsets = new Offset<tflite.OperatorCode>[codes.Count];
        for (int i = 0; i < codes.Count; i++)
        {
            var (code, custom, version) = codes[i];
            var customName = custom is null ? default : b.CreateString(custom);
            // Codes below 127 also go in the deprecated int8 field so older readers (and TFLite) agree.
            sbyte deprecated = (int)code < 127 ? (sbyte)(int)code : (sbyte)127;
            codeOffsets[i] = tflite.OperatorCode.CreateOperatorCode(b, deprecated, customName, version, code);
        }

        var subgraph = tflite.SubGraph.CreateSubGraph(b,
            tflite.SubGraph.CreateTensorsVector(b, tensorOffsets),
            tflite.SubGraph.CreateInputsVector(b, _inputs),
            tflite.SubGraph.CreateOutputsVector(b, _outputs),
            tflite.SubGraph.CreateOperatorsVector(b, opOffsets),
            b.CreateString("main"));
        var model = tflite.Model.CreateModel(b, 3,
            tflite.Model.CreateOperatorCodesVector(b, codeOffsets),
            tflite.Model.CreateSubgraphsVector(b, [subgraph]),
            b.CreateString(Description),
            tflite.Model.CreateBuffersVector(b, buffers.ToArray()));
        tflite.Model.FinishModelBuffer(b, model);
        return b.SizedByteArray();
    }
}
