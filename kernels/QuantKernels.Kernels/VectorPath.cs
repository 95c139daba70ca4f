namespace QuantKernels.Kernels;

/// <summary>The vector kernel an ISA path runs for ops without a path of their own: <see cref="IsaPath.AvxVnni"/> only
/// changes conv and fully connected, every other op runs its <see cref="IsaPath.Avx2"/> kernel there.</summary>
internal static class VectorPath
{
    /// <summary><paramref name="path"/> with <see cref="IsaPath.AvxVnni"/> mapped to <see cref="IsaPath.Avx2"/>.</summary>
    public static IsaPath Of(IsaPath path) => path == IsaPath.AvxVnni ? IsaPath.Avx2 : path;
}
