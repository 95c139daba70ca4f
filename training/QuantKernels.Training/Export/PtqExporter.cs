using QuantKernels.Datasets;
using QuantKernels.Quantization;
using QuantKernels.Training.Model;

namespace QuantKernels.Training.Export;

/// <summary>
/// Post-training quantization of a trained model, for contrast with QAT: the float export stopped at the heads goes
/// through <see cref="PostTrainingQuantizer"/> (what <c>qk quantize</c> runs), calibrated on canvases of the training
/// split, and gets the same LOGISTIC + TFLite_Detection_PostProcess (the model's anchors, the QAT export's NMS settings).
/// </summary>
public static class PtqExporter
{
    /// <summary>Quantizes <paramref name="model"/>'s float weights, calibrating on every image of <paramref name="calibration"/>.</summary>
    public static QuantizationResult Export(SsdLite model, IDetectionDataset calibration, TfliteExporter.PostProcess? post = null)
    {
        post ??= new TfliteExporter.PostProcess();
        int s = model.Config.InputSize;
        using var quantizer = new PostTrainingQuantizer(TfliteExporter.Export(model, asFloat: true, rawHeads: true), "float raw heads");
        var input = new float[s * s * 3];
        for (int i = 0; i < calibration.Count; i++)
        {
            var sample = calibration.Get(i);
            if (sample.Width != s || sample.Height != s)
                throw new ArgumentException($"calibration image {i} is {sample.Width}x{sample.Height}; the model input is {s}x{s}");
            for (int k = 0; k < input.Length; k++) input[k] = sample.Rgb[k] / 255f;
            quantizer.Observe([input]);
        }
        return quantizer.Build(new QuantizationOptions
        {
            // Pixels / 255: the full input range, as the QAT export's (1/255, -128).
            InputRange = new ActivationRange(0f, 1f),
            SsdPostProcess = new SsdPostProcessOptions
            {
                Anchors = TfliteExporter.Flatten(model.Anchors),
                MaxDetections = post.MaxDetections,
                ScoreThreshold = post.ScoreThreshold,
                IouThreshold = post.IoUThreshold,
                UseRegularNms = post.RegularNms,
                ScoresAreLogits = true,
                NumClasses = model.Config.NumClasses,
            },
            Description = $"QuantKernels SSD-lite {s}px, post-training int8 quantization ({calibration.Count} training canvases)",
        });
    }
}
