using System.Runtime.InteropServices;
using QuantKernels.Kernels;

namespace QuantKernels.Native;

/// <summary>Our own functions beside TFLite's: the last error and which kernel path this build runs.</summary>
internal static unsafe class QkExports
{
    private static readonly byte* s_kernelPath = NativeStrings.Allocate(KernelPathName());

    /// <summary>The message of the last failed call on this thread, or NULL if the last call succeeded.</summary>
    [UnmanagedCallersOnly(EntryPoint = "qk_last_error")]
    public static byte* QkLastError() => LastError.Pointer; // does not clear: it reads what the previous call left

    /// <summary>The SIMD path the kernels take in this process: "avx2", "vector128", "scalar" (see Dispatch).</summary>
    [UnmanagedCallersOnly(EntryPoint = "qk_kernel_path")]
    public static byte* QkKernelPath()
    {
        LastError.Clear();
        return s_kernelPath;
    }

    private static string KernelPathName()
    {
        try
        {
            return Dispatch.Default.ToString().ToLowerInvariant();
        }
        catch (Exception e)
        {
            return $"unknown ({e.Message})"; // e.g. a bad QK_ISA value; the first kernel call reports it properly
        }
    }
}
