using QuantKernels.Runtime;
using QuantKernels.Vision.Preprocessing;

namespace QuantKernels.Vision;

/// <summary>Turns one invocation's outputs into detections in source pixels.</summary>
internal interface IDetectionDecoder
{
    /// <summary>Appends the detections of the last <see cref="Interpreter.Invoke"/> to <paramref name="results"/>.</summary>
    void Decode(Interpreter interpreter, ImageTransform transform, List<Detection> results);
}
