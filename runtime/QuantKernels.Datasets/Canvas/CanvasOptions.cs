namespace QuantKernels.Datasets.Canvas;

/// <summary>How Fashion-MNIST detection canvases are drawn.</summary>
public sealed record CanvasOptions
{
    /// <summary>Canvas side in pixels (square canvases).</summary>
    public int Size { get; init; } = 160;

    /// <summary>Fewest items per canvas.</summary>
    public int MinItems { get; init; } = 1;

    /// <summary>Most items per canvas.</summary>
    public int MaxItems { get; init; } = 4;

    /// <summary>Smallest item side as a fraction of the canvas side (the 28x28 source is scaled to it).</summary>
    public float MinItemFraction { get; init; } = 0.2f;

    /// <summary>Largest item side as a fraction of the canvas side.</summary>
    public float MaxItemFraction { get; init; } = 0.55f;

    /// <summary>Largest IoU a new item may have with any earlier item's box (placements above it are retried).</summary>
    public float MaxOverlapIoU { get; init; } = 0.15f;

    /// <summary>Seed; canvas i of a given seed, split and options is always the same image.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Throws when an option is out of range.</summary>
    public void Validate()
    {
        if (Size is < 16 or > 4096) throw new ArgumentOutOfRangeException(nameof(Size), Size, "canvas size must be 16..4096 pixels");
        if (MinItems < 0 || MaxItems < MinItems || MaxItems > 64)
            throw new ArgumentOutOfRangeException(nameof(MaxItems), $"items per canvas must satisfy 0 <= min ({MinItems}) <= max ({MaxItems}) <= 64");
        if (!(MinItemFraction > 0) || !(MaxItemFraction >= MinItemFraction) || MaxItemFraction > 1)
            throw new ArgumentOutOfRangeException(nameof(MaxItemFraction), $"item fractions must satisfy 0 < min ({MinItemFraction}) <= max ({MaxItemFraction}) <= 1");
        if (!(MaxOverlapIoU >= 0 && MaxOverlapIoU <= 1)) throw new ArgumentOutOfRangeException(nameof(MaxOverlapIoU), MaxOverlapIoU, "must be in [0, 1]");
    }
}
