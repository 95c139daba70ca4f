using System.Runtime.Intrinsics;
using Arm = System.Runtime.Intrinsics.Arm;
using X86 = System.Runtime.Intrinsics.X86;

namespace QuantKernels.Kernels;

/// <summary>The instruction-set paths the optimised kernels implement, from the most portable to the fastest.</summary>
public enum IsaPath
{
    /// <summary>Plain scalar C# over the same packed weights (runs everywhere, including under DOTNET_EnableHWIntrinsic=0).</summary>
    Scalar = 0,

    /// <summary>Portable <see cref="Vector128"/> APIs (SSE on x86-64, AdvSimd on ARM64).</summary>
    Vector128 = 1,

    /// <summary>x86-64 AVX2: int16 pairs through <c>vpmaddwd</c>, 256-bit vectors.</summary>
    Avx2 = 2,

    /// <summary>x86-64 AVX-VNNI: conv and fully connected through <c>vpdpbusd</c> (u8 x s8, 4 products per int32 lane,
    /// exact), 256-bit vectors; every other op runs its <see cref="Avx2"/> kernel.</summary>
    AvxVnni = 3,

    /// <summary>ARM64 AdvSimd without the dot-product extension: int16 activations times int16 weights through
    /// <c>SMLAL</c>/<c>SMLAL2</c> by element (widening multiply-accumulate into int32).</summary>
    AdvSimd = 5,

    /// <summary>ARM64 AdvSimd with <c>Dp</c>: raw 8-bit activations and weights through <c>SDOT</c>/<c>UDOT</c>
    /// (four products summed into each int32 lane), zero points corrected exactly.</summary>
    AdvSimdDp = 6,
}

/// <summary>
/// The one place that decides which ISA path an op runs. Ops call <see cref="Select"/> once at preparation and keep
/// the answer; nothing re-dispatches per invoke or per pixel. Tests force a path by passing it to <see cref="Select"/>
/// (or the process-wide <c>QK_ISA</c> environment variable, read once at start-up), never by mutating global state.
/// </summary>
public static class Dispatch
{
    /// <summary>Environment variable that, when set to a name <see cref="Parse"/> accepts, replaces
    /// <see cref="Best"/> as the default path of this process (it must be supported here).</summary>
    public const string EnvironmentVariable = "QK_ISA";

    /// <summary>The fastest path this process can run (respects DOTNET_EnableAVXVNNI=0 / DOTNET_EnableAVX2=0 /
    /// DOTNET_EnableHWIntrinsic=0 and, on ARM64, DOTNET_EnableArm64Dp=0).</summary>
    public static IsaPath Best { get; } = Detect();

    /// <summary>The path <see cref="Select"/> returns when nothing is forced: <c>QK_ISA</c> when set, else <see cref="Best"/>.</summary>
    public static IsaPath Default { get; } = FromEnvironment() ?? Best;

    /// <summary>Whether <paramref name="path"/> can run in this process. <see cref="IsaPath.Vector128"/> always can (the
    /// portable APIs have a software fallback), though it is only fast when <see cref="Vector128.IsHardwareAccelerated"/>.</summary>
    public static bool IsSupported(IsaPath path) => path switch
    {
        IsaPath.Scalar => true,
        IsaPath.Vector128 => true,
        IsaPath.Avx2 => X86.Avx2.IsSupported,
        IsaPath.AvxVnni => X86.Avx2.IsSupported && X86.AvxVnni.IsSupported,
        IsaPath.AdvSimd => Arm.AdvSimd.Arm64.IsSupported,
        IsaPath.AdvSimdDp => Arm.AdvSimd.Arm64.IsSupported && Arm.Dp.IsSupported,
        _ => false,
    };

    /// <summary>Every path <see cref="IsSupported"/> accepts here, most portable first (what tests sweep).</summary>
    public static IReadOnlyList<IsaPath> SupportedPaths { get; } =
        Enum.GetValues<IsaPath>().Where(IsSupported).ToArray();

    /// <summary>Chooses the path for one op: <paramref name="forced"/> when given, else <see cref="Default"/>.</summary>
    /// <exception cref="NotSupportedException">The forced path cannot run on this machine/process.</exception>
    public static IsaPath Select(IsaPath? forced)
    {
        if (forced is not { } f) return Default;
        if (!IsSupported(f)) throw new NotSupportedException($"ISA path {f} is not supported in this process (best is {Best})");
        return f;
    }

    /// <summary>Parses <c>avxvnni</c> / <c>avx2</c> / <c>vector128</c> / <c>scalar</c> / <c>advsimd</c> / <c>advsimd-dp</c>
    /// (case-insensitive); null for anything else.</summary>
    public static IsaPath? Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "avx2" => IsaPath.Avx2,
        "avxvnni" => IsaPath.AvxVnni,
        "vector128" => IsaPath.Vector128,
        "scalar" => IsaPath.Scalar,
        "advsimd" => IsaPath.AdvSimd,
        "advsimd-dp" => IsaPath.AdvSimdDp,
        _ => null,
    };

    private static IsaPath Detect()
    {
        if (X86.Avx2.IsSupported && X86.AvxVnni.IsSupported) return IsaPath.AvxVnni;
        if (X86.Avx2.IsSupported) return IsaPath.Avx2;
        if (IsSupported(IsaPath.AdvSimdDp)) return IsaPath.AdvSimdDp;
        if (IsSupported(IsaPath.AdvSimd)) return IsaPath.AdvSimd;
        if (Vector128.IsHardwareAccelerated) return IsaPath.Vector128;
        return IsaPath.Scalar;
    }

    private static IsaPath? FromEnvironment()
    {
        string? v = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(v)) return null;
        IsaPath? p = Parse(v);
        if (p is not { } path)
            throw new InvalidOperationException($"{EnvironmentVariable}='{v}' is not one of avxvnni, avx2, vector128, scalar, advsimd, advsimd-dp");
        if (!IsSupported(path))
            throw new InvalidOperationException($"{EnvironmentVariable}={v} but that path is not supported in this process");
        return path;
    }
}
