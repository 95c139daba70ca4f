using System.Runtime.Intrinsics;
using QuantKernels.Kernels.Convolution;
using QuantKernels.Kernels.FullyConnected;

namespace QuantKernels.Kernels.Tests.ConvolutionSimd;

/// <summary>
/// Which path runs. With QK_EXPECT_PATH=avx2|vector128|scalar set (CI sets it beside DOTNET_EnableAVX2=0 /
/// DOTNET_EnableHWIntrinsic=0), the default dispatch and the kernels it builds must be exactly that path, so a
/// silently skipped fallback fails the run.
/// </summary>
public class DispatchTests
{
    [Fact]
    public void DefaultPathIsTheExpectedOne()
    {
        string? expected = Environment.GetEnvironmentVariable("QK_EXPECT_PATH");
        IsaPath chosen = Dispatch.Select(null);
        var p = QuantizedConvParams.Prepare(Quantization.RequantConvention.Xnnpack, 0.1f, 0, [0.1f], 0, 0.1f, 0, -128, 127, 2);
        var g = Conv2DGeometry.Create(1, 2, 2, 1, 2, 1, 1, 1, 1, 1, 1, 1, PaddingType.Valid);
        var conv = Conv2DInt8Packed.Create(g, new sbyte[2], [], p, chosen);
        var fc = FullyConnectedInt8Packed.Create(1, 2, new sbyte[2], [], p, chosen);
        Assert.Equal(chosen, conv.Path);
        Assert.Equal(chosen, fc.Path);
        if (string.IsNullOrEmpty(expected))
        {
            // Without an expectation the default must still be the best the hardware offers (unless QK_ISA forces one).
            if (Environment.GetEnvironmentVariable(Dispatch.EnvironmentVariable) is null or "") Assert.Equal(Dispatch.Best, chosen);
            return;
        }
        Assert.Equal(ExpectedIsaPath.Get(), chosen);
    }

    [Fact]
    public void BestFollowsTheHardwareFlags()
    {
        IsaPath best = Dispatch.Best;
        bool avx2 = System.Runtime.Intrinsics.X86.Avx2.IsSupported;
        if (avx2 && System.Runtime.Intrinsics.X86.AvxVnni.IsSupported) Assert.Equal(IsaPath.AvxVnni, best);
        else if (avx2) Assert.Equal(IsaPath.Avx2, best);
        else if (System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.IsSupported)
            Assert.Equal(System.Runtime.Intrinsics.Arm.Dp.IsSupported ? IsaPath.AdvSimdDp : IsaPath.AdvSimd, best);
        else if (Vector128.IsHardwareAccelerated) Assert.Equal(IsaPath.Vector128, best);
        else Assert.Equal(IsaPath.Scalar, best);
        Assert.Contains(IsaPath.Scalar, Dispatch.SupportedPaths);
        Assert.Contains(IsaPath.Vector128, Dispatch.SupportedPaths);
    }

    [Fact]
    public void ForcingAnUnsupportedPathFails()
    {
        Assert.Equal(IsaPath.Scalar, Dispatch.Select(IsaPath.Scalar));
        if (!System.Runtime.Intrinsics.X86.Avx2.IsSupported)
            Assert.Throws<NotSupportedException>(() => Dispatch.Select(IsaPath.Avx2));
        else
            Assert.Equal(IsaPath.Avx2, Dispatch.Select(IsaPath.Avx2));
        if (!System.Runtime.Intrinsics.X86.AvxVnni.IsSupported)
            Assert.Throws<NotSupportedException>(() => Dispatch.Select(IsaPath.AvxVnni));
        foreach (IsaPath arm in new[] { IsaPath.AdvSimd, IsaPath.AdvSimdDp })
        {
            bool supported = System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.IsSupported
                             && (arm == IsaPath.AdvSimd || System.Runtime.Intrinsics.Arm.Dp.IsSupported);
            Assert.Equal(supported, Dispatch.IsSupported(arm));
            if (supported) Assert.Equal(arm, Dispatch.Select(arm));
            else Assert.Throws<NotSupportedException>(() => Dispatch.Select(arm));
        }
        Assert.Equal(IsaPath.AdvSimdDp, Dispatch.Parse("advsimd-dp"));
        Assert.Throws<NotSupportedException>(() => Dispatch.Select((IsaPath)99));
        Assert.Equal(IsaPath.AvxVnni, Dispatch.Parse("AvxVnni"));
        Assert.Null(Dispatch.Parse("sse9"));
        Assert.Equal(IsaPath.Vector128, Dispatch.Parse(" Vector128 "));
    }
}
