using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Perfolizer.Horology;
using QuantKernels.Bench;

if (args.Length > 0 && args[0] == "--cpu-check") { CpuCheck.Run(); return; }
if (args.Length > 0 && args[0] == "--cputime") { CpuTimeRun.Run(args[1..]); return; }

// Default job: one process per case, enough warm-up that tiered JIT has promoted the hot kernels (DESIGN.md §4: a
// kernel left at Tier-0 runs ~9x slower), 15 measured iterations of >= 250 ms. A full run of every case stays near
// 10 minutes on this 2-core machine. BenchmarkDotNet's CLI job options (--job, --iterationCount, ...) replace it.
var job = Job.Default
    .WithLaunchCount(1)
    .WithWarmupCount(6)
    .WithIterationCount(15)
    .WithIterationTime(TimeInterval.FromMilliseconds(250))
    .WithId("SingleThread")
    .AsDefault();

var config = ManualConfig.Create(DefaultConfig.Instance)
    .AddJob(job)
    .AddExporter(JsonExporter.Brief)
    // Shape ids are up to 23 characters; the default width (20) abbreviates them in the JSON that ratios.py reads.
    .WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(40))
    // BenchmarkDotNet rebuilds the solution's projects for its host without the shared compiler: minutes when other
    // builds load the machine, so the default 2-minute limit is too short.
    .WithBuildTimeout(TimeSpan.FromMinutes(15))
    .WithOption(ConfigOptions.JoinSummary, false);

// Peers that cannot run here are left out with a message instead of failing the run.
if (!Xnnpack.Available)
{
    Console.WriteLine($"NOTE: XNNPACK benchmarks skipped: {Xnnpack.UnavailableReason}");
    config = config.AddFilter(new SimpleFilter(b => b.Descriptor.WorkloadMethod.Name != nameof(KernelBenchmarks.Xnnpack)));  // both classes
}
if (!File.Exists(Path.Combine(BenchPaths.OrtMobileNetV2, "mnv2_u8_nhwc.onnx")))
{
    Console.WriteLine($"NOTE: ORT MobileNetV2 benchmarks skipped: no ONNX models in {BenchPaths.OrtMobileNetV2}");
    config = config.AddFilter(new SimpleFilter(b => !b.Descriptor.WorkloadMethod.Name.StartsWith("OrtMnv2", StringComparison.Ordinal)));
}

BenchmarkSwitcher.FromAssembly(typeof(KernelBenchmarks).Assembly).Run(args, config);
