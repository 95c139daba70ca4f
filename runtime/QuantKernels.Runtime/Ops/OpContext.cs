using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Runtime.Ops;

/// <summary>What an <see cref="OpKernel"/> sees of the interpreter: its operator, its tensors and the run options.</summary>
public sealed class OpContext
{
    private readonly Tensor?[] _inputs;
    private readonly Tensor[] _outputs;

    internal OpContext(ModelOperator op, Tensor?[] inputs, Tensor[] outputs, InterpreterOptions options, WorkerPool? pool = null)
    {
        Pool = pool;
        Operator = op;
        _inputs = inputs;
        _outputs = outputs;
        Convention = options.Convention;
        Threads = options.Threads;
        IsaPath = options.IsaPath;
    }

    /// <summary>The SIMD path forced by <see cref="InterpreterOptions.IsaPath"/>, or null for the default; ops pass it to
    /// <see cref="Kernels.Dispatch.Select"/> at preparation.</summary>
    public Kernels.IsaPath? IsaPath { get; }

    /// <summary>The operator node from the model.</summary>
    public ModelOperator Operator { get; }

    /// <summary>Which integer convention quantized kernels reproduce.</summary>
    public RequantConvention Convention { get; }

    /// <summary>Threads the kernel may use.</summary>
    public int Threads { get; }

    /// <summary>The interpreter's worker pool when <see cref="Threads"/> &gt; 1, else null.</summary>
    internal WorkerPool? Pool { get; }

    /// <summary>Number of input slots (including omitted optional ones).</summary>
    public int InputCount => _inputs.Length;

    /// <summary>Number of outputs.</summary>
    public int OutputCount => _outputs.Length;

    /// <summary>Input <paramref name="i"/>; a missing or omitted input is a model error naming this operator.</summary>
    public Tensor Input(int i)
    {
        if ((uint)i >= (uint)_inputs.Length || _inputs[i] is null)
            throw Error($"input {i} is required but the operator has {_inputs.Length} inputs{(i < _inputs.Length ? " and it is omitted" : "")}");
        return _inputs[i]!;
    }

    /// <summary>Input <paramref name="i"/>, or null when absent or omitted (-1).</summary>
    public Tensor? OptionalInput(int i) => (uint)i < (uint)_inputs.Length ? _inputs[i] : null;

    /// <summary>Output <paramref name="i"/>.</summary>
    public Tensor Output(int i)
    {
        if ((uint)i >= (uint)_outputs.Length)
            throw Error($"output {i} is required but the operator has {_outputs.Length} outputs");
        return _outputs[i];
    }

    /// <summary>Sets the shape of output <paramref name="i"/> (during Prepare).</summary>
    public void SetOutputShape(int i, ReadOnlySpan<int> shape) => Output(i).SetShape(shape);

    /// <summary>The operator's flatbuffer table, for reading builtin options.</summary>
    internal tflite.Operator Raw => Operator.Raw;

    /// <summary>Reads the builtin options table of type <typeparamref name="T"/>, or null when the operator has none (TFLite's defaults apply).</summary>
    internal T? Options<T>(tflite.BuiltinOptions expected) where T : struct, Google.FlatBuffers.IFlatbufferObject
    {
        var actual = Raw.BuiltinOptionsType;
        if (actual == tflite.BuiltinOptions.NONE) return null;
        if (actual != expected) throw Error($"builtin options are {actual}, expected {expected}");
        return Raw.BuiltinOptions<T>();
    }

    /// <summary>A model error naming this operator.</summary>
    public ModelFormatException Error(string message) => new($"{Operator}: {message}");

    /// <summary>Requires the number of inputs/outputs to be in range.</summary>
    public void RequireCounts(int minInputs, int maxInputs, int outputs)
    {
        if (_inputs.Length < minInputs || _inputs.Length > maxInputs)
            throw Error(minInputs == maxInputs ? $"expects {minInputs} inputs, has {_inputs.Length}" : $"expects {minInputs}..{maxInputs} inputs, has {_inputs.Length}");
        if (_outputs.Length != outputs)
            throw Error($"expects {outputs} outputs, has {_outputs.Length}");
    }

    /// <summary>Requires tensor <paramref name="t"/> to have one of the given types.</summary>
    public void RequireType(Tensor t, string role, params ReadOnlySpan<TensorType> allowed)
    {
        foreach (var a in allowed) if (t.Type == a) return;
        throw new UnsupportedOperatorException($"{Operator}: {role} {t} has type {TensorTypes.Name(t.Type)}; supported: {string.Join(", ", allowed.ToArray().Select(TensorTypes.Name))}");
    }

    /// <summary>An unsupported-variant error naming this operator.</summary>
    public UnsupportedOperatorException Unsupported(string message) => new($"{Operator}: {message}");
}
