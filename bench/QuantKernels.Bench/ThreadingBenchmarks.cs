using BenchmarkDotNet.Attributes;
using QuantKernels.Runtime;

namespace QuantKernels.Bench;

/// <summary>
/// 2-thread scaling of the dense kernels (issue 3: >= 1.8x the single-thread throughput on the conv shapes): the same
/// one-operator model as <see cref="KernelBenchmarks.Ours"/> with <c>InterpreterOptions.Threads</c> = 1 (baseline) and
/// 2, in one BenchmarkDotNet run, so the Ratio column is time(2 threads) / time(1 thread); scaling = 1 / ratio.
/// Meaningful only when nothing else runs on the machine's cores: another busy thread takes the second core away.
/// </summary>
public class ThreadingBenchmarks
{
    private Interpreter? _interpreter;
    private TfLiteModel? _model;

    /// <summary>The shapes of issue 3 that run the dense kernels this measures (conv and FC).</summary>
    public static IEnumerable<string> Shapes => ["conv3x3_56x56x64", "conv1x1_28x28x128to256", "conv3x3s2_224x224x3to32", "fc_1024to1000"];

    /// <summary>The shape this case runs.</summary>
    [ParamsSource(nameof(Shapes))]
    public string Shape { get; set; } = "conv3x3_56x56x64";

    private void Setup(int threads)
    {
        var s = KernelShape.Get(Shape);
        _model = TfLiteModel.FromBytes(SingleOpModels.Build(s), $"bench {Shape}");
        _interpreter = new Interpreter(_model, new InterpreterOptions { Threads = threads });
        _interpreter.AllocateTensors();
        var input = _interpreter.GetInputTensor(0);
        input.CopyFrom<sbyte>(KernelShape.RandomInt8((int)input.ElementCount, seed: 1));
        _interpreter.Invoke();
    }

    [GlobalSetup(Target = nameof(OneThread))]
    public void SetupOne() => Setup(1);

    [GlobalSetup(Target = nameof(TwoThreads))]
    public void SetupTwo() => Setup(2);

    /// <summary>Threads = 1.</summary>
    [Benchmark(Baseline = true)]
    public void OneThread() => _interpreter!.Invoke();

    /// <summary>Threads = 2: the op splits into parts over the caller and one worker.</summary>
    [Benchmark]
    public void TwoThreads() => _interpreter!.Invoke();

    [GlobalCleanup]
    public void Cleanup()
    {
        _interpreter?.Dispose();
        _model?.Dispose();
        _interpreter = null;
        _model = null;
    }
}
