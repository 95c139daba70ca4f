using System.Runtime.InteropServices;
using QuantKernels.Runtime;

namespace QuantKernels.Native;

/// <summary>What a <c>TfLiteModel*</c> handle holds: the validated model over a pinned copy of its bytes (pinned so
/// that <c>TfLiteTensorData</c> of a constant tensor is a stable pointer).</summary>
internal sealed class NativeModel(TfLiteModel model)
{
    public TfLiteModel Model { get; } = model;
}

/// <summary>What a <c>TfLiteInterpreterOptions*</c> handle holds.</summary>
internal sealed class NativeOptions
{
    public int Threads { get; set; } = 1;
    public ErrorReporter Reporter { get; set; }
}

/// <summary>What a <c>TfLiteInterpreter*</c> handle holds: the interpreter, its error reporter (copied from the
/// options, which C may delete right after creating the interpreter) and the tensor names as C strings.</summary>
internal sealed unsafe class NativeInterpreter(Interpreter interpreter, ErrorReporter reporter) : IDisposable
{
    private readonly nint[] _names = new nint[interpreter.Tensors.Count];

    public Interpreter Interpreter { get; } = interpreter;
    public ErrorReporter Reporter { get; } = reporter;

    /// <summary>The handle C knows this interpreter by (tensor handles are derived from it).</summary>
    public nint Handle { get; set; }

    /// <summary>Tensor <paramref name="index"/>'s name as a NUL-terminated UTF-8 string, made on first use and freed
    /// when the interpreter is deleted.</summary>
    public byte* NameOf(int index)
    {
        if (_names[index] == 0) _names[index] = (nint)NativeStrings.Allocate(Interpreter.Tensors[index].Name);
        return (byte*)_names[index];
    }

    public void Dispose()
    {
        Interpreter.Dispose();
        for (int i = 0; i < _names.Length; i++)
        {
            NativeMemory.Free((void*)_names[i]);
            _names[i] = 0;
        }
    }
}

/// <summary>TFLite's status codes (c_api_types.h).</summary>
internal enum TfLiteStatus
{
    Ok = 0,
    Error = 1,
    UnresolvedOps = 7,
}

/// <summary>TFLite's <c>TfLiteQuantizationParams</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TfLiteQuantizationParams
{
    public float Scale;
    public int ZeroPoint;
}
