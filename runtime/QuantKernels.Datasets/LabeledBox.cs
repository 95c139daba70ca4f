namespace QuantKernels.Datasets;

/// <summary>A ground-truth object: class index (0-based, into the data set's class names) and box.</summary>
/// <param name="Label">Class index.</param>
/// <param name="Box">Normalised box.</param>
/// <param name="Difficult">VOC's "difficult" flag: neither a hit nor a miss in evaluation.</param>
public readonly record struct LabeledBox(int Label, BoundingBox Box, bool Difficult = false);

/// <summary>A detection: class index, confidence and box.</summary>
public readonly record struct ScoredBox(int Label, float Score, BoundingBox Box);
