using QuantKernels.Datasets;
using QuantKernels.Datasets.Evaluation;
using QuantKernels.Runtime;
using QuantKernels.Training.Data;
using QuantKernels.Training.Export;
using QuantKernels.Training.Model;
using QuantKernels.Training.Quantization;
using static TorchSharp.torch;

namespace QuantKernels.Training.Evaluation;

/// <summary>
/// Detects with the trainer's own forward pass (float, or fake-quantized as the model's <see cref="QuantState"/> says):
/// the head outputs go through a post-process-only <c>.tflite</c> in our runtime, so decoding and NMS are exactly those
/// of the exported models. With fake quantization on, the scores are put on LOGISTIC's int8 output grid (1/256, -128).
/// </summary>
public sealed class TrainerDetector : IDisposable
{
    private readonly SsdLite _model;
    private readonly TfLiteModel _post;
    private readonly Interpreter _interpreter;

    /// <summary>Wraps <paramref name="model"/> (kept in inference mode; not owned).</summary>
    public TrainerDetector(SsdLite model, TfliteExporter.PostProcess? post = null)
    {
        _model = model;
        _model.eval();
        _post = TfLiteModel.FromBytes(TfliteExporter.PostProcessOnly(model.Anchors, model.Config.NumClasses, post), "post-process");
        _interpreter = new Interpreter(_post, new InterpreterOptions());
        _interpreter.AllocateTensors();
    }

    /// <summary>Input side in pixels.</summary>
    public int Size => _model.Config.InputSize;

    /// <summary>
    /// The raw head outputs for one image: box encodings [A * 4] and class logits [A * (1 + classes)], in the exported
    /// tensors' order; fake-quantized values when quantization is on.
    /// </summary>
    public (float[] Boxes, float[] Logits) Heads(DetectionSample sample)
    {
        if (sample.Width != Size || sample.Height != Size)
            throw new ArgumentException($"image is {sample.Width}x{sample.Height}; the model input is {Size}x{Size}");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var planar = BatchBuilder.ToPlanar(sample, flip: false, gain: 1, offset: 0);
        var (boxes, logits) = _model.forward(tensor(planar, [1, 3, Size, Size]));
        return (boxes.contiguous().data<float>().ToArray(), logits.contiguous().data<float>().ToArray());
    }

    /// <summary>Detections for one image.</summary>
    public List<ScoredBox> Detect(DetectionSample sample)
    {
        var (boxes, logits) = Heads(sample);
        bool quantized = _model.State.Quantizes(QuantPart.Scores);
        var p = QuantRange.Logistic;
        var scores = _interpreter.GetInputTensor(1).AsSpan<float>();
        for (int i = 0; i < logits.Length; i++)
        {
            float s = 1f / (1f + MathF.Exp(-logits[i]));
            if (quantized) s = (Math.Clamp(MathF.Round(s / p.Scale) + p.ZeroPoint, QuantRange.QMin, QuantRange.QMax) - p.ZeroPoint) * p.Scale;
            scores[i] = s;
        }
        boxes.CopyTo(_interpreter.GetInputTensor(0).AsSpan<float>());
        _interpreter.Invoke();
        return TfliteDetectorRunner.ReadDetections(_interpreter);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _interpreter.Dispose();
        _post.Dispose();
    }
}
