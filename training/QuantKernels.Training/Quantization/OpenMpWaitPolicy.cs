using System.Runtime.InteropServices;

namespace QuantKernels.Training.Quantization;

/// <summary>
/// Sets OMP_WAIT_POLICY=PASSIVE in the native environment before libtorch's OpenMP runtime starts. libgomp's default
/// spin-waiting made 2-thread training 5-10x slower on the shared 2-core machine; Environment.SetEnvironmentVariable
/// does not reach native getenv on Linux, so this calls libc's setenv (without overwriting a user's choice).
/// </summary>
internal static partial class OpenMpWaitPolicy
{
    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

    /// <summary>Call before the first torch call.</summary>
    public static void SetPassive()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) _ = SetEnv("OMP_WAIT_POLICY", "PASSIVE", 0);
    }
}
