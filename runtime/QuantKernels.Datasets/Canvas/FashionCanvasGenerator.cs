using QuantKernels.Datasets.FashionMnist;

namespace QuantKernels.Datasets.Canvas;

/// <summary>
/// Draws detection canvases from Fashion-MNIST: several tinted items at random sizes, positions and mirroring over a
/// textured background, each with the tight box of its visible pixels. Canvas <c>i</c> depends only on the seed,
/// the options and the source split, so a split of canvases is an indexable, reproducible data set.
/// </summary>
public sealed class FashionCanvasGenerator : IDetectionDataset
{
    /// <summary>Source pixels above this grey level count as part of the item's box (Fashion-MNIST backgrounds are 0).</summary>
    public const int BoxThreshold = 24;

    private const int PlacementAttempts = 20;
    private readonly FashionMnistSet _source;

    /// <summary>Creates a generator of <paramref name="count"/> canvases drawing items from <paramref name="source"/>.</summary>
    public FashionCanvasGenerator(FashionMnistSet source, int count, CanvasOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        options ??= new CanvasOptions();
        options.Validate();
        _source = source;
        Count = count;
        Options = options;
    }

    /// <summary>The drawing options.</summary>
    public CanvasOptions Options { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> ClassNames => FashionMnistSet.ClassNames;

    /// <inheritdoc />
    public int Count { get; }

    /// <inheritdoc />
    public DetectionSample Get(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"the split has {Count} canvases");
        int size = Options.Size;
        // One generator per canvas, seeded from (seed, index): any canvas can be drawn alone, in any order, on any thread.
        var rng = new Random(HashCode32(Options.Seed, index));
        var rgb = new byte[size * size * 3];
        TexturedBackground.Fill(rgb, size, rng);
        int items = rng.Next(Options.MinItems, Options.MaxItems + 1);
        var objects = new List<LabeledBox>(items);
        for (int k = 0; k < items; k++)
        {
            int sourceIndex = rng.Next(_source.Count);
            int side = (int)MathF.Round(size * (Options.MinItemFraction + (Options.MaxItemFraction - Options.MinItemFraction) * rng.NextSingle()));
            side = Math.Clamp(side, 4, size);
            bool mirror = rng.Next(2) == 1;
            var colour = ItemColour(rng);
            for (int attempt = 0; attempt < PlacementAttempts; attempt++)
            {
                int left = rng.Next(size - side + 1), top = rng.Next(size - side + 1);
                var box = ItemBox(_source.Image(sourceIndex), side, mirror, left, top, size);
                if (box is null) break; // an all-background source image: nothing to draw
                if (objects.Exists(o => o.Box.IoU(box.Value) > Options.MaxOverlapIoU)) continue;
                Composite(rgb, size, _source.Image(sourceIndex), side, mirror, left, top, colour);
                objects.Add(new LabeledBox(_source.Label(sourceIndex), box.Value));
                break;
            }
        }
        return new DetectionSample(size, size, rgb, objects);
    }

    private static (float R, float G, float B) ItemColour(Random rng)
    {
        // Bright or dark, chosen per item, so items stand out from the mid-range backgrounds either way.
        bool bright = rng.Next(2) == 1;
        float Channel() => bright ? 180 + 75 * rng.NextSingle() : 40 * rng.NextSingle();
        return (Channel(), Channel(), Channel());
    }

    /// <summary>Grey level of the source resampled to a side x side patch at (px, py), bilinear.</summary>
    private static float Sample(ReadOnlySpan<byte> src, int side, bool mirror, int px, int py)
    {
        const int n = FashionMnistSet.ImageSize;
        if (mirror) px = side - 1 - px;
        float sx = (px + 0.5f) * n / side - 0.5f, sy = (py + 0.5f) * n / side - 0.5f;
        int x0 = (int)MathF.Floor(sx), y0 = (int)MathF.Floor(sy);
        float fx = sx - x0, fy = sy - y0;
        return (1 - fy) * ((1 - fx) * At(src, x0, y0) + fx * At(src, x0 + 1, y0)) + fy * ((1 - fx) * At(src, x0, y0 + 1) + fx * At(src, x0 + 1, y0 + 1));
    }

    private static float At(ReadOnlySpan<byte> src, int x, int y) =>
        (uint)x < FashionMnistSet.ImageSize && (uint)y < FashionMnistSet.ImageSize ? src[y * FashionMnistSet.ImageSize + x] : 0;

    private static BoundingBox? ItemBox(ReadOnlySpan<byte> src, int side, bool mirror, int left, int top, int size)
    {
        int minX = int.MaxValue, minY = int.MaxValue, maxX = -1, maxY = -1;
        for (int y = 0; y < side; y++)
            for (int x = 0; x < side; x++)
                if (Sample(src, side, mirror, x, y) > BoxThreshold)
                {
                    minX = Math.Min(minX, x); maxX = Math.Max(maxX, x);
                    minY = Math.Min(minY, y); maxY = Math.Max(maxY, y);
                }
        if (maxX < 0) return null;
        return new BoundingBox((float)(left + minX) / size, (float)(top + minY) / size, (float)(left + maxX + 1) / size, (float)(top + maxY + 1) / size);
    }

    private static void Composite(Span<byte> rgb, int size, ReadOnlySpan<byte> src, int side, bool mirror, int left, int top, (float R, float G, float B) colour)
    {
        for (int y = 0; y < side; y++)
        {
            for (int x = 0; x < side; x++)
            {
                // The grey level is both the item's shading and its opacity.
                float a = Sample(src, side, mirror, x, y) / 255f;
                if (a <= 0) continue;
                int o = ((top + y) * size + left + x) * 3;
                float shade = 0.55f + 0.45f * a;
                rgb[o] = TexturedBackground.ToByte(rgb[o] * (1 - a) + colour.R * shade * a);
                rgb[o + 1] = TexturedBackground.ToByte(rgb[o + 1] * (1 - a) + colour.G * shade * a);
                rgb[o + 2] = TexturedBackground.ToByte(rgb[o + 2] * (1 - a) + colour.B * shade * a);
            }
        }
    }

    private static int HashCode32(int seed, int index)
    {
        // A fixed integer mix (not HashCode.Combine, which is randomised per process).
        uint h = (uint)seed * 0x9E3779B1u ^ (uint)index * 0x85EBCA77u;
        h ^= h >> 15; h *= 0x2C1B3C6Du; h ^= h >> 12; h *= 0x297A2D39u; h ^= h >> 15;
        return (int)(h & 0x7FFFFFFF);
    }
}
