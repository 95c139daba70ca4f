namespace QuantKernels.Vision.Preprocessing;

/// <summary>
/// Filter taps of a one-dimensional triangle (bilinear) resample from <c>Source</c> to <c>Destination</c> samples,
/// with pixel centres at +0.5 and, when shrinking, the triangle widened by the shrink factor so every source pixel
/// contributes (an antialiased bilinear filter, like PIL's). Arrays grow only, so a reused instance stops
/// allocating once it has seen the largest size.
/// </summary>
internal sealed class ResampleTaps
{
    private int[] _start = [];
    private int[] _count = [];
    private float[] _weights = [];

    public int Source { get; private set; }
    public int Destination { get; private set; }
    /// <summary>Weights per destination sample in <see cref="Weights"/> (the widest filter's tap count).</summary>
    public int Stride { get; private set; }

    public ReadOnlySpan<int> Start => _start.AsSpan(0, Destination);
    public ReadOnlySpan<int> Count => _count.AsSpan(0, Destination);
    public ReadOnlySpan<float> Weights => _weights.AsSpan(0, Destination * Stride);

    /// <summary>Recomputes the taps for a new size pair (no work when unchanged).</summary>
    public void Prepare(int source, int destination)
    {
        if (source == Source && destination == Destination) return;
        double scale = (double)source / destination;
        double filterScale = Math.Max(scale, 1.0);
        double support = filterScale; // the triangle's radius is 1 source pixel, widened when shrinking
        int stride = (int)Math.Ceiling(support) * 2 + 1;
        if (_start.Length < destination) { _start = new int[destination]; _count = new int[destination]; }
        if (_weights.Length < (long)destination * stride) _weights = new float[checked(destination * stride)];
        for (int i = 0; i < destination; i++)
        {
            double center = (i + 0.5) * scale;
            int lo = Math.Max((int)(center - support + 0.5), 0);
            int hi = Math.Min((int)(center + support + 0.5), source);
            var w = _weights.AsSpan(i * stride, stride);
            double sum = 0;
            int n = 0;
            for (int j = lo; j < hi && n < stride; j++, n++)
            {
                double t = Math.Abs((j + 0.5 - center) / filterScale);
                double v = t < 1 ? 1 - t : 0;
                w[n] = (float)v;
                sum += v;
            }
            if (sum > 0)
                for (int k = 0; k < n; k++) w[k] = (float)(w[k] / sum);
            else
            {
                // Degenerate (cannot happen for positive sizes): take the nearest pixel.
                lo = Math.Clamp((int)center, 0, source - 1);
                n = 1;
                w[0] = 1f;
            }
            _start[i] = lo;
            _count[i] = n;
        }
        Source = source;
        Destination = destination;
        Stride = stride;
    }
}
