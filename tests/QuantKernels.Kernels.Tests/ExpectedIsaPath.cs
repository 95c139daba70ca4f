using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace QuantKernels.Kernels.Tests;

/// <summary>
/// The ISA path a CI run promises through QK_EXPECT_PATH (best-x64 | avxvnni | avx2 | vector128 | scalar | arm64-dp |
/// arm64-advsimd). Tests assert the default dispatch builds exactly it, so a silently skipped path fails the run.
/// best-x64 is the fastest x86-64 path the CPU and runtime report (AVX-VNNI when present, else AVX2), for the CI run
/// whose machine may or may not have VNNI.
/// </summary>
internal static class ExpectedIsaPath
{
    /// <summary>The expected path, or null when QK_EXPECT_PATH is unset. ARM64 runs expect the AdvSimd kernels with or
    /// without the dot-product extension and check the CPU features the run claims.</summary>
    public static IsaPath? Get()
    {
        string? expected = Environment.GetEnvironmentVariable("QK_EXPECT_PATH");
        if (string.IsNullOrEmpty(expected)) return null;
        if (expected is "arm64-dp" or "arm64-advsimd")
        {
            Assert.True(AdvSimd.Arm64.IsSupported, "AdvSimd.Arm64 is not available in this ARM64 run");
            bool dp = expected == "arm64-dp";
            Assert.True(dp == Dp.IsSupported, $"QK_EXPECT_PATH={expected} but Dp.IsSupported is {Dp.IsSupported}");
            return dp ? IsaPath.AdvSimdDp : IsaPath.AdvSimd;
        }
        if (expected == "best-x64")
        {
            Assert.True(Avx2.IsSupported, "QK_EXPECT_PATH=best-x64 but AVX2 is not available in this run");
            return AvxVnni.IsSupported ? IsaPath.AvxVnni : IsaPath.Avx2;
        }
        return Dispatch.Parse(expected) ?? throw new InvalidOperationException(
            $"QK_EXPECT_PATH='{expected}' is not best-x64|avxvnni|avx2|vector128|scalar|arm64-dp|arm64-advsimd");
    }
}
