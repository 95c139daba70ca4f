namespace QuantKernels.Runtime;

/// <summary>One operator of a model's main subgraph (validated; read-only).</summary>
public sealed class ModelOperator
{
    internal ModelOperator(int index, tflite.BuiltinOperator builtinCode, string? customCode, int version,
        int[] inputs, int[] outputs, tflite.Operator raw, ReadOnlyMemory<byte> customOptions)
    {
        Index = index;
        BuiltinCode = builtinCode;
        CustomCode = customCode;
        Version = version;
        Inputs = inputs;
        Outputs = outputs;
        Raw = raw;
        CustomOptions = customOptions;
    }

    /// <summary>Position in execution order.</summary>
    public int Index { get; }

    /// <summary>The builtin operator code (CUSTOM for custom ops).</summary>
    public tflite.BuiltinOperator BuiltinCode { get; }

    /// <summary>The custom op's name, for <c>CUSTOM</c> operators.</summary>
    public string? CustomCode { get; }

    /// <summary>Operator version from the operator code table.</summary>
    public int Version { get; }

    /// <summary>Input tensor indexes (-1 marks an omitted optional input).</summary>
    public IReadOnlyList<int> Inputs { get; }

    /// <summary>Output tensor indexes.</summary>
    public IReadOnlyList<int> Outputs { get; }

    /// <summary>The flatbuffer table, for reading builtin options (its fields were bounds-checked at load).</summary>
    internal tflite.Operator Raw { get; }

    /// <summary>Custom options bytes (a flexbuffer for most custom ops).</summary>
    public ReadOnlyMemory<byte> CustomOptions { get; }

    /// <summary>Name used in messages: the builtin name, or the custom code.</summary>
    public string OpName => BuiltinCode == tflite.BuiltinOperator.CUSTOM ? (CustomCode ?? "CUSTOM") : BuiltinCode.ToString();

    /// <inheritdoc/>
    public override string ToString() => $"operator {Index} ({OpName})";
}
