namespace QuantKernels.Runtime;

/// <summary>One tensor of a model as the file declares it (validated; read-only).</summary>
public sealed class ModelTensor
{
    internal ModelTensor(int index, string name, TensorType type, int[] shape, int[]? shapeSignature,
        QuantizationParameters quantization, int bufferIndex, ReadOnlyMemory<byte> data, bool isVariable, bool hasSparsity)
    {
        Index = index;
        Name = name;
        Type = type;
        Shape = shape;
        ShapeSignature = shapeSignature;
        Quantization = quantization;
        BufferIndex = bufferIndex;
        Data = data;
        IsVariable = isVariable;
        HasSparsity = hasSparsity;
    }

    /// <summary>Index in the subgraph's tensor list.</summary>
    public int Index { get; }

    /// <summary>Name from the file (may be empty).</summary>
    public string Name { get; }

    /// <summary>Element type.</summary>
    public TensorType Type { get; }

    /// <summary>Declared shape (an empty array is a scalar).</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>Shape signature (-1 marks a dynamic dimension), if the file has one.</summary>
    public IReadOnlyList<int>? ShapeSignature { get; }

    /// <summary>Quantization parameters (<see cref="QuantizationParameters.None"/> if absent).</summary>
    public QuantizationParameters Quantization { get; }

    /// <summary>Index of the model buffer holding constant data (0 = none).</summary>
    public int BufferIndex { get; }

    /// <summary>Constant data as stored in the file (empty for activations). Used in place, never copied.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>True when the tensor carries constant data.</summary>
    public bool IsConstant => !Data.IsEmpty;

    /// <summary>True for variable (stateful) tensors.</summary>
    public bool IsVariable { get; }

    /// <summary>True when the data is stored sparse (needs DENSIFY).</summary>
    public bool HasSparsity { get; }

    /// <summary>Number of elements of the declared shape.</summary>
    public long ElementCount
    {
        get
        {
            long n = 1;
            foreach (int d in Shape) n *= d;
            return n;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"tensor {Index} '{Name}' {TensorTypes.Name(Type)}[{string.Join(",", Shape)}]";
}
