using BenchmarkDotNet.Attributes;
using QuantKernels.Runtime;

namespace QuantKernels.Bench;

/// <summary>
/// Every depthwise shape (<see cref="KernelShape.Depthwise"/>: the two plus MobileNetV2's stride-2 and 5x5
/// layers), single thread: our runtime on a one-operator int8 model at the process's best path and forced to AVX2,
/// beside XNNPACK qc8. <c>bench/run.sh '*DepthwiseBenchmarks*'</c>; bench/ratios.py prints its own table.
/// </summary>
/// <remarks>Dispatch reads QK_ISA once per process; BenchmarkDotNet runs each case in its own process, so
/// <see cref="SetupOursAvx2"/> forces the path through the interpreter option instead.</remarks>
public class DepthwiseBenchmarks
{
    private Interpreter? _ours;
    private TfLiteModel? _model;
    private XnnpackOperator? _xnn;

    /// <summary>Shape ids.</summary>
    public static IEnumerable<string> Shapes => KernelShape.Depthwise.Select(s => s.Id);

    /// <summary>The shape this case runs.</summary>
    [ParamsSource(nameof(Shapes))]
    public string Shape { get; set; } = KernelShape.Depthwise.First().Id;

    [GlobalSetup(Target = nameof(Ours))]
    public void SetupOurs() => Setup(null);

    [GlobalSetup(Target = nameof(OursAvx2))]
    public void SetupOursAvx2() => Setup(Kernels.IsaPath.Avx2);

    [GlobalSetup(Target = nameof(Xnnpack))]
    public void SetupXnnpack() => _xnn = new XnnpackOperator(KernelShape.Get(Shape));

    private void Setup(Kernels.IsaPath? path)
    {
        _model = TfLiteModel.FromBytes(SingleOpModels.Build(KernelShape.Get(Shape)), $"bench {Shape}");
        _ours = SingleOpModels.Ready(_model, path);
    }

    /// <summary>Our interpreter, one op, one thread, the best path here (AVX-VNNI vpdpwssd where the CPU has it).</summary>
    [Benchmark(Baseline = true)]
    public void Ours() => _ours!.Invoke();

    /// <summary>Forced to the AVX2 kernels (vpmaddwd + vpaddd).</summary>
    [Benchmark]
    public void OursAvx2() => _ours!.Invoke();

    /// <summary>XNNPACK qc8 depthwise (a grouped convolution), threadpool NULL.</summary>
    [Benchmark]
    public void Xnnpack() => _xnn!.Run();

    [GlobalCleanup]
    public void Cleanup()
    {
        _ours?.Dispose();
        _model?.Dispose();
        _xnn?.Dispose();
        _ours = null; _model = null; _xnn = null;
    }
}
