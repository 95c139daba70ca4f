using QuantKernels.Datasets.FashionMnist;
using QuantKernels.Training.Training;

namespace QuantKernels.Training.Tests;

public class ResumeTests
{
    [Fact]
    public void A_resumed_run_repeats_an_uninterrupted_run_exactly()
    {
        if (!File.Exists(Path.Combine(FashionMnistSet.DefaultDirectory, "train-images-idx3-ubyte.gz")))
            Assert.Skip("dataset-fashion-mnist is not installed");
        var o = new TrainOptions
        {
            Size = 64, Width = 0.25f, BatchSize = 4, Epochs = 1, ImagesPerEpoch = 32, WarmupSteps = 2, QuantDelay = 0.25,
            FreezeBatchNorm = 0.75, Seed = 5, Threads = 1, LogEvery = 1000, CheckpointEvery = 1000,
        };
        string a = Path.Combine(Path.GetTempPath(), "qk-resume-a-" + Guid.NewGuid().ToString("N"));
        string b = Path.Combine(Path.GetTempPath(), "qk-resume-b-" + Guid.NewGuid().ToString("N"));
        try
        {
            new Trainer(TextWriter.Null).Train(o, a).Dispose();
            new Trainer(TextWriter.Null).Train(o, b, stopAfter: 5).Dispose();
            Assert.Equal(5, Checkpoint.Read(b).Step);
            new Trainer(TextWriter.Null).Train(o, b).Dispose();
            var whole = Checkpoint.Read(a).History;
            var resumed = Checkpoint.Read(b).History;
            Assert.Equal(8, whole.Count);
            Assert.Equal(whole.Select(r => r[1]), resumed.Select(r => r[1]));
        }
        finally
        {
            foreach (var d in new[] { a, b })
                try { Directory.Delete(d, recursive: true); } catch (IOException) { }
        }
    }
}
