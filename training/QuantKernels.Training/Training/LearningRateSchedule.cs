namespace QuantKernels.Training.Training;

/// <summary>Linear warm-up from 0 to the peak, then cosine decay to 0 at the last step.</summary>
public static class LearningRateSchedule
{
    /// <summary>Learning rate of step <paramref name="step"/> (0-based) of <paramref name="total"/>.</summary>
    public static double At(int step, int total, int warmup, double peak)
    {
        if (warmup > 0 && step < warmup) return peak * (step + 1) / warmup;
        double progress = total <= warmup ? 1 : (double)(step - warmup) / Math.Max(1, total - warmup);
        return peak * 0.5 * (1 + Math.Cos(Math.PI * Math.Clamp(progress, 0, 1)));
    }
}
