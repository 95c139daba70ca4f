namespace QuantKernels.Kernels.Convolution;

/// <summary>Per-worker scratch sets of the packed kernels: one array per worker that may run a part concurrently.</summary>
internal static class WorkerScratch
{
    /// <summary>Grows <paramref name="sets"/> to <paramref name="workers"/> arrays made by <paramref name="create"/>
    /// (at preparation; never shrinks, keeps the existing sets).</summary>
    public static void Grow<T>(ref T[][] sets, int workers, Func<T[]> create)
    {
        if (workers <= sets.Length) return;
        var all = new T[workers][];
        sets.CopyTo(all, 0);
        for (int i = sets.Length; i < workers; i++) all[i] = create();
        sets = all;
    }
}
