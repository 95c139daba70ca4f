using QuantKernels.Kernels.Detection.Anchors;
using QuantKernels.Runtime;
using QuantKernels.Runtime.Ops.Custom;

namespace QuantKernels.Vision;

/// <summary>
/// Recognises a detection model's kind from its outputs and builds its decoder:
/// <list type="number">
/// <item>a TFLite_Detection_PostProcess op whose four outputs are model outputs: <see cref="DetectorKind.PostProcessed"/>;</item>
/// <item>two outputs [1,A,4] and [1,A,C] with C &gt; 1: <see cref="DetectorKind.Ssd"/> (the one named like "box" is the
/// encodings when both have 4 columns, else the first);</item>
/// <item>two outputs [1,A,4+2K] and [1,A,1]: <see cref="DetectorKind.BlazeFace"/>.</item>
/// </list>
/// Anything else is refused with a message naming the outputs; <see cref="DetectorOptions.Kind"/> forces a kind.
/// </summary>
internal static class ModelSignature
{
    public const string PostProcessOp = "TFLite_Detection_PostProcess";

    public static (DetectorKind Kind, IDetectionDecoder Decoder) Build(TfLiteModel model, int inputW, int inputH, string[] labels, DetectorOptions o)
    {
        var post = model.Operators.FirstOrDefault(op => op.CustomCode == PostProcessOp && op.Outputs.Count == 4 && op.Outputs.All(model.Outputs.Contains));
        if (o.Kind == DetectorKind.PostProcessed || (o.Kind == DetectorKind.Auto && post is not null))
        {
            if (post is null) throw new ModelFormatException($"{model.Source}: no {PostProcessOp} operator produces the model's outputs");
            var p = DetectionPostProcessOptions.Parse(post.CustomOptions.Span, $"{model.Source} {post}");
            return (DetectorKind.PostProcessed,
                new PostProcessedDecoder([.. post.Outputs], new ClassNames(labels, p.NumClasses), o.ScoreThreshold, o.MaxDetections));
        }

        if (model.Outputs.Count != 2 || model.Outputs.Any(i => model.Tensors[i].Shape.Count != 3 || model.Tensors[i].Shape[0] != 1))
            throw Unrecognised(model);
        int t0 = model.Outputs[0], t1 = model.Outputs[1];
        int k0 = model.Tensors[t0].Shape[2], k1 = model.Tensors[t1].Shape[2];
        int anchors = model.Tensors[t0].Shape[1];
        if (model.Tensors[t1].Shape[1] != anchors || anchors <= 0) throw Unrecognised(model);

        var kind = o.Kind;
        if (kind == DetectorKind.Auto)
            kind = (k0 == 4 && k1 > 1) || (k1 == 4 && k0 > 1) ? DetectorKind.Ssd
                : (IsRegressor(k0) && k1 == 1) || (IsRegressor(k1) && k0 == 1) ? DetectorKind.BlazeFace
                : throw Unrecognised(model);
        if (kind == DetectorKind.Ssd)
        {
            bool firstIsBoxes = k0 == 4 && (k1 != 4 || !LooksLikeBoxes(model.Tensors[t1].Name) || LooksLikeBoxes(model.Tensors[t0].Name));
            var (boxes, scores) = firstIsBoxes ? (t0, t1) : (t1, t0);
            if (model.Tensors[boxes].Shape[2] != 4) throw Unrecognised(model);
            int columns = model.Tensors[scores].Shape[2];
            var a = o.Anchors ?? MultipleGridAnchorGenerator.Generate(StandardSsdAnchors(inputW, inputH));
            CheckAnchors(model, a, anchors, "the standard SSD MobileNet anchors for this input size");
            return (kind, new SsdDecoder(boxes, scores, anchors, columns, a, o.BoxScales, o.ScoreThreshold, o.IouThreshold ?? 0.5f,
                o.MaxDetections, logits: true, new ClassNames(labels, columns - 1)));
        }
        else
        {
            bool firstIsRegressor = IsRegressor(k0) && k1 == 1;
            var (reg, scores) = firstIsRegressor ? (t0, t1) : (t1, t0);
            int stride = model.Tensors[reg].Shape[2];
            if (!IsRegressor(stride) || model.Tensors[scores].Shape[2] != 1) throw Unrecognised(model);
            var a = o.Anchors ?? MediaPipeSsdAnchorGenerator.Generate(MediaPipeSsdAnchorOptions.BlazeFaceShortRange with { InputWidth = inputW, InputHeight = inputH });
            CheckAnchors(model, a, anchors, "BlazeFace short-range anchors for this input size");
            return (kind, new BlazeFaceDecoder(reg, scores, anchors, stride, inputW, inputH, a, o.ScoreThreshold, o.IouThreshold ?? 0.3f,
                o.MaxDetections, o.FaceLabel));
        }
    }

    /// <summary>SSD MobileNet's six feature maps: the input divided by 16, 32, ..., 512, rounded up (19, 10, 5, 3, 2, 1 at 300).</summary>
    public static MultipleGridAnchorOptions StandardSsdAnchors(int inputW, int inputH) =>
        MultipleGridAnchorOptions.SsdMobileNetV2_300 with
        {
            FeatureMaps = [.. Enumerable.Range(0, 6).Select(i => ((inputH + (16 << i) - 1) / (16 << i), (inputW + (16 << i) - 1) / (16 << i)))],
            ImageSize = (inputH, inputW),
        };

    private static bool IsRegressor(int k) => k >= 4 && (k - 4) % 2 == 0;

    private static bool LooksLikeBoxes(string name) =>
        name.Contains("box", StringComparison.OrdinalIgnoreCase) || name.Contains("regress", StringComparison.OrdinalIgnoreCase);

    private static void CheckAnchors(TfLiteModel model, float[] anchors, int count, string what)
    {
        if (anchors.Length != count * 4)
            throw new ModelFormatException($"{model.Source}: the model predicts {count} boxes but {what} number {anchors.Length / 4}; pass DetectorOptions.Anchors");
    }

    private static ModelFormatException Unrecognised(TfLiteModel model) => new(
        $"{model.Source}: not a recognised detection model (outputs: {string.Join(", ", model.Outputs.Select(i => model.Tensors[i].ToString()))}); " +
        $"expected a {PostProcessOp} op, SSD outputs [1,A,4] + [1,A,C], or BlazeFace outputs [1,A,4+2K] + [1,A,1]");
}
