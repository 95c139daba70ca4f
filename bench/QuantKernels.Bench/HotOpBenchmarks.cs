using BenchmarkDotNet.Attributes;
using QuantKernels.Kernels;
using QuantKernels.Kernels.Convolution;
using QuantKernels.Kernels.Depthwise;
using QuantKernels.Kernels.Elementwise;
using QuantKernels.Kernels.FloatConvolution;
using QuantKernels.Kernels.Layout;
using QuantKernels.Kernels.Pooling;
using QuantKernels.Runtime;
using QuantKernels.Vision.Preprocessing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace QuantKernels.Bench;

/// <summary>
/// The vectorized non-GEMM ops, each on the scalar reference (the baseline) and the vector paths in the same run, at
/// the shapes where the bundled models spend their time (seeded random data; every path gives the scalar result,
/// tests/.../HotOps and tests/QuantKernels.Vision.Tests/ResamplerPathTests):
/// <list type="bullet">
/// <item>resize_u8_65x65x21_to_513: deeplabv3_mnv2_dm05_pascal_quant's last RESIZE_BILINEAR (uint8, XNNPACK kernel).</item>
/// <item>argmax_u8_513x513x21: its ARG_MAX over the 21 classes (int64 indices).</item>
/// <item>prelu_f32_96x96x32, add_f32_96x96x32: palm_detection_lite's PRELU (alpha per channel) and residual ADD.</item>
/// <item>maxpool_f32_96x96x32_2x2: palm_detection_lite's MAX_POOL_2D 2x2 stride 2.</item>
/// <item>conv_f32_3x3_56x56x64, dw_f32_3x3_112x112x32: float CONV_2D and DEPTHWISE_CONV_2D (the float SSD's shapes).</item>
/// <item>preprocess_dog_300x300: Vision's antialiased resize of testdata/images/dog.jpg (768x576) into the shipped
/// detector's 300x300 int8 input (ModelInputWriter.Write, decoding not included).</item>
/// </list>
/// </summary>
public class HotOpBenchmarks
{
    private Action<IsaPath> _run = _ => { };
    private readonly List<IDisposable> _owned = [];

    /// <summary>Which op and shape.</summary>
    [Params("resize_u8_65x65x21_to_513", "argmax_u8_513x513x21", "prelu_f32_96x96x32", "add_f32_96x96x32", "maxpool_f32_96x96x32_2x2",
        "conv_f32_3x3_56x56x64", "dw_f32_3x3_112x112x32", "preprocess_dog_300x300")]
    public string Case { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(3);
        float[] F(int n) { var v = new float[n]; for (int i = 0; i < n; i++) v[i] = (float)(rng.NextDouble() * 2 - 1); return v; }
        switch (Case)
        {
            case "resize_u8_65x65x21_to_513":
            {
                var inShape = new Nhwc(1, 65, 65, 21);
                var outShape = new Nhwc(1, 513, 513, 21);
                var x = new byte[inShape.ElementCount];
                rng.NextBytes(x);
                var y = new byte[outShape.ElementCount];
                var scratch = new int[ResizeBilinearSimd.ScratchLength(outShape)];
                // Scalar: the reference kernel as it was (the vector entry point's scalar path already runs the split passes).
                _run = p =>
                {
                    if (p == IsaPath.Scalar) ResizeBilinear.QuantizedXnnpack<byte>(x, inShape, y, outShape, true, false);
                    else ResizeBilinearSimd.QuantizedXnnpack<byte>(p, x, inShape, y, outShape, true, false, scratch);
                };
                break;
            }
            case "argmax_u8_513x513x21":
            {
                int[] shape = [1, 513, 513, 21];
                var x = new byte[513 * 513 * 21];
                rng.NextBytes(x);
                var y = new long[513 * 513];
                _run = p => ArgMinMaxSimd.Run<byte, long>(p, x, shape, 3, true, y);
                break;
            }
            case "prelu_f32_96x96x32":
            {
                int[] shape = [1, 96, 96, 32], alphaShape = [1, 1, 32];
                float[] x = F(96 * 96 * 32), alpha = F(32), y = new float[x.Length];
                _run = p => FloatBinarySimd.Prelu(p, shape, x, alphaShape, alpha, shape, y);
                break;
            }
            case "add_f32_96x96x32":
            {
                int[] shape = [1, 96, 96, 32];
                float[] a = F(96 * 96 * 32), b = F(a.Length), y = new float[a.Length];
                _run = p => FloatBinarySimd.Run(p, BinaryOperation.Add, shape, a, shape, b, shape, y);
                break;
            }
            case "maxpool_f32_96x96x32_2x2":
            {
                var inShape = new Nhwc(1, 96, 96, 32);
                var outShape = new Nhwc(1, 48, 48, 32);
                var pool = new Pool2DParams(2, 2, 2, 2, 0, 0);
                float[] x = F(inShape.ElementCount), y = new float[outShape.ElementCount];
                _run = p => MaxPoolSimd.Float(p, x, inShape, y, outShape, in pool);
                break;
            }
            case "conv_f32_3x3_56x56x64":
            {
                var g = Conv2DGeometry.Create(1, 56, 56, 64, 64, 3, 3, 64, 1, 1, 1, 1, PaddingType.Same);
                float[] x = F(g.InputLength), f = F(g.FilterLength), b = F(64), y = new float[g.OutputLength];
                var kernels = new Dictionary<IsaPath, Conv2DFloatPacked>();
                foreach (var p in Dispatch.SupportedPaths) kernels[p] = Conv2DFloatPacked.Create(in g, f, b, 0, 6, p);
                _run = p => kernels[p].Run(x, y);
                break;
            }
            case "dw_f32_3x3_112x112x32":
            {
                var g = DepthwiseConv2DGeometry.Create(1, 112, 112, 32, 1, 3, 3, 1, 1, 1, 1, PaddingType.Same);
                float[] x = F(g.InputLength), f = F(g.FilterLength), b = F(32), y = new float[g.OutputLength];
                _run = p => DepthwiseFloatSimd.Run(p, in g, x, f, b, 0, 6, y);
                break;
            }
            case "preprocess_dog_300x300":
            {
                using var image = Image.Load<Rgb24>(Path.Combine(BenchPaths.Root, "testdata", "images", "dog.jpg"));
                int w = image.Width, h = image.Height;
                var rgb = new byte[w * h * 3];
                image.CopyPixelDataTo(rgb);
                var model = TfLiteModel.FromFile(Path.Combine(BenchPaths.Models, "detector", "ssd_mobilenetv2_oidv4_int8.tflite"));
                var interpreter = new Interpreter(model);
                interpreter.AllocateTensors();
                _owned.Add(interpreter);
                _owned.Add(model);
                var input = interpreter.GetInputTensor(0);
                var writers = new Dictionary<IsaPath, ModelInputWriter>();
                foreach (var p in Dispatch.SupportedPaths) writers[p] = new ModelInputWriter(p);
                _run = p => writers[p].Write(rgb, w, h, input, ModelInputSpec.Default);
                break;
            }
            default: throw new ArgumentException($"unknown case {Case}");
        }
    }

    [GlobalCleanup]
    public void Cleanup() { foreach (var d in _owned) d.Dispose(); }

    [Benchmark(Baseline = true)]
    public void Scalar() => _run(IsaPath.Scalar);

    [Benchmark]
    public void Vector128() => _run(IsaPath.Vector128);

    [Benchmark]
    public void Avx2() => _run(Dispatch.IsSupported(IsaPath.Avx2) ? IsaPath.Avx2 : throw new NotSupportedException("no AVX2 here"));
}
