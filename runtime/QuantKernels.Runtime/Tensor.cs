using System.Runtime.InteropServices;

namespace QuantKernels.Runtime;

/// <summary>
/// A tensor of a running <see cref="Interpreter"/>: its shape, type and quantization, and a view of its data
/// (a slice of the interpreter's arena, or the model's constant bytes used in place).
/// </summary>
public sealed class Tensor
{
    private byte[] _storage = [];
    private int _offset;
    private int[] _shape;

    internal Tensor(ModelTensor source)
    {
        Source = source;
        _shape = [.. source.Shape];
        // A sparse constant is constant too (so DENSIFY, its only reader, is folded at AllocateTensors), but its
        // bytes are the stored values, not the dense shape's: ByteSize is the buffer's length.
        if (source.IsConstant)
        {
            if (!MemoryMarshal.TryGetArray(source.Data, out var segment) || segment.Array is null)
                throw new InvalidOperationException("model data is not array-backed");
            _storage = segment.Array;
            _offset = segment.Offset;
            ByteSize = segment.Count;
            IsConstant = true;
        }
        else
        {
            ByteSize = ComputeByteSize(Type, _shape);
        }
    }

    /// <summary>The model's declaration of this tensor.</summary>
    public ModelTensor Source { get; }

    /// <summary>Index in the model's tensor list.</summary>
    public int Index => Source.Index;

    /// <summary>Name from the model.</summary>
    public string Name => Source.Name;

    /// <summary>Element type.</summary>
    public TensorType Type => Source.Type;

    /// <summary>Current shape (after <see cref="Interpreter.AllocateTensors"/>).</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>Number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>Size of dimension <paramref name="i"/>.</summary>
    public int Dim(int i) => _shape[i];

    /// <summary>Quantization parameters from the model.</summary>
    public QuantizationParameters Quantization => Source.Quantization;

    /// <summary>Per-tensor scale (first scale) or 0 if not quantized.</summary>
    public float Scale => Source.Quantization.Scale;

    /// <summary>Per-tensor zero point (first) or 0.</summary>
    public int ZeroPoint => Source.Quantization.ZeroPoint;

    /// <summary>Bytes of data for the current shape.</summary>
    public int ByteSize { get; private set; }

    /// <summary>Number of elements for the current shape.</summary>
    public long ElementCount
    {
        get
        {
            long n = 1;
            foreach (int d in _shape) n *= d;
            return n;
        }
    }

    /// <summary>True when the data is constant (from the model, or computed once at preparation).</summary>
    public bool IsConstant { get; private set; }

    /// <summary>True when data storage has been assigned (after AllocateTensors, for tensors the graph uses).</summary>
    public bool HasStorage => _storage.Length >= _offset + ByteSize && (_storage.Length > 0 || ByteSize == 0);

    /// <summary>The data bytes (read-only view); empty for a tensor no operator uses (it gets no storage).</summary>
    public ReadOnlySpan<byte> Bytes => HasStorage ? new(_storage, _offset, ByteSize) : default;

    /// <summary>The data bytes, writable; only for non-constant tensors.</summary>
    internal Span<byte> MutableBytes => new(_storage, _offset, ByteSize);

    /// <summary>The data as elements of <typeparamref name="T"/> (read-only).</summary>
    public ReadOnlySpan<T> AsReadOnlySpan<T>() where T : unmanaged => MemoryMarshal.Cast<byte, T>(Bytes);

    /// <summary>The data as elements of <typeparamref name="T"/>, writable. Constant tensors cannot be written.</summary>
    public Span<T> AsSpan<T>() where T : unmanaged
    {
        if (IsConstant) throw new InvalidOperationException($"tensor {Index} '{Name}' is constant");
        return MemoryMarshal.Cast<byte, T>(MutableBytes);
    }

    /// <summary>Copies raw bytes into the tensor; the length must equal <see cref="ByteSize"/>.</summary>
    public void CopyFrom(ReadOnlySpan<byte> data)
    {
        if (data.Length != ByteSize)
            throw new ArgumentException($"tensor {Index} '{Name}' holds {ByteSize} bytes ({TensorTypes.Name(Type)}[{string.Join(",", _shape)}]) but {data.Length} were given", nameof(data));
        data.CopyTo(AsSpan<byte>());
    }

    /// <summary>Copies typed elements into the tensor; the byte length must equal <see cref="ByteSize"/>.</summary>
    public void CopyFrom<T>(ReadOnlySpan<T> data) where T : unmanaged => CopyFrom(MemoryMarshal.AsBytes(data));

    /// <summary>Copies the tensor's raw bytes out; the destination must hold exactly <see cref="ByteSize"/> bytes.</summary>
    public void CopyTo(Span<byte> destination)
    {
        if (destination.Length != ByteSize)
            throw new ArgumentException($"tensor {Index} '{Name}' holds {ByteSize} bytes but the destination has {destination.Length}", nameof(destination));
        Bytes.CopyTo(destination);
    }

    /// <summary>Copies the tensor's elements out as <typeparamref name="T"/>.</summary>
    public void CopyTo<T>(Span<T> destination) where T : unmanaged => CopyTo(MemoryMarshal.AsBytes(destination));

    /// <summary>Returns a copy of the data as an array of <typeparamref name="T"/> (allocates; not for the hot path).</summary>
    public T[] ToArray<T>() where T : unmanaged => AsReadOnlySpan<T>().ToArray();

    internal void SetShape(ReadOnlySpan<int> shape)
    {
        if (IsConstant && !shape.SequenceEqual(_shape))
            throw new InvalidOperationException($"tensor {Index} '{Name}' is constant; its shape cannot change");
        foreach (int d in shape)
            if (d < 0) throw new ModelFormatException($"tensor {Index} '{Name}': computed shape [{string.Join(",", shape.ToArray())}] has a negative dimension");
        _shape = shape.ToArray();
        ByteSize = ComputeByteSize(Type, _shape);
    }

    internal void Bind(byte[] storage, int offset)
    {
        _storage = storage;
        _offset = offset;
    }

    internal void MakeConstant() => IsConstant = true;

    internal static int ComputeByteSize(TensorType type, ReadOnlySpan<int> shape)
    {
        long n = TensorTypes.ElementSize(type);
        foreach (int d in shape)
        {
            n *= d;
            if (n > ModelReader.MaxTensorBytes)
                throw new ModelFormatException($"tensor of shape [{string.Join(",", shape.ToArray())}] would exceed {ModelReader.MaxTensorBytes} bytes");
        }
        return (int)n;
    }

    /// <inheritdoc/>
    public override string ToString() => $"tensor {Index} '{Name}' {TensorTypes.Name(Type)}[{string.Join(",", _shape)}]";
}
