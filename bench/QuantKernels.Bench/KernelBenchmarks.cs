using BenchmarkDotNet.Attributes;
using QuantKernels.Runtime;

namespace QuantKernels.Bench;

/// <summary>
/// The six kernel shapes of issue 3, single thread: our runtime on a one-operator int8 model (whatever kernel the op
/// dispatches to), XNNPACK qc8 through P/Invoke, and ONNX Runtime's QLinearConv/QLinearMatMul on its fast u8 path
/// (inexact: vpmaddubsw saturates) and its exact s8 path. Method names are what bench/ratios.py keys on.
/// </summary>
/// <remarks>
/// <see cref="Ours"/> runs the process's best path (AVX-VNNI where the CPU has it); <see cref="OursAvx2"/> forces the
/// AVX2 kernels. Dispatch reads QK_ISA once per process, on first use, and BenchmarkDotNet runs every case in its own
/// process, so the setup sets it before anything touches Dispatch and then checks that it took.
/// </remarks>
public class KernelBenchmarks
{
    private Interpreter? _ours;
    private TfLiteModel? _oursModel;
    private XnnpackOperator? _xnn;
    private OrtRunner? _ort;

    /// <summary>Shape ids (see <see cref="KernelShape.All"/>).</summary>
    public static IEnumerable<string> Shapes => KernelShape.All.Select(s => s.Id);

    /// <summary>The shape this case runs.</summary>
    [ParamsSource(nameof(Shapes))]
    public string Shape { get; set; } = KernelShape.All[0].Id;

    private KernelShape S => KernelShape.Get(Shape);

    [GlobalSetup(Target = nameof(Ours))]
    public void SetupOurs()
    {
        _oursModel = TfLiteModel.FromBytes(SingleOpModels.Build(S), $"bench {Shape}");
        _ours = SingleOpModels.Ready(_oursModel);
    }

    [GlobalSetup(Target = nameof(OursAvx2))]
    public void SetupOursAvx2()
    {
        Environment.SetEnvironmentVariable(Kernels.Dispatch.EnvironmentVariable, "avx2");
        if (Kernels.Dispatch.Default != Kernels.IsaPath.Avx2)
            throw new InvalidOperationException($"QK_ISA=avx2 did not take: the default path is {Kernels.Dispatch.Default}");
        SetupOurs();
    }

    [GlobalSetup(Target = nameof(Xnnpack))]
    public void SetupXnnpack() => _xnn = new XnnpackOperator(S);

    [GlobalSetup(Target = nameof(OrtU8))]
    public void SetupOrtU8() => _ort = new OrtRunner(OrtModelPath("u8"));

    [GlobalSetup(Target = nameof(OrtS8))]
    public void SetupOrtS8() => _ort = new OrtRunner(OrtModelPath("s8"));

    private string OrtModelPath(string act)
    {
        var s = S;
        string name = s.Kind == KernelKind.FullyConnected ? $"{s.OrtModel}_{act}.onnx" : $"{s.OrtModel}_{act}_nhwc.onnx";
        return Path.Combine(BenchPaths.OrtModels, name);
    }

    /// <summary>Our interpreter, one op, one thread.</summary>
    [Benchmark(Baseline = true)]
    public void Ours() => _ours!.Invoke();

    /// <summary>Our interpreter forced to the AVX2 kernels (vpmaddwd on int16), one op, one thread.</summary>
    [Benchmark]
    public void OursAvx2() => _ours!.Invoke();

    /// <summary>XNNPACK qc8 operator (per-channel int8), threadpool NULL.</summary>
    [Benchmark]
    public void Xnnpack() => _xnn!.Run();

    /// <summary>ONNX Runtime, uint8 activations (MLAS u8s8: fast; exact only with VNNI, vpmaddubsw saturates on AVX2-only CPUs).</summary>
    [Benchmark]
    public void OrtU8() => _ort!.Run();

    /// <summary>ONNX Runtime, int8 activations (exact, slow on AVX2 without VNNI).</summary>
    [Benchmark]
    public void OrtS8() => _ort!.Run();

    [GlobalCleanup]
    public void Cleanup()
    {
        _ours?.Dispose();
        _oursModel?.Dispose();
        _xnn?.Dispose();
        _ort?.Dispose();
        _ours = null; _oursModel = null; _xnn = null; _ort = null;
    }
}
