using System.Runtime.InteropServices;
using QuantKernels.Kernels;
using QuantKernels.Runtime;

namespace QuantKernels.Bench;

/// <summary>
/// <c>--cputime [shape ...] [--paths avx2,...] [--rounds N]</c>: times each implementation of a shape by the calling
/// thread's CPU time (<c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>), rounds of ~20 ms alternating between ours (one
/// interpreter per forced ISA path) and XNNPACK in one process, and prints the minimum and median per invoke. On a
/// shared machine wall-clock time counts the time other processes held the core; thread CPU time mostly does not, so
/// these ratios are steadier than BenchmarkDotNet's (cache and SMT interference remain). Not a BenchmarkDotNet case.
/// </summary>
internal static unsafe class CpuTimeRun
{
    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec { public long Sec, Nsec; }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, TimeSpec* ts);

    private const int ThreadCpuTime = 3; // CLOCK_THREAD_CPUTIME_ID

    private static double ThreadSeconds()
    {
        TimeSpec ts;
        if (ClockGetTime(ThreadCpuTime, &ts) != 0) throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
        return ts.Sec + ts.Nsec * 1e-9;
    }

    public static void Run(string[] args)
    {
        var shapes = new List<KernelShape>();
        var paths = new List<IsaPath?> { null };
        int rounds = 30;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--paths":
                    paths = args[++i].Split(',').Select(n => (IsaPath?)(Dispatch.Parse(n) ?? throw new ArgumentException($"unknown path '{n}'"))).ToList();
                    break;
                case "--rounds": rounds = int.Parse(args[++i]); break;
                default:
                    shapes.Add(KernelShape.Get(args[i]));
                    break;
            }
        }
        if (shapes.Count == 0) shapes.AddRange(KernelShape.Depthwise);
        Console.WriteLine($"thread CPU time per invoke, {rounds} rounds of ~20 ms each, alternating; min / median in us; default path {Dispatch.Default}");
        foreach (var s in shapes) RunShape(s, paths, rounds);
    }

    private static void RunShape(KernelShape s, List<IsaPath?> paths, int rounds)
    {
        var runners = new List<(string Name, Action Run, IDisposable Owner)>();
        using var model = TfLiteModel.FromBytes(SingleOpModels.Build(s), $"bench {s.Id}");
        foreach (var path in paths)
        {
            var interp = SingleOpModels.Ready(model, path);
            runners.Add(($"ours {path?.ToString() ?? "default"}", interp.Invoke, interp));
        }
        if (Xnnpack.Available)
        {
            var xnn = new XnnpackOperator(s);
            runners.Add(("xnnpack", xnn.Run, xnn));
        }
        try
        {
            // Calibrate invokes per round (~20 ms) and warm up past tiered JIT (DESIGN.md §4).
            var reps = new int[runners.Count];
            for (int r = 0; r < runners.Count; r++)
            {
                for (int i = 0; i < 50; i++) runners[r].Run();
                double t0 = ThreadSeconds();
                for (int i = 0; i < 20; i++) runners[r].Run();
                double per = (ThreadSeconds() - t0) / 20;
                reps[r] = Math.Max(1, (int)(0.02 / Math.Max(per, 1e-7)));
            }
            var times = runners.Select(_ => new List<double>()).ToArray();
            for (int round = 0; round < rounds; round++)
            for (int r = 0; r < runners.Count; r++)
            {
                double t0 = ThreadSeconds();
                for (int i = 0; i < reps[r]; i++) runners[r].Run();
                times[r].Add((ThreadSeconds() - t0) / reps[r] * 1e6);
            }
            double xnnMed = Xnnpack.Available ? Median(times[^1]) : double.NaN;
            double xnnMin = Xnnpack.Available ? times[^1].Min() : double.NaN;
            Console.WriteLine($"{s.Label} ({s.Macs / 1e6:F2} MMAC)");
            for (int r = 0; r < runners.Count; r++)
            {
                double min = times[r].Min(), med = Median(times[r]);
                string ratio = double.IsNaN(xnnMed) ? "" : $"  xnnpack/this: min {xnnMin / min:F2}x median {xnnMed / med:F2}x";
                Console.WriteLine($"  {runners[r].Name,-16} min {min,9:F1}  median {med,9:F1}  ({s.Macs / med / 1e3,6:F1} GMAC/s){ratio}");
            }
        }
        finally
        {
            foreach (var r in runners) r.Owner.Dispose();
        }
    }

    private static double Median(List<double> v)
    {
        var s = v.OrderBy(x => x).ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }
}
