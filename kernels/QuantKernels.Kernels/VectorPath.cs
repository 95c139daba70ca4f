namespace QuantKernels.Kernels;

/// <summary>The vector kernel an ISA path runs for ops without a path of their own: <see cref="IsaPath.AvxVnni"/> only
/// changes conv and fully connected, so every other op runs its <see cref="IsaPath.Avx2"/> kernel there; the ARM64
/// paths (<see cref="IsaPath.AdvSimd"/>, <see cref="IsaPath.AdvSimdDp"/>) only change conv, depthwise and fully
/// connected, so every other op runs its portable <see cref="IsaPath.Vector128"/> kernel (AdvSimd underneath).</summary>
internal static class VectorPath
{
    /// <summary><paramref name="path"/> with the conv-only paths mapped to the general vector path they build on.</summary>
    public static IsaPath Of(IsaPath path) => path switch
    {
        IsaPath.AvxVnni => IsaPath.Avx2,
        IsaPath.AdvSimd or IsaPath.AdvSimdDp => IsaPath.Vector128,
        _ => path,
    };
}
