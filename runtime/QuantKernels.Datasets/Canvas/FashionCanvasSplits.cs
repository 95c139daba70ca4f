using QuantKernels.Datasets.FashionMnist;

namespace QuantKernels.Datasets.Canvas;

/// <summary>
/// The standard canvas splits: training canvases draw items from Fashion-MNIST's train split, test canvases from its
/// test split with a fixed seed, so every model (and <c>qk eval --data fashion-mnist</c>) is scored on the same images.
/// </summary>
public static class FashionCanvasSplits
{
    /// <summary>Seed of the test canvases.</summary>
    public const int TestSeed = 20_261_125;

    /// <summary>Default number of test canvases.</summary>
    public const int DefaultTestCount = 1000;

    /// <summary>Training canvases (<paramref name="count"/> of them) of side <paramref name="size"/>.</summary>
    public static FashionCanvasGenerator Train(int size, int count, int seed, string? directory = null) =>
        new(FashionMnistSet.Load(FashionMnistSplit.Train, directory), count, new CanvasOptions { Size = size, Seed = seed });

    /// <summary>The test canvases of side <paramref name="size"/>.</summary>
    public static FashionCanvasGenerator Test(int size, int count = DefaultTestCount, string? directory = null) =>
        new(FashionMnistSet.Load(FashionMnistSplit.Test, directory), count, new CanvasOptions { Size = size, Seed = TestSeed });
}
