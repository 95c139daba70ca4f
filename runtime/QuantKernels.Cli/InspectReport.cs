using System.Text.Json;
using System.Text.Json.Serialization;
using QuantKernels.Runtime;
using QuantKernels.Runtime.Ops;

namespace QuantKernels.Cli;

/// <summary>
/// What <c>qk inspect</c> reports about a model; <c>--json</c> serializes exactly this (camelCase names).
/// The shape is stable: fields are only ever added, and <see cref="FormatVersion"/> changes if one is removed or renamed.
/// </summary>
/// <remarks>
/// <code>
/// {
///   "formatVersion": 1,
///   "model": "path/model.tflite", "schemaVersion": 3, "description": "TOCO Converted.", "subgraphCount": 1,
///   "tensorCount": 179, "operatorCount": 65,
///   "inputs":  [ { "index": 0, "tensor": 88, "name": "input", "type": "uint8", "shape": [1,224,224,3],
///                  "quantization": { "perAxis": false, "scaleCount": 1, "scale": 0.0078125, "zeroPoint": 128, "axis": 0 } } ],
///   "outputs": [ ...same as inputs... ],
///   "operators": [ { "index": 0, "op": "CONV_2D", "builtinCode": 3, "customCode": null, "version": 1,
///                    "inputs": [88,8,7], "outputs": [9], "supported": true } ],
///   "tensors": [ { "index": 0, "name": "...", "type": "int8", "shape": [32,3,3,3], "shapeSignature": null,
///                  "quantization": null | {...as above...}, "constantBytes": 864, "isVariable": false } ],
///   "weightBytes": 3577760,
///   "arenaBytes": 1204224 | null,        // null when the interpreter could not be prepared
///   "foldedConstantBytes": 0 | null,     // tensors computed once at preparation (e.g. DEQUANTIZE of fp16 weights)
///   "arenaError": null | "why arenaBytes is null",
///   "unsupportedOperators": [ "CONV_2D v3 (ops 0, 4)" ]   // empty when every operator has a kernel
/// }
/// </code>
/// </remarks>
public sealed record InspectReport(
    int FormatVersion,
    string Model,
    int SchemaVersion,
    string? Description,
    int SubgraphCount,
    int TensorCount,
    int OperatorCount,
    IReadOnlyList<GraphIoInfo> Inputs,
    IReadOnlyList<GraphIoInfo> Outputs,
    IReadOnlyList<OperatorInfo> Operators,
    IReadOnlyList<TensorInfo> Tensors,
    long WeightBytes,
    long? ArenaBytes,
    long? FoldedConstantBytes,
    string? ArenaError,
    IReadOnlyList<string> UnsupportedOperators)
{
    /// <summary>Version of this JSON shape.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>Builds the report; tries to prepare an interpreter for the arena size, and never throws for unsupported ops.</summary>
    public static InspectReport Create(TfLiteModel model, OpResolver? resolver = null)
    {
        resolver ??= OpResolver.CreateDefault();
        var unsupported = ModelSession.UnsupportedOperators(model, resolver);
        long? arena = null, folded = null;
        string? arenaError = null;
        if (unsupported.Count > 0)
        {
            arenaError = $"{unsupported.Count} unsupported operator kind(s)";
        }
        else
        {
            try
            {
                using var interpreter = new Interpreter(model, new InterpreterOptions { Resolver = resolver });
                interpreter.AllocateTensors();
                arena = interpreter.ArenaBytes;
                folded = interpreter.FoldedConstantBytes;
            }
            catch (Exception e) when (e is ModelFormatException or InvalidOperationException or ArgumentException or NotSupportedException)
            {
                // Inspect describes broken models too; the reason is shown instead of the arena size.
                arenaError = CliErrors.OneLine(e.Message);
            }
        }

        return new InspectReport(
            CurrentFormatVersion,
            model.Source,
            model.Version,
            model.Description,
            model.SubgraphCount,
            model.Tensors.Count,
            model.Operators.Count,
            [.. model.Inputs.Select((t, i) => GraphIoInfo.Create(i, model.Tensors[t]))],
            [.. model.Outputs.Select((t, i) => GraphIoInfo.Create(i, model.Tensors[t]))],
            [.. model.Operators.Select(op => OperatorInfo.Create(op, resolver.Supports(op)))],
            [.. model.Tensors.Select(TensorInfo.Create)],
            model.WeightBytes,
            arena,
            folded,
            arenaError,
            unsupported);
    }

    /// <summary>The report as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, CliJsonContext.Default.InspectReport);
}

/// <summary>A graph input or output: its position among the inputs/outputs and the tensor it is.</summary>
public sealed record GraphIoInfo(int Index, int Tensor, string Name, string Type, IReadOnlyList<int> Shape, QuantizationInfo? Quantization)
{
    internal static GraphIoInfo Create(int index, ModelTensor t) =>
        new(index, t.Index, t.Name, TensorTypes.Name(t.Type), t.Shape, QuantizationInfo.Create(t.Quantization));
}

/// <summary>One operator: name, version, tensor indexes (-1 = omitted optional input), whether this runtime has a kernel.</summary>
public sealed record OperatorInfo(int Index, string Op, int BuiltinCode, string? CustomCode, int Version,
    IReadOnlyList<int> Inputs, IReadOnlyList<int> Outputs, bool Supported)
{
    internal static OperatorInfo Create(ModelOperator op, bool supported) =>
        new(op.Index, op.OpName, (int)op.BuiltinCode, op.CustomCode, op.Version, op.Inputs, op.Outputs, supported);
}

/// <summary>One tensor as declared in the file; <see cref="ConstantBytes"/> is 0 for activations.</summary>
public sealed record TensorInfo(int Index, string Name, string Type, IReadOnlyList<int> Shape, IReadOnlyList<int>? ShapeSignature,
    QuantizationInfo? Quantization, long ConstantBytes, bool IsVariable)
{
    internal static TensorInfo Create(ModelTensor t) =>
        new(t.Index, t.Name, TensorTypes.Name(t.Type), t.Shape, t.ShapeSignature, QuantizationInfo.Create(t.Quantization),
            t.Data.Length, t.IsVariable);
}

/// <summary>Quantization summary: how many scales, the first scale and zero point, and the axis (meaningful when per axis).</summary>
public sealed record QuantizationInfo(bool PerAxis, int ScaleCount, float Scale, long ZeroPoint, int Axis)
{
    internal static QuantizationInfo? Create(QuantizationParameters q) =>
        q.IsQuantized ? new(q.IsPerAxis, q.Scales.Count, q.Scale, q.ZeroPoints.Count > 0 ? q.ZeroPoints[0] : 0, q.QuantizedDimension) : null;
}

/// <summary>One entry of the <c>tensors.json</c> index that <c>qk run --all-tensors</c> writes.</summary>
public sealed record TensorDumpEntry(int Index, string Name, string Type, IReadOnlyList<int> Shape, float Scale, long ZeroPoint,
    int ScaleCount, string File);

/// <summary>The <c>tensors.json</c> file: the model and every dumped tensor.</summary>
public sealed record TensorDumpIndex(int FormatVersion, string Model, IReadOnlyList<TensorDumpEntry> Tensors);

/// <summary>Source-generated JSON metadata (camelCase, indented; NaN/Infinity written as strings rather than failing).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(InspectReport))]
[JsonSerializable(typeof(TensorDumpIndex))]
public sealed partial class CliJsonContext : JsonSerializerContext;
