using System.Runtime.InteropServices;

namespace QuantKernels.Native;

/// <summary>
/// A C error reporter as TFLite takes it: <c>void (*reporter)(void* user_data, const char* format, va_list args)</c>.
/// We always call it with the format <c>"%s"</c> and a va_list holding the message, which we build by hand: a
/// va_list is an ABI structure, and .NET has no way to make one.
/// </summary>
/// <remarks>
/// How a va_list looks (and how it is passed) per ABI:
/// <list type="bullet">
/// <item>x86-64 System V: <c>struct { uint gp_offset, fp_offset; void* overflow_arg_area; void* reg_save_area; }[1]</c>,
/// passed as a pointer (array decay). gp_offset = 48 and fp_offset = 176 say "the register save area is used up", so
/// va_arg reads from overflow_arg_area.</item>
/// <item>AArch64 (AAPCS64, Linux): <c>struct { void* stack; void* gr_top; void* vr_top; int gr_offs, vr_offs; }</c>,
/// 32 bytes, so passed by reference to a copy. gr_offs = vr_offs = 0 (not negative) means "read from stack".</item>
/// <item>Windows x64 and Apple arm64: va_list is a plain <c>char*</c> to the argument slots.</item>
/// </list>
/// The C tests check the message arrives intact through vsnprintf on x86-64 and on AArch64 (qemu).
/// </remarks>
internal readonly unsafe struct ErrorReporter(delegate* unmanaged<void*, byte*, void*, void> function, void* userData)
{
    private static readonly byte* s_format = NativeStrings.Allocate("%s");

    /// <summary>True when a reporter was set.</summary>
    public bool IsSet => function != null;

    /// <summary>Calls the reporter with <paramref name="message"/>; without a reporter, writes "ERROR: message" to
    /// stderr as TFLite's default reporter does.</summary>
    public void Report(string message)
    {
        if (function == null)
        {
            Console.Error.WriteLine($"ERROR: {message}");
            return;
        }
        byte* text = NativeStrings.Allocate(message);
        try
        {
            // The argument slots: the message pointer, plus spare zeroed slots in case a reporter reads more.
            ulong* slots = stackalloc ulong[4];
            slots[0] = (ulong)text;
            slots[1] = slots[2] = slots[3] = 0;
            ulong* vaList = stackalloc ulong[4]; // 32 bytes, big enough for either structure
            void* arg;
            if (OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64)
            {
                ((uint*)vaList)[0] = 48;   // gp_offset: all 6 integer registers consumed
                ((uint*)vaList)[1] = 176;  // fp_offset: all 8 vector registers consumed
                vaList[1] = (ulong)slots;  // overflow_arg_area
                vaList[2] = (ulong)slots;  // reg_save_area (never read)
                arg = vaList;
            }
            else if (OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.Arm64)
            {
                vaList[0] = (ulong)slots;  // __stack
                vaList[1] = 0;             // __gr_top
                vaList[2] = 0;             // __vr_top
                vaList[3] = 0;             // __gr_offs = 0, __vr_offs = 0
                arg = vaList;
            }
            else
            {
                arg = slots;
            }
            function(userData, s_format, arg);
        }
        finally
        {
            NativeMemory.Free(text);
        }
    }
}
