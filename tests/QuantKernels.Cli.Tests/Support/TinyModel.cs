using Google.FlatBuffers;

namespace QuantKernels.Cli.Tests.Support;

/// <summary>
/// Writes tiny <c>.tflite</c> models with <see cref="FlatBufferBuilder"/> and the generated <c>tflite.*</c> builders:
/// one op mapping tensor 0 (input, [1,2,3]) to tensor 2 (output, [6]), with tensor 1 the constant int32 new shape {6}.
/// </summary>
public static class TinyModel
{
    /// <summary>A custom op code no resolver registers, for the unsupported-operator paths.</summary>
    public const string UnsupportedCustomOp = "QK_TEST_UNSUPPORTED";

    /// <summary>Options of the tiny model.</summary>
    /// <param name="Type">Element type of input and output.</param>
    /// <param name="Scale">Per-tensor scale of input and output (null: not quantized).</param>
    /// <param name="ZeroPoint">Zero point used with <paramref name="Scale"/>.</param>
    /// <param name="CustomOp">Use this custom op instead of RESHAPE (null: RESHAPE).</param>
    /// <param name="Extras">
    /// Add tensor 3, a constant int8[2,3] with per-axis scales {0.25,0.5,1} on axis 1, and tensor 4, a float32[4]
    /// activation no operator uses (exercises per-axis summaries and the dangling-tensor path of --all-tensors).
    /// </param>
    public sealed record Options(tflite.TensorType Type = tflite.TensorType.FLOAT32, float? Scale = null, long ZeroPoint = 0,
        string? CustomOp = null, bool Extras = false, string Description = "qk cli test model");

    /// <summary>The model's bytes.</summary>
    public static byte[] Build(Options? options = null)
    {
        var o = options ?? new Options();
        var b = new FlatBufferBuilder(1024);

        // Buffer 0 is the conventional empty buffer; buffer 1 holds the new shape {6}; buffer 2 the per-axis constant.
        var shapeBytes = BitConverter.GetBytes(6);
        var buffers = new List<Offset<tflite.Buffer>>
        {
            tflite.Buffer.CreateBuffer(b),
            tflite.Buffer.CreateBuffer(b, tflite.Buffer.CreateDataVector(b, shapeBytes)),
        };
        if (o.Extras) buffers.Add(tflite.Buffer.CreateBuffer(b, tflite.Buffer.CreateDataVector(b, [1, 2, 3, 0xFD, 0xFE, 0xFF])));

        Offset<tflite.QuantizationParameters> Quant(float[] scales, long[] zeroPoints, int axis) =>
            tflite.QuantizationParameters.CreateQuantizationParameters(b,
                scaleOffset: tflite.QuantizationParameters.CreateScaleVector(b, scales),
                zero_pointOffset: tflite.QuantizationParameters.CreateZeroPointVector(b, zeroPoints),
                quantized_dimension: axis);
        Offset<tflite.Tensor> Tensor(string name, int[] shape, tflite.TensorType type, uint buffer, Offset<tflite.QuantizationParameters> q) =>
            tflite.Tensor.CreateTensor(b, tflite.Tensor.CreateShapeVector(b, shape), type, buffer, b.CreateString(name), q);

        var ioQuant = o.Scale is { } scale ? Quant([scale], [o.ZeroPoint], 0) : default;
        var tensors = new List<Offset<tflite.Tensor>>
        {
            Tensor("input", [1, 2, 3], o.Type, 0, ioQuant),
            Tensor("new_shape", [1], tflite.TensorType.INT32, 1, default),
            Tensor("output", [6], o.Type, 0, o.Scale is not null ? Quant([o.Scale.Value], [o.ZeroPoint], 0) : default),
        };
        if (o.Extras)
        {
            tensors.Add(Tensor("per_axis_const", [2, 3], tflite.TensorType.INT8, 2, Quant([0.25f, 0.5f, 1f], [0, 0, 0], 1)));
            tensors.Add(Tensor("dangling", [4], tflite.TensorType.FLOAT32, 0, default));
        }

        Offset<tflite.OperatorCode> opCode = o.CustomOp is { } custom
            ? tflite.OperatorCode.CreateOperatorCode(b, deprecated_builtin_code: (sbyte)tflite.BuiltinOperator.CUSTOM,
                custom_codeOffset: b.CreateString(custom), version: 1, builtin_code: tflite.BuiltinOperator.CUSTOM)
            : tflite.OperatorCode.CreateOperatorCode(b, deprecated_builtin_code: (sbyte)tflite.BuiltinOperator.RESHAPE,
                version: 1, builtin_code: tflite.BuiltinOperator.RESHAPE);

        var reshapeOptions = o.CustomOp is null
            ? tflite.ReshapeOptions.CreateReshapeOptions(b, tflite.ReshapeOptions.CreateNewShapeVector(b, [6])).Value
            : 0;
        var op = tflite.Operator.CreateOperator(b,
            opcode_index: 0,
            inputsOffset: tflite.Operator.CreateInputsVector(b, [0, 1]),
            outputsOffset: tflite.Operator.CreateOutputsVector(b, [2]),
            builtin_options_type: o.CustomOp is null ? tflite.BuiltinOptions.ReshapeOptions : tflite.BuiltinOptions.NONE,
            builtin_optionsOffset: reshapeOptions);

        var subgraph = tflite.SubGraph.CreateSubGraph(b,
            tflite.SubGraph.CreateTensorsVector(b, [.. tensors]),
            tflite.SubGraph.CreateInputsVector(b, [0]),
            tflite.SubGraph.CreateOutputsVector(b, [2]),
            tflite.SubGraph.CreateOperatorsVector(b, [op]),
            b.CreateString("main"));

        var model = tflite.Model.CreateModel(b,
            version: 3,
            operator_codesOffset: tflite.Model.CreateOperatorCodesVector(b, [opCode]),
            subgraphsOffset: tflite.Model.CreateSubgraphsVector(b, [subgraph]),
            descriptionOffset: b.CreateString(o.Description),
            buffersOffset: tflite.Model.CreateBuffersVector(b, [.. buffers]));
        tflite.Model.FinishModelBuffer(b, model);
        return b.SizedByteArray();
    }

    /// <summary>Writes the model into <paramref name="dir"/> and returns its path.</summary>
    public static string Write(TempDir dir, Options? options = null, string name = "tiny.tflite")
    {
        string path = dir[name];
        File.WriteAllBytes(path, Build(options));
        return path;
    }
}
