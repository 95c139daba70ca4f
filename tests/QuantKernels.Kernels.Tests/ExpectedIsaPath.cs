using System.Runtime.Intrinsics.Arm;

namespace QuantKernels.Kernels.Tests;

/// <summary>
/// The ISA path a CI run promises through QK_EXPECT_PATH (avx2 | vector128 | scalar | arm64-dp | arm64-advsimd).
/// Tests assert the default dispatch builds exactly it, so a silently skipped path fails the run.
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
        return Dispatch.Parse(expected) ?? throw new InvalidOperationException(
            $"QK_EXPECT_PATH='{expected}' is not avx2|vector128|scalar|arm64-dp|arm64-advsimd");
    }
}
