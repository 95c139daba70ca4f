namespace QuantKernels.Bench;

/// <summary>Which operator a kernel shape exercises.</summary>
public enum KernelKind
{
    /// <summary>CONV_2D (dense, OHWI filter).</summary>
    Conv,
    /// <summary>DEPTHWISE_CONV_2D, depth multiplier 1.</summary>
    Depthwise,
    /// <summary>FULLY_CONNECTED, batch 1.</summary>
    FullyConnected,
}

/// <summary>
/// One benchmark shape of issue 3 (NHWC, batch 1, SAME padding, int8 activations, per-channel int8 weights).
/// The quantization parameters are the ones ../shared/peers/xnnpack/xnnbench.c and ort/make_models.py use, so every
/// implementation requantizes the same way: input scale 0.05 zero point -3, weight scales 0.01 + 0.0001*(c%13) with
/// zero point 0, bias (c*37 % 2000) - 1000, output scale 0.1 zero point 5.
/// </summary>
/// <param name="Id">Short name used as the benchmark parameter and in the ratio table.</param>
/// <param name="Label">Human-readable description.</param>
/// <param name="OrtModel">Base name of the ONNX model in bench/peers/ort-models (without _u8/_s8 suffix).</param>
public sealed record KernelShape(string Id, string Label, KernelKind Kind, int H, int W, int InC, int OutC, int K, int Stride, string OrtModel)
{
    /// <summary>Input scale, zero point; output scale, zero point (shared by every implementation).</summary>
    public const float InputScale = 0.05f, OutputScale = 0.1f;
    /// <summary>Activation zero points in int8.</summary>
    public const int InputZeroPoint = -3, OutputZeroPoint = 5;

    /// <summary>The six shapes of issue 3.</summary>
    public static readonly KernelShape[] All =
    [
        new("conv3x3_56x56x64", "conv 3x3 s1 56x56x64->64", KernelKind.Conv, 56, 56, 64, 64, 3, 1, "i_conv3x3_56x56x64"),
        new("conv1x1_28x28x128to256", "conv 1x1 28x28x128->256", KernelKind.Conv, 28, 28, 128, 256, 1, 1, "ii_conv1x1_28x28x128to256"),
        new("dw3x3_112x112x32", "depthwise 3x3 s1 112x112x32", KernelKind.Depthwise, 112, 112, 32, 32, 3, 1, "iii_dw3x3_112x112x32"),
        new("dw3x3_14x14x512", "depthwise 3x3 s1 14x14x512", KernelKind.Depthwise, 14, 14, 512, 512, 3, 1, "iii_dw3x3_14x14x512"),
        new("conv3x3s2_224x224x3to32", "conv 3x3 s2 224x224x3->32", KernelKind.Conv, 224, 224, 3, 32, 3, 2, "iv_conv3x3s2_224x224x3to32"),
        new("fc_1024to1000", "FC 1024->1000", KernelKind.FullyConnected, 1, 1, 1024, 1000, 1, 1, "fc_qlinearmatmul"),
    ];

    /// <summary>Depthwise shapes beyond the issue's two (no ONNX models, so not in <see cref="All"/>): MobileNetV2's
    /// stride-2 and wide stride-1 depthwise layers, and two 5x5 ones (<see cref="DepthwiseBenchmarks"/>).</summary>
    public static readonly KernelShape[] DepthwiseExtra =
    [
        new("dw3x3s2_112x112x96", "depthwise 3x3 s2 112x112x96", KernelKind.Depthwise, 112, 112, 96, 96, 3, 2, ""),
        new("dw3x3s2_28x28x192", "depthwise 3x3 s2 28x28x192", KernelKind.Depthwise, 28, 28, 192, 192, 3, 2, ""),
        new("dw3x3_56x56x144", "depthwise 3x3 s1 56x56x144", KernelKind.Depthwise, 56, 56, 144, 144, 3, 1, ""),
        new("dw5x5_28x28x120", "depthwise 5x5 s1 28x28x120", KernelKind.Depthwise, 28, 28, 120, 120, 5, 1, ""),
        new("dw5x5s2_28x28x240", "depthwise 5x5 s2 28x28x240", KernelKind.Depthwise, 28, 28, 240, 240, 5, 2, ""),
    ];

    /// <summary>Every depthwise shape: the issue's two, then <see cref="DepthwiseExtra"/>.</summary>
    public static IEnumerable<KernelShape> Depthwise => All.Where(s => s.Kind == KernelKind.Depthwise).Concat(DepthwiseExtra);

    /// <summary>Looks a shape up by <see cref="Id"/> (in <see cref="All"/> or <see cref="DepthwiseExtra"/>).</summary>
    public static KernelShape Get(string id) => All.Concat(DepthwiseExtra).FirstOrDefault(s => s.Id == id)
        ?? throw new ArgumentException($"unknown shape '{id}'; known: {string.Join(", ", All.Concat(DepthwiseExtra).Select(s => s.Id))}", nameof(id));

    /// <summary>Output height under SAME padding.</summary>
    public int OutH => (H + Stride - 1) / Stride;
    /// <summary>Output width under SAME padding.</summary>
    public int OutW => (W + Stride - 1) / Stride;

    /// <summary>TensorFlow SAME padding along one axis: (before, after); the odd pixel goes after.</summary>
    public static (int Before, int After) SamePadding(int inSize, int k, int stride)
    {
        int outSize = (inSize + stride - 1) / stride;
        int total = Math.Max((outSize - 1) * stride + k - inSize, 0);
        return (total / 2, total - total / 2);
    }

    /// <summary>Multiply-accumulates one inference performs (the GMAC/s denominator, as the peers count it).</summary>
    public double Macs => Kind switch
    {
        KernelKind.Conv => (double)OutH * OutW * OutC * K * K * InC,
        KernelKind.Depthwise => (double)OutH * OutW * OutC * K * K,
        _ => (double)InC * OutC,
    };

    /// <summary>Per-output-channel weight scale.</summary>
    public static float WeightScale(int c) => 0.01f + 0.0001f * (c % 13);

    /// <summary>Per-output-channel bias (int32, in units of input scale x weight scale).</summary>
    public static int Bias(int c) => c * 37 % 2000 - 1000;

    /// <summary>Number of weight elements (conv OHWI, depthwise 1HWC, FC [N,K]).</summary>
    public int WeightCount => Kind switch
    {
        KernelKind.Conv => OutC * K * K * InC,
        KernelKind.Depthwise => K * K * OutC,
        _ => OutC * InC,
    };

    /// <summary>Seeded random int8 data in [lo, hi] (same bytes for every implementation of a shape).</summary>
    public static sbyte[] RandomInt8(int count, int seed, int lo = -128, int hi = 127)
    {
        var rnd = new Random(seed);
        var a = new sbyte[count];
        for (int i = 0; i < a.Length; i++) a[i] = (sbyte)rnd.Next(lo, hi + 1);
        return a;
    }

    /// <inheritdoc/>
    public override string ToString() => Id;
}
