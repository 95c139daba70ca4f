namespace QuantKernels.Vision;

/// <summary>A point in image pixels (a landmark such as an eye for face models).</summary>
public readonly record struct Keypoint(float X, float Y);

/// <summary>One detected object.</summary>
/// <param name="Label">The class name from the labels file (or "class N" without one; "face" for BlazeFace).</param>
/// <param name="ClassIndex">Index of the class in the labels file (background, when the file lists it, is index 0).</param>
/// <param name="Score">Confidence in [0, 1].</param>
/// <param name="Box">The box in original image pixels (after EXIF orientation), left, top, right, bottom.</param>
/// <param name="Keypoints">Landmarks in original image pixels when the model gives them; empty otherwise.</param>
public sealed record Detection(string Label, int ClassIndex, float Score, BoundingBox Box, IReadOnlyList<Keypoint> Keypoints)
{
    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"{Label} {Score:0.00} {Box}");
}
