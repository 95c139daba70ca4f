namespace QuantKernels.Datasets.Evaluation;

/// <summary>Scores a detector over a data set.</summary>
public static class DetectorEvaluation
{
    /// <summary>Runs <paramref name="detect"/> on every image of <paramref name="data"/> and computes the APs.</summary>
    public static EvaluationResult Evaluate(IDetectionDataset data, Func<DetectionSample, IReadOnlyList<ScoredBox>> detect)
    {
        var evaluator = new DetectionEvaluator(data.ClassNames);
        for (int i = 0; i < data.Count; i++)
        {
            var sample = data.Get(i);
            var detections = detect(sample);
            // A model with more classes than the data set: detections of unknown classes cannot match anything.
            evaluator.Add(sample.Objects, detections.Where(d => (uint)d.Label < (uint)data.ClassNames.Count).ToList());
        }
        return evaluator.Compute();
    }
}
