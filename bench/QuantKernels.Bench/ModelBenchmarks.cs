using BenchmarkDotNet.Attributes;
using QuantKernels.Runtime;

namespace QuantKernels.Bench;

/// <summary>
/// Whole MobileNetV2 inferences, single thread: our interpreter on the two int8/uint8 .tflite models in testdata/models,
/// beside ONNX Runtime on tf2_mobilenet_v2_1.0_224_ptq converted op for op to ONNX (bench/peers/ort-mobilenetv2: u8 =
/// ORT's fast path, inexact on AVX2-only CPUs; s8 = its exact path). Inputs are seeded random uint8 images.
/// </summary>
public class ModelBenchmarks
{
    /// <summary>The uint8 per-tensor MobileNetV2 (TF1 quantization-aware training).</summary>
    public const string Mnv2Quant = "mobilenet_v2_1.0_224_quant.tflite";

    /// <summary>The int8 per-channel MobileNetV2 (TF2 post-training quantization).</summary>
    public const string Tf2Mnv2Ptq = "tf2_mobilenet_v2_1.0_224_ptq.tflite";

    private TfLiteModel? _model;
    private Interpreter? _ours;
    private OrtRunner? _ort;

    private void SetupOurs(string file)
    {
        _model = TfLiteModel.FromFile(Path.Combine(BenchPaths.Models, file));
        _ours = new Interpreter(_model, new InterpreterOptions { Threads = 1 });
        _ours.AllocateTensors();
        var input = _ours.GetInputTensor(0);
        var data = new byte[input.ByteSize];
        new Random(1).NextBytes(data);
        input.CopyFrom(data);
        _ours.Invoke();
    }

    [GlobalSetup(Target = nameof(OursMnv2Quant))]
    public void SetupMnv2Quant() => SetupOurs(Mnv2Quant);

    [GlobalSetup(Target = nameof(OursTf2Mnv2Ptq))]
    public void SetupTf2Mnv2Ptq() => SetupOurs(Tf2Mnv2Ptq);

    [GlobalSetup(Target = nameof(OrtMnv2U8))]
    public void SetupOrtU8() => _ort = new OrtRunner(Path.Combine(BenchPaths.OrtMobileNetV2, "mnv2_u8_nhwc.onnx"));

    [GlobalSetup(Target = nameof(OrtMnv2S8))]
    public void SetupOrtS8() => _ort = new OrtRunner(Path.Combine(BenchPaths.OrtMobileNetV2, "mnv2_s8_nhwc.onnx"));

    /// <summary>Ours: mobilenet_v2_1.0_224_quant (uint8).</summary>
    [Benchmark]
    public void OursMnv2Quant() => _ours!.Invoke();

    /// <summary>Ours: tf2_mobilenet_v2_1.0_224_ptq (int8 per-channel).</summary>
    [Benchmark(Baseline = true)]
    public void OursTf2Mnv2Ptq() => _ours!.Invoke();

    /// <summary>ONNX Runtime, tf2 MobileNetV2 with u8 activations (fast; inexact on AVX2-only CPUs, see bench/README.md).</summary>
    [Benchmark]
    public void OrtMnv2U8() => _ort!.Run();

    /// <summary>ONNX Runtime, tf2 MobileNetV2 with s8 activations (exact path).</summary>
    [Benchmark]
    public void OrtMnv2S8() => _ort!.Run();

    [GlobalCleanup]
    public void Cleanup()
    {
        _ours?.Dispose();
        _model?.Dispose();
        _ort?.Dispose();
        _ours = null; _model = null; _ort = null;
    }
}
