using QuantKernels.Datasets;
using QuantKernels.Datasets.Canvas;
using QuantKernels.Datasets.Voc;
using QuantKernels.Training.Training;
using QuantKernels.Vision.Voc;

namespace QuantKernels.Training.Data;

/// <summary>
/// Opens the data a run names in <see cref="TrainOptions.Data"/>: <c>fashion-mnist</c> (generated canvases, fresh ones
/// for every index) or a VOC-style folder (its train or test split, stretched to the input side; see
/// <see cref="VocDetectionDataset"/> and <see cref="VocSplit"/> for the split rules and label mapping).
/// </summary>
public static class TrainingData
{
    /// <summary>The name <see cref="TrainOptions.Data"/> gives the Fashion-MNIST canvases.</summary>
    public const string FashionMnist = "fashion-mnist";

    /// <summary>
    /// The training split as <paramref name="totalImages"/> indexable images: Fashion canvases are generated per index;
    /// a VOC folder's training images (decoded once, then cached): its first <paramref name="totalImages"/>, or when
    /// more are asked for, index i is image i mod their count.
    /// </summary>
    /// <exception cref="ArgumentException"><see cref="TrainOptions.Data"/> is neither fashion-mnist nor an existing folder.</exception>
    public static IDetectionDataset OpenTrain(TrainOptions o, int totalImages, int? size = null)
    {
        int side = size ?? o.Size;
        if (o.Data == FashionMnist) return FashionCanvasSplits.Train(side, totalImages, o.Seed, o.FashionMnistDirectory);
        var voc = VocDetectionDataset.Open(Folder(o.Data), VocSplit.Train, side, cacheImages: true);
        return totalImages <= voc.Count ? DatasetViews.Take(voc, totalImages) : DatasetViews.Cycle(voc, totalImages);
    }

    /// <summary>The first <paramref name="count"/> test images at <paramref name="size"/> px (Fashion: the fixed test canvases).</summary>
    public static IDetectionDataset OpenTest(string data, int size, int count, string? fashionMnistDirectory)
    {
        if (data == FashionMnist) return FashionCanvasSplits.Test(size, count, fashionMnistDirectory);
        return DatasetViews.Take(VocDetectionDataset.Open(Folder(data), VocSplit.Test, size), count);
    }

    private static string Folder(string data) => Directory.Exists(data)
        ? data
        : throw new ArgumentException($"--data '{data}' is neither '{FashionMnist}' nor an existing folder");
}
