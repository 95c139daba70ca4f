using System.Runtime.InteropServices;

namespace QuantKernels.Native;

/// <summary>The TfLiteInterpreterOptions functions of TFLite's C API.</summary>
internal static unsafe class OptionsExports
{
    /// <summary>Most threads an interpreter may be given (more is reported as an error).</summary>
    public const int MaxThreads = 256;

    [UnmanagedCallersOnly(EntryPoint = "TfLiteInterpreterOptionsCreate")]
    public static nint TfLiteInterpreterOptionsCreate()
    {
        LastError.Clear();
        try
        {
            return HandleTable.Shared.Add(HandleKind.Options, new NativeOptions());
        }
        catch (Exception e)
        {
            Fail.Report("TfLiteInterpreterOptionsCreate", e);
            return 0;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "TfLiteInterpreterOptionsDelete")]
    public static void TfLiteInterpreterOptionsDelete(nint options)
    {
        LastError.Clear();
        try
        {
            if (options != 0) HandleTable.Shared.Remove<NativeOptions>(options, HandleKind.Options, "options");
        }
        catch (Exception e)
        {
            Fail.Report("TfLiteInterpreterOptionsDelete", e);
        }
    }

    /// <summary>-1 (TFLite's "let the runtime decide") and 0 mean one thread, the runtime's default.</summary>
    [UnmanagedCallersOnly(EntryPoint = "TfLiteInterpreterOptionsSetNumThreads")]
    public static void TfLiteInterpreterOptionsSetNumThreads(nint options, int numThreads)
    {
        LastError.Clear();
        try
        {
            var o = HandleTable.Shared.Get<NativeOptions>(options, HandleKind.Options, "options", out _);
            if (numThreads < -1 || numThreads > MaxThreads)
                throw new ArgumentOutOfRangeException(nameof(numThreads), numThreads, $"num_threads must be -1 (default) or 0..{MaxThreads}");
            o.Threads = Math.Max(numThreads, 1);
        }
        catch (Exception e)
        {
            Fail.Report("TfLiteInterpreterOptionsSetNumThreads", e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "TfLiteInterpreterOptionsSetErrorReporter")]
    public static void TfLiteInterpreterOptionsSetErrorReporter(nint options, delegate* unmanaged<void*, byte*, void*, void> reporter, void* userData)
    {
        LastError.Clear();
        try
        {
            var o = HandleTable.Shared.Get<NativeOptions>(options, HandleKind.Options, "options", out _);
            o.Reporter = new ErrorReporter(reporter, userData);
        }
        catch (Exception e)
        {
            Fail.Report("TfLiteInterpreterOptionsSetErrorReporter", e);
        }
    }
}
