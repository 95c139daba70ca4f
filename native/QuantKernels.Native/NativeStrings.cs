using System.Runtime.InteropServices;
using System.Text;

namespace QuantKernels.Native;

/// <summary>NUL-terminated UTF-8 copies of strings in native memory, for the <c>const char*</c> the API returns.</summary>
internal static unsafe class NativeStrings
{
    /// <summary>A new native copy of <paramref name="s"/>; the caller frees it with <see cref="NativeMemory.Free"/>
    /// (or keeps it for the life of the process).</summary>
    public static byte* Allocate(string s)
    {
        int n = Encoding.UTF8.GetByteCount(s);
        byte* p = (byte*)NativeMemory.Alloc((nuint)n + 1);
        Encoding.UTF8.GetBytes(s, new Span<byte>(p, n));
        p[n] = 0;
        return p;
    }
}
