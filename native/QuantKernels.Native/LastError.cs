using System.Runtime.InteropServices;
using System.Text;

namespace QuantKernels.Native;

/// <summary>
/// The message behind <c>qk_last_error()</c>: per calling thread (like errno), cleared at the start of every exported
/// call, so after any call it says whether that call failed. The UTF-8 buffer is native memory owned by the thread's
/// slot and stays valid until the next exported call on the same thread.
/// </summary>
internal static unsafe class LastError
{
    [ThreadStatic] private static byte* t_buffer;
    [ThreadStatic] private static int t_capacity;
    [ThreadStatic] private static bool t_set;

    /// <summary>Forgets the previous message (every export calls this first).</summary>
    public static void Clear() => t_set = false;

    /// <summary>Records <paramref name="message"/> as this thread's last error.</summary>
    public static void Set(string message)
    {
        int n = Encoding.UTF8.GetByteCount(message);
        if (n + 1 > t_capacity)
        {
            NativeMemory.Free(t_buffer);
            t_capacity = Math.Max(n + 1, 256);
            t_buffer = (byte*)NativeMemory.Alloc((nuint)t_capacity);
        }
        Encoding.UTF8.GetBytes(message, new Span<byte>(t_buffer, n));
        t_buffer[n] = 0;
        t_set = true;
    }

    /// <summary>The message, or NULL when the last exported call on this thread succeeded.</summary>
    public static byte* Pointer => t_set ? t_buffer : null;
}
