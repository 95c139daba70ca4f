using System.Runtime.InteropServices;
using QuantKernels.Runtime;

namespace QuantKernels.Native;

/// <summary>The TfLiteInterpreter functions of TFLite's C API.</summary>
internal static unsafe class InterpreterExports
{
    /// <summary>Most dimensions <c>TfLiteInterpreterResizeInputTensor</c> accepts (bounds how far it reads input_dims).</summary>
    public const int MaxDims = 16;

    [UnmanagedCallersOnly(EntryPoint = "TfLiteInterpreterCreate")]
    public static nint TfLiteInterpreterCreate(nint model, nint optionalOptions)
    {
        LastError.Clear();
        ErrorReporter reporter = default;
        try
        {
            var options = optionalOptions == 0 ? new NativeOptions()
                : HandleTable.Shared.Get<NativeOptions>(optionalOptions, HandleKind.Options, "optional_options", out _);
            reporter = options.Reporter;
            var m = HandleTable.Shared.Get<NativeModel>(model, HandleKind.Model, "model", out _);
            var interpreter = new Interpreter(m.Model, new InterpreterOptions { Threads = options.Threads });
            var native = new NativeInterpreter(interpreter, reporter);
            try
            {
                native.Handle = HandleTable.Shared.Add(HandleKind.Interpreter, native);
            }
            catch
            {
                native.Dispose();
                throw;
            }
            return native.Handle;
        }
        catch (Exception e)
        {
            Fail.Report("TfLiteInterpreterCreate", e, reporter);
            return 0;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "TfLiteInterpreterDelete")]
    public static void TfLiteInterpreterDelete(nint interpreter)
    {
        LastError.Clear();
        try
        {
            if (interpreter != 0)
                HandleTable.Shared.Remove<NativeInterpreter>(interpreter, HandleKind.Interpreter, "interpreter").Dispose();
        }
        catch (Exception e)
        {
            Fail.Report("TfLiteInterpreterDelete", e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "TfLiteInterpreterGetInputTensorCount")]
    public static int TfLiteInterpreterGetInputTensorCount(nint interpreter)
    {
        LastError.Clear();
        try
        {
            return Resolve(interpreter).Interpreter.InputCount;
        }
        catch (Exception e)
        {
            Fail.Report("TfLiteInterpreterGetInputTensorCount", e);
            return 0;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "TfLiteInterpreterGetOutputTensorCount")]
    public static int TfLiteInterpreterGetOutputTensorCount(nint interpreter)
    {
        LastError.Clear();
        try
        {
            return Resolve(interpreter).Interpreter.OutputCount;
        }
        catch (Exception e)
        {
            Fail.Report("TfLiteInterpreterGetOutputTensorCount", e);
            return 0;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "TfLiteInterpreterGetInputTensor")]
    public static nint TfLiteInterpreterGetInputTensor(nint interpreter, int inputIndex)
    {
        LastError.Clear();
        NativeInterpreter? native = null;
        try
        {
            native = Resolve(interpreter);
            var t = native.Interpreter.GetInputTensor(inputIndex);
            return HandleTable.Derive(native.Handle, HandleKind.Tensor, t.Index);
        }
        catch (Exception e)
        {
            Fail.Report("TfLiteInterpreterGetInputTensor", e, native?.Reporter ?? default);
            return 0;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "TfLiteInterpreterGetOutputTensor")]
    public static nint TfLiteInterpreterGetOutputTensor(nint interpreter, int outputIndex)
    {
        LastError.Clear();
        NativeInterpreter? native = null;
        try
        {
            native = Resolve(interpreter);
            var t = native.Interpreter.GetOutputTensor(outputIndex);
            return HandleTable.Derive(native.Handle, HandleKind.Tensor, t.Index);
        }
        catch (Exception e)
        {
            Fail.Report("TfLiteInterpreterGetOutputTensor", e, native?.Reporter ?? default);
            return 0;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "TfLiteInterpreterResizeInputTensor")]
    public static TfLiteStatus TfLiteInterpreterResizeInputTensor(nint interpreter, int inputIndex, int* inputDims, int inputDimsSize)
    {
        LastError.Clear();
        NativeInterpreter? native = null;
        try
        {
            native = Resolve(interpreter);
            if ((uint)inputDimsSize > MaxDims) throw new ArgumentOutOfRangeException(nameof(inputDimsSize), inputDimsSize, $"input_dims_size must be in 0..{MaxDims}");
            if (inputDims == null && inputDimsSize > 0) throw new ArgumentException("input_dims is NULL");
            native.Interpreter.ResizeInputTensor(inputIndex, new ReadOnlySpan<int>(inputDims, inputDimsSize));
            return TfLiteStatus.Ok;
        }
        catch (Exception e)
        {
            Fail.Report("TfLiteInterpreterResizeInputTensor", e, native?.Reporter ?? default);
            return TfLiteStatus.Error;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "TfLiteInterpreterAllocateTensors")]
    public static TfLiteStatus TfLiteInterpreterAllocateTensors(nint interpreter)
    {
        LastError.Clear();
        NativeInterpreter? native = null;
        try
        {
            native = Resolve(interpreter);
            native.Interpreter.AllocateTensors();
            return TfLiteStatus.Ok;
        }
        catch (Exception e)
        {
            Fail.Report("TfLiteInterpreterAllocateTensors", e, native?.Reporter ?? default);
            return TfLiteStatus.Error;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "TfLiteInterpreterInvoke")]
    public static TfLiteStatus TfLiteInterpreterInvoke(nint interpreter)
    {
        LastError.Clear();
        NativeInterpreter? native = null;
        try
        {
            native = Resolve(interpreter);
            native.Interpreter.Invoke();
            return TfLiteStatus.Ok;
        }
        catch (Exception e)
        {
            Fail.Report("TfLiteInterpreterInvoke", e, native?.Reporter ?? default);
            return TfLiteStatus.Error;
        }
    }

    private static NativeInterpreter Resolve(nint interpreter) =>
        HandleTable.Shared.Get<NativeInterpreter>(interpreter, HandleKind.Interpreter, "interpreter", out _);
}
