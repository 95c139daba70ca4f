using QuantKernels.Datasets;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantKernels.Training.Data;

/// <summary>One training batch: images NCHW in [0, 1], anchor labels [N, A] and box targets [N, A, 4].</summary>
public sealed record Batch(Tensor Images, Tensor Labels, Tensor Targets, int Positives) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
        Targets.Dispose();
    }
}

/// <summary>
/// Turns data-set samples into tensors with augmentation (horizontal flip, brightness and contrast jitter, and
/// optionally scale jitter, see <see cref="ZoomCrop"/>) drawn from a caller-seeded generator, so a run is reproducible.
/// </summary>
public sealed class BatchBuilder
{
    private readonly IDetectionDataset _data;
    private readonly BoxMatcher _matcher;
    private readonly int _size;
    private readonly double _scaleJitter;

    /// <summary>
    /// Creates a builder for square inputs of <paramref name="size"/> pixels; <paramref name="scaleJitter"/> &gt; 0 zooms
    /// augmented images in by a factor from [1, 1 + scaleJitter] (0 draws nothing more from the generator, so the
    /// batches are those of a builder without it).
    /// </summary>
    public BatchBuilder(IDetectionDataset data, BoxMatcher matcher, int size, double scaleJitter = 0)
    {
        if (!(scaleJitter >= 0 && double.IsFinite(scaleJitter)))
            throw new ArgumentOutOfRangeException(nameof(scaleJitter), scaleJitter, "scale jitter must be a finite number >= 0");
        _data = data;
        _matcher = matcher;
        _size = size;
        _scaleJitter = scaleJitter;
    }

    /// <summary>One sample as planar (CHW) floats in [0, 1], optionally mirrored and with gain/offset applied to the 0-255 values.</summary>
    public static float[] ToPlanar(DetectionSample s, bool flip, float gain, float offset)
    {
        int h = s.Height, w = s.Width;
        var planar = new float[3 * h * w];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int src = (y * w + (flip ? w - 1 - x : x)) * 3;
                for (int c = 0; c < 3; c++)
                {
                    float v = s.Rgb[src + c] * gain + offset;
                    // Kept on the 1/255 grid the int8 input represents exactly.
                    planar[(c * h + y) * w + x] = MathF.Round(Math.Clamp(v, 0, 255)) / 255f;
                }
            }
        return planar;
    }

    /// <summary>Builds the batch of samples <paramref name="indices"/>; <paramref name="rng"/> null means no augmentation.</summary>
    public Batch Build(IReadOnlyList<int> indices, Random? rng)
    {
        int n = indices.Count, a = _matcher.AnchorCount, plane = 3 * _size * _size;
        var images = new float[n * plane];
        var labels = new long[n * a];
        var targets = new float[n * a * 4];
        int positives = 0;
        for (int i = 0; i < n; i++)
        {
            var s = _data.Get(indices[i]);
            if (s.Width != _size || s.Height != _size)
                throw new InvalidOperationException($"sample {indices[i]} is {s.Width}x{s.Height}; the model input is {_size}x{_size}");
            bool flip = rng is not null && rng.Next(2) == 1;
            float gain = rng is null ? 1 : 0.75f + 0.5f * rng.NextSingle();
            float offset = rng is null ? 0 : (rng.NextSingle() - 0.5f) * 50;
            if (rng is not null && _scaleJitter > 0) s = ZoomCrop.Random(s, _scaleJitter, rng);
            ToPlanar(s, flip, gain, offset).CopyTo(images.AsSpan(i * plane));
            var objects = flip
                ? s.Objects.Select(o => o with { Box = new BoundingBox(1 - o.Box.XMax, o.Box.YMin, 1 - o.Box.XMin, o.Box.YMax) }).ToList()
                : s.Objects;
            positives += _matcher.Match(objects, labels.AsSpan(i * a, a), targets.AsSpan(i * a * 4, a * 4));
        }
        return new Batch(tensor(images, [n, 3, _size, _size]), tensor(labels, [n, a]), tensor(targets, [n, a, 4]), positives);
    }
}
