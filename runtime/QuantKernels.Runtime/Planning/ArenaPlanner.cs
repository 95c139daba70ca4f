namespace QuantKernels.Runtime.Planning;

/// <summary>
/// Places tensors in one arena from their lifetimes (first and last operator step that touches them), reusing
/// space between tensors whose lifetimes do not overlap: greedy by size, as TFLite's planner does — the largest
/// tensors are placed first, each at the lowest offset that does not collide with an already placed tensor that
/// is alive at the same time.
/// </summary>
internal static class ArenaPlanner
{
    /// <summary>Alignment of every tensor's offset (a cache line, also enough for any SIMD load).</summary>
    public const int Alignment = 64;

    /// <summary>One tensor to place: size in bytes and the inclusive range of steps it is alive.</summary>
    public readonly record struct Request(int Size, int FirstStep, int LastStep);

    /// <summary>Computes offsets for each request; returns the arena size.</summary>
    public static long Plan(ReadOnlySpan<Request> requests, Span<long> offsets)
    {
        int n = requests.Length;
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        var req = requests.ToArray();
        // Largest first; ties by earlier first use so plans are deterministic.
        Array.Sort(order, (a, b) => req[a].Size != req[b].Size ? req[b].Size.CompareTo(req[a].Size) : req[a].FirstStep != req[b].FirstStep ? req[a].FirstStep.CompareTo(req[b].FirstStep) : a.CompareTo(b));

        var placed = new List<int>(n);
        long arena = 0;
        var overlapping = new List<(long Start, long End)>();
        foreach (int i in order)
        {
            long size = AlignUp(req[i].Size);
            overlapping.Clear();
            foreach (int j in placed)
            {
                if (req[j].LastStep < req[i].FirstStep || req[j].FirstStep > req[i].LastStep) continue;
                overlapping.Add((offsets[j], offsets[j] + AlignUp(req[j].Size)));
            }
            overlapping.Sort((a, b) => a.Start.CompareTo(b.Start));
            long candidate = 0;
            foreach (var (start, end) in overlapping)
            {
                if (candidate + size <= start) break;
                candidate = Math.Max(candidate, end);
            }
            offsets[i] = candidate;
            arena = Math.Max(arena, candidate + size);
            placed.Add(i);
        }
        return arena;
    }

    private static long AlignUp(long size) => Math.Max(Alignment, (size + Alignment - 1) / Alignment * Alignment);
}
