namespace QuantKernels.Datasets.Evaluation;

/// <summary>Average precision of one class.</summary>
/// <param name="Name">Class name.</param>
/// <param name="GroundTruthCount">Non-difficult ground-truth objects of the class.</param>
/// <param name="DetectionCount">Detections of the class that were evaluated.</param>
/// <param name="Ap50">AP at IoU 0.5.</param>
/// <param name="Ap75">AP at IoU 0.75.</param>
/// <param name="Ap">AP averaged over IoU 0.50, 0.55, ..., 0.95 (COCO's AP).</param>
public sealed record ClassAveragePrecision(string Name, int GroundTruthCount, int DetectionCount, double Ap50, double Ap75, double Ap);

/// <summary>
/// Result of an evaluation: per-class AP and the means over the classes that have ground truth (fractions in [0, 1]).
/// </summary>
/// <param name="Classes">Every class, in label order; classes without ground truth have NaN APs.</param>
/// <param name="Map50">Mean AP at IoU 0.5 (PASCAL-style mAP, with COCO's 101-point interpolation).</param>
/// <param name="Map">Mean AP over IoU 0.50:0.05:0.95 (COCO mAP).</param>
/// <param name="Images">Images evaluated.</param>
public sealed record EvaluationResult(IReadOnlyList<ClassAveragePrecision> Classes, double Map50, double Map, int Images);
