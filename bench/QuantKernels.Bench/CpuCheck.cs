using System.Diagnostics;

namespace QuantKernels.Bench;

/// <summary>
/// <c>--cpu-check</c>: runs each ONNX Runtime kernel model for about a second and prints wall time against the process's
/// CPU time, to confirm the peer really runs on one thread (CPU/wall near 1.0, not 2.0).
/// </summary>
internal static class CpuCheck
{
    public static void Run()
    {
        foreach (var s in KernelShape.All)
        foreach (var act in new[] { "u8", "s8" })
        {
            string name = s.Kind == KernelKind.FullyConnected ? $"{s.OrtModel}_{act}.onnx" : $"{s.OrtModel}_{act}_nhwc.onnx";
            using var ort = new OrtRunner(Path.Combine(BenchPaths.OrtModels, name));
            for (int i = 0; i < 20; i++) ort.Run();
            var proc = Process.GetCurrentProcess();
            proc.Refresh();
            var cpu0 = proc.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            int runs = 0;
            while (sw.Elapsed.TotalSeconds < 1.0) { ort.Run(); runs++; }
            double wall = sw.Elapsed.TotalSeconds;
            proc.Refresh();
            double cpu = (proc.TotalProcessorTime - cpu0).TotalSeconds;
            Console.WriteLine($"{name,-42} runs={runs,6} mean={wall / runs * 1e3,8:F3} ms  GMAC/s={s.Macs * runs / wall / 1e9,7:F1}  cpu/wall={cpu / wall:F2}");
        }
    }
}
