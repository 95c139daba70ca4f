namespace QuantKernels.Kernels.Detection;

/// <summary>The options of TFLite_Detection_PostProcess (names as in its custom options).</summary>
/// <param name="MaxDetections">max_detections: anchors (fast) or detections (regular) kept in total.</param>
/// <param name="MaxClassesPerDetection">max_classes_per_detection: classes reported per kept anchor in fast mode.</param>
/// <param name="DetectionsPerClass">detections_per_class: NMS output per class in regular mode (TFLite's default 100).</param>
/// <param name="UseRegularNms">use_regular_nms: per-class NMS instead of the fast best-class NMS.</param>
/// <param name="ScoreThreshold">nms_score_threshold: scores below it are dropped.</param>
/// <param name="IouThreshold">nms_iou_threshold: suppress when IoU is strictly greater; in (0, 1].</param>
/// <param name="NumClasses">num_classes: classes without the background column.</param>
/// <param name="Scales">y_scale, x_scale, h_scale, w_scale.</param>
public readonly record struct DetectionPostProcessParams(
    int MaxDetections, int MaxClassesPerDetection, int DetectionsPerClass, bool UseRegularNms,
    float ScoreThreshold, float IouThreshold, int NumClasses, BoxCoderScales Scales)
{
    /// <summary>Rows of the outputs: max_detections * max_classes_per_detection (TFLite sizes the outputs so in both modes).</summary>
    public int OutputRows => checked(MaxDetections * MaxClassesPerDetection);
}
