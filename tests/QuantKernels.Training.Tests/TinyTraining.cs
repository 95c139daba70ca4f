using QuantKernels.Datasets.FashionMnist;
using QuantKernels.Training.Model;
using QuantKernels.Training.Training;

namespace QuantKernels.Training.Tests;

/// <summary>
/// One tiny seeded training run shared by the tests of a class: 96 px, width 0.25, 100 steps of 8 canvases, float for
/// the first half, fake-quantized after, batch norm frozen for the last quarter. About 10 s on 2 free cores.
/// </summary>
public sealed class TinyTraining : IDisposable
{
    public TinyTraining()
    {
        if (!File.Exists(Path.Combine(FashionMnistSet.DefaultDirectory, "train-images-idx3-ubyte.gz"))) return;
        Directory = Path.Combine(Path.GetTempPath(), "qk-train-test-" + Guid.NewGuid().ToString("N"));
        Options = Options with { };
        Model = new Trainer(TextWriter.Null).Train(Options, Directory);
        History = Checkpoint.Read(Directory).History;
    }

    /// <summary>The options of the run.</summary>
    public TrainOptions Options { get; } = new()
    {
        Size = 96, Width = 0.25f, BatchSize = 8, Epochs = 1, ImagesPerEpoch = 800, WarmupSteps = 10, LearningRate = 3e-3,
        QuantDelay = 0.5, FreezeBatchNorm = 0.75, Seed = 3, Threads = 2, LogEvery = 1000, CheckpointEvery = 1000,
    };

    /// <summary>Checkpoint folder (null when Fashion-MNIST is not installed).</summary>
    public string? Directory { get; }

    /// <summary>The trained model, in inference mode with fake quantization on.</summary>
    public SsdLite? Model { get; }

    /// <summary>Loss history rows (step, total, box, class, lr).</summary>
    public List<double[]> History { get; } = [];

    /// <summary>Skips the calling test when the data set is missing.</summary>
    public void RequireData()
    {
        if (Model is null) Assert.Skip("dataset-fashion-mnist is not installed (apt-get install dataset-fashion-mnist)");
    }

    public void Dispose()
    {
        Model?.Dispose();
        if (Directory is not null)
            try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
