using QuantKernels.Runtime;
using QuantKernels.Vision.Preprocessing;

namespace QuantKernels.Vision;

/// <summary>Reads the four outputs of a TFLite_Detection_PostProcess op: boxes, classes, scores, count.</summary>
internal sealed class PostProcessedDecoder(int[] outputs, ClassNames names, float scoreThreshold, int maxDetections) : IDetectionDecoder
{
    public void Decode(Interpreter interpreter, ImageTransform transform, List<Detection> results)
    {
        var boxes = interpreter.GetTensor(outputs[0]).AsReadOnlySpan<float>();
        var classes = interpreter.GetTensor(outputs[1]).AsReadOnlySpan<float>();
        var scores = interpreter.GetTensor(outputs[2]).AsReadOnlySpan<float>();
        float countValue = interpreter.GetTensor(outputs[3]).AsReadOnlySpan<float>()[0];
        int rows = Math.Min(Math.Min(scores.Length, classes.Length), boxes.Length / 4);
        int count = float.IsFinite(countValue) ? Math.Clamp((int)countValue, 0, rows) : 0;
        for (int i = 0; i < count && results.Count < maxDetections; i++)
        {
            float score = scores[i];
            if (!(score >= scoreThreshold)) continue;
            int c = float.IsFinite(classes[i]) ? Math.Max((int)classes[i], 0) : 0;
            var b = boxes.Slice(i * 4, 4);
            results.Add(new Detection(names.Name(c), names.Index(c), score, transform.ToSource(b[0], b[1], b[2], b[3]), []));
        }
    }
}
