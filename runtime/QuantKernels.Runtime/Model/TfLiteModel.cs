using Google.FlatBuffers;

namespace QuantKernels.Runtime;

/// <summary>
/// A validated, read-only TFLite model. Everything the interpreter uses (buffers, tensors, quantization,
/// operators, graph order) is checked once here, so a malformed file fails with a
/// <see cref="ModelFormatException"/> naming what is wrong instead of failing later.
/// </summary>
/// <remarks>
/// The file is read once into a byte array that the model owns; constant tensors are views into that array
/// (weights are used in place, never copied). Google.FlatBuffers 25.2.10's <see cref="ByteBuffer"/> reads only
/// managed arrays, which is why the file is read rather than memory-mapped.
/// </remarks>
public sealed class TfLiteModel : IDisposable
{
    private readonly ModelContents _contents;
    private bool _disposed;

    private TfLiteModel(byte[] bytes, string source)
    {
        Bytes = bytes;
        Source = source;
        _contents = ModelReader.Read(bytes, source);
    }

    /// <summary>Loads a model from a file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ModelFormatException">The file is not a valid TFLite model.</exception>
    public static TfLiteModel FromFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"model file not found: {path}", path);
        if (info.Length > int.MaxValue) throw new ModelFormatException($"{path}: {info.Length} bytes; models over 2 GiB are not supported");
        return new TfLiteModel(File.ReadAllBytes(path), path);
    }

    /// <summary>Loads a model from bytes in memory. The array is used in place: do not modify it while the model lives.</summary>
    /// <exception cref="ModelFormatException">The bytes are not a valid TFLite model.</exception>
    public static TfLiteModel FromBytes(byte[] bytes, string source = "<memory>")
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return new TfLiteModel(bytes, source);
    }

    /// <summary>Where the model came from (a path or "&lt;memory&gt;"), used in messages.</summary>
    public string Source { get; }

    internal byte[] Bytes { get; }

    /// <summary>Schema version from the file.</summary>
    public int Version => _contents.Version;

    /// <summary>The description string from the file, if any.</summary>
    public string? Description => _contents.Description;

    /// <summary>Tensors of the main subgraph.</summary>
    public IReadOnlyList<ModelTensor> Tensors => _contents.Tensors;

    /// <summary>Operators of the main subgraph, in execution order.</summary>
    public IReadOnlyList<ModelOperator> Operators => _contents.Operators;

    /// <summary>Indexes of the main subgraph's input tensors.</summary>
    public IReadOnlyList<int> Inputs => _contents.Inputs;

    /// <summary>Indexes of the main subgraph's output tensors.</summary>
    public IReadOnlyList<int> Outputs => _contents.Outputs;

    /// <summary>Number of subgraphs in the file (only the first is executed).</summary>
    public int SubgraphCount => _contents.SubgraphCount;

    /// <summary>Total bytes of constant tensor data (weights, biases, tables).</summary>
    public long WeightBytes => _contents.WeightBytes;

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <inheritdoc/>
    public void Dispose() => _disposed = true;
}

internal sealed record ModelContents(
    int Version,
    string? Description,
    ModelTensor[] Tensors,
    ModelOperator[] Operators,
    int[] Inputs,
    int[] Outputs,
    int SubgraphCount,
    long WeightBytes);
