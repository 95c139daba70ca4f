using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using QuantKernels.Runtime;

namespace QuantKernels.Native;

/// <summary>The TfLiteTensor functions of TFLite's C API. A tensor handle names (interpreter, tensor index) and goes
/// stale when its interpreter is deleted.</summary>
internal static unsafe class TensorExports
{
    [UnmanagedCallersOnly(EntryPoint = "TfLiteTensorType")]
    public static int TfLiteTensorType(nint tensor)
    {
        LastError.Clear();
        try
        {
            return ToTfLiteType(Resolve(tensor, out _).Type);
        }
        catch (Exception e)
        {
            Fail.Report("TfLiteTensorType", e);
            return 0; // kTfLiteNoType
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "TfLiteTensorNumDims")]
    public static int TfLiteTensorNumDims(nint tensor)
    {
        LastError.Clear();
        try
        {
            return Resolve(tensor, out _).Rank;
        }
        catch (Exception e)
        {
            Fail.Report("TfLiteTensorNumDims", e);
            return -1;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "TfLiteTensorDim")]
    public static int TfLiteTensorDim(nint tensor, int dimIndex)
    {
        LastError.Clear();
        NativeInterpreter? native = null;
        try
        {
            var t = Resolve(tensor, out native);
            if ((uint)dimIndex >= (uint)t.Rank)
                throw new ArgumentOutOfRangeException(nameof(dimIndex), dimIndex, $"{t} has {t.Rank} dimensions");
            return t.Dim(dimIndex);
        }
        catch (Exception e)
        {
            Fail.Report("TfLiteTensorDim", e, native?.Reporter ?? default);
            return -1;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "TfLiteTensorByteSize")]
    public static nuint TfLiteTensorByteSize(nint tensor)
    {
        LastError.Clear();
        try
        {
            return (nuint)Resolve(tensor, out _).ByteSize;
        }
        catch (Exception e)
        {
            Fail.Report("TfLiteTensorByteSize", e);
            return 0;
        }
    }

    /// <summary>A pointer into the interpreter's arena (allocated pinned by the runtime) or the model's pinned bytes:
    /// stable until the next TfLiteInterpreterAllocateTensors, as in TFLite. NULL before allocation.</summary>
    [UnmanagedCallersOnly(EntryPoint = "TfLiteTensorData")]
    public static void* TfLiteTensorData(nint tensor)
    {
        LastError.Clear();
        try
        {
            var t = Resolve(tensor, out _);
            if (!t.HasStorage || t.ByteSize == 0) return null;
            return Unsafe.AsPointer(ref MemoryMarshal.GetReference(t.Bytes));
        }
        catch (Exception e)
        {
            Fail.Report("TfLiteTensorData", e);
            return null;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "TfLiteTensorName")]
    public static byte* TfLiteTensorName(nint tensor)
    {
        LastError.Clear();
        try
        {
            var t = Resolve(tensor, out var native);
            return native.NameOf(t.Index);
        }
        catch (Exception e)
        {
            Fail.Report("TfLiteTensorName", e);
            return null;
        }
    }

    /// <summary>As TFLite: the per-tensor (scale, zero point), or zeros when the tensor is not quantized or is
    /// quantized per axis.</summary>
    [UnmanagedCallersOnly(EntryPoint = "TfLiteTensorQuantizationParams")]
    public static TfLiteQuantizationParams TfLiteTensorQuantizationParams(nint tensor)
    {
        LastError.Clear();
        try
        {
            var q = Resolve(tensor, out _).Quantization;
            if (q.Scales.Count != 1) return default;
            return new TfLiteQuantizationParams { Scale = q.Scale, ZeroPoint = q.ZeroPoint };
        }
        catch (Exception e)
        {
            Fail.Report("TfLiteTensorQuantizationParams", e);
            return default;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "TfLiteTensorCopyFromBuffer")]
    public static TfLiteStatus TfLiteTensorCopyFromBuffer(nint tensor, byte* inputData, nuint inputDataSize)
    {
        LastError.Clear();
        NativeInterpreter? native = null;
        try
        {
            var t = Resolve(tensor, out native);
            CheckBuffer(t, inputData, inputDataSize, "input_data");
            if (t.IsConstant) throw new InvalidOperationException($"{t} is constant");
            t.CopyFrom(new ReadOnlySpan<byte>(inputData, (int)inputDataSize));
            return TfLiteStatus.Ok;
        }
        catch (Exception e)
        {
            Fail.Report("TfLiteTensorCopyFromBuffer", e, native?.Reporter ?? default);
            return TfLiteStatus.Error;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "TfLiteTensorCopyToBuffer")]
    public static TfLiteStatus TfLiteTensorCopyToBuffer(nint tensor, byte* outputData, nuint outputDataSize)
    {
        LastError.Clear();
        NativeInterpreter? native = null;
        try
        {
            var t = Resolve(tensor, out native);
            CheckBuffer(t, outputData, outputDataSize, "output_data");
            t.CopyTo(new Span<byte>(outputData, (int)outputDataSize));
            return TfLiteStatus.Ok;
        }
        catch (Exception e)
        {
            Fail.Report("TfLiteTensorCopyToBuffer", e, native?.Reporter ?? default);
            return TfLiteStatus.Error;
        }
    }

    private static void CheckBuffer(Tensor t, byte* data, nuint size, string name)
    {
        if (data == null && size > 0) throw new ArgumentException($"{name} is NULL");
        if (size != (nuint)t.ByteSize)
            throw new ArgumentException($"{t} holds {t.ByteSize} bytes but {name}_size is {size}");
        if (!t.HasStorage) throw new InvalidOperationException($"{t} has no data yet: call TfLiteInterpreterAllocateTensors first");
    }

    private static Tensor Resolve(nint tensor, out NativeInterpreter native)
    {
        native = HandleTable.Shared.Get<NativeInterpreter>(tensor, HandleKind.Tensor, "tensor", out int index);
        if (index >= native.Interpreter.Tensors.Count) throw new HandleException($"tensor (0x{(ulong)tensor:x}) is not a tensor of its interpreter");
        return native.Interpreter.Tensors[index];
    }

    /// <summary>The runtime numbers types as TFLite's schema does; the C API's TfLiteType uses other numbers.</summary>
    internal static int ToTfLiteType(TensorType type) => type switch
    {
        TensorType.Float32 => 1,
        TensorType.Int32 => 2,
        TensorType.UInt8 => 3,
        TensorType.Int64 => 4,
        TensorType.String => 5,
        TensorType.Bool => 6,
        TensorType.Int16 => 7,
        TensorType.Complex64 => 8,
        TensorType.Int8 => 9,
        TensorType.Float16 => 10,
        TensorType.Float64 => 11,
        TensorType.Complex128 => 12,
        TensorType.UInt64 => 13,
        TensorType.Resource => 14,
        TensorType.Variant => 15,
        TensorType.UInt32 => 16,
        TensorType.UInt16 => 17,
        TensorType.Int4 => 18,
        TensorType.BFloat16 => 19,
        _ => 0,
    };
}
