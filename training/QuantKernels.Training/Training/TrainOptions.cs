namespace QuantKernels.Training.Training;

/// <summary>Settings of a training run (saved with each checkpoint).</summary>
public sealed record TrainOptions
{
    /// <summary>"fashion-mnist" (canvases from /usr/share/datasets/fashion-mnist, or FashionMnistDirectory) or a VOC folder.</summary>
    public string Data { get; init; } = "fashion-mnist";

    /// <summary>Folder of the Fashion-MNIST IDX files (null: the Debian package's folder).</summary>
    public string? FashionMnistDirectory { get; init; }

    /// <summary>Input side in pixels.</summary>
    public int Size { get; init; } = 160;

    /// <summary>Width multiplier.</summary>
    public float Width { get; init; } = 0.5f;

    /// <summary>Feature maps with heads (2-4).</summary>
    public int FeatureMaps { get; init; } = 2;

    /// <summary>Epochs.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Training images per epoch (canvases are generated, so this is a choice).</summary>
    public int ImagesPerEpoch { get; init; } = 6000;

    /// <summary>Test images (canvases from the test split) used by evaluation.</summary>
    public int TestImages { get; init; } = 1000;

    /// <summary>Batch size.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Peak learning rate (AdamW).</summary>
    public double LearningRate { get; init; } = 2e-3;

    /// <summary>AdamW weight decay.</summary>
    public double WeightDecay { get; init; } = 1e-4;

    /// <summary>Gradient-norm clipping threshold.</summary>
    public double ClipGradNorm { get; init; } = 10;

    /// <summary>Linear warm-up steps before the cosine decay.</summary>
    public int WarmupSteps { get; init; } = 100;

    /// <summary>Fraction of the steps trained in float before fake quantization starts (the quantization delay).</summary>
    public double QuantDelay { get; init; } = 0.5;

    /// <summary>Fraction of the steps after which batch-norm statistics freeze.</summary>
    public double FreezeBatchNorm { get; init; } = 0.8;

    /// <summary>
    /// Scale jitter: each training image is zoomed in by a factor drawn uniformly from [1, 1 + this] (a random square
    /// crop scaled back to the input; boxes clipped, dropped when less than half stays visible). 0 (default): off.
    /// </summary>
    public double ScaleJitter { get; init; }

    /// <summary>Seed of weights, data order, canvases and augmentation.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Torch threads.</summary>
    public int Threads { get; init; } = 2;

    /// <summary>Print a progress line every this many steps.</summary>
    public int LogEvery { get; init; } = 20;

    /// <summary>Write a checkpoint every this many steps (and at the end).</summary>
    public int CheckpointEvery { get; init; } = 500;

    /// <summary>Stop after this many steps in total (0: run all epochs); for tests and smoke runs.</summary>
    public int MaxSteps { get; init; }
}
