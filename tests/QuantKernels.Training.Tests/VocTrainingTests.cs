using System.Text.Json;
using QuantKernels.Datasets;
using QuantKernels.Datasets.Canvas;
using QuantKernels.Datasets.Evaluation;
using QuantKernels.Datasets.FashionMnist;
using QuantKernels.Datasets.Voc;
using QuantKernels.Training.Training;
using QuantKernels.Vision.Voc;

namespace QuantKernels.Training.Tests;

/// <summary>
/// <c>qk-train train --data VOC_DIR</c> end to end on 12 Fashion-MNIST canvases written as a JPEG VOC folder with three
/// classes (labels mod 3) and a <c>_background_</c> label map: a few steps at 96 px with scale jitter, then export,
/// eval and ptq through the command line. A few seconds on 2 cores.
/// </summary>
public sealed class VocTrainingTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "qk-train-voc-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    /// <summary>Fashion canvases with three classes, so the model's class count must come from the folder.</summary>
    private sealed class ThreeClasses(IDetectionDataset inner) : IDetectionDataset
    {
        public IReadOnlyList<string> ClassNames => ["tops", "shoes", "other"];

        public int Count => inner.Count;

        public DetectionSample Get(int index)
        {
            var s = inner.Get(index);
            return new DetectionSample(s.Width, s.Height, s.Rgb, [.. s.Objects.Select(o => o with { Label = o.Label % 3 })]);
        }
    }

    private static (int Code, string Out, string Err) QkTrain(params string[] args)
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        int code = TrainApp.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public void Train_export_eval_and_ptq_run_on_a_voc_folder_with_its_own_classes()
    {
        if (!File.Exists(Path.Combine(FashionMnistSet.DefaultDirectory, "train-images-idx3-ubyte.gz")))
            Assert.Skip("dataset-fashion-mnist is not installed");
        string voc = Path.Combine(_dir, "voc"), ck = Path.Combine(_dir, "ck"), model = Path.Combine(_dir, "model.tflite");
        VocFolderWriter.Write(new ThreeClasses(FashionCanvasSplits.Train(96, 12, seed: 5)), voc, quality: 95, backgroundEntry: true);

        var train = QkTrain("train", "--data", voc, "--size", "96", "--width", "0.25", "--batch", "4", "--epochs", "1",
            "--images-per-epoch", "24", "--max-steps", "6", "--warmup", "2", "--scale-jitter", "0.3", "--log-every", "3", "--out", ck);
        Assert.True(train.Code == 0, train.Err);
        var checkpoint = Checkpoint.Read(ck);
        Assert.Equal(3, checkpoint.Model.NumClasses);
        Assert.Equal(["tops", "shoes", "other"], checkpoint.Model.ClassNames);
        Assert.Equal(0.3, checkpoint.Options.ScaleJitter);
        Assert.Equal(6, checkpoint.History.Count);
        Assert.All(checkpoint.History, r => Assert.True(double.IsFinite(r[1]), $"loss {r[1]} at step {r[0]}"));

        var export = QkTrain("export", ck, "--out", model);
        Assert.True(export.Code == 0, export.Err);
        // The test split of a folder without split files: images 0 and 10 (every 10th from the first).
        var test = VocDetectionDataset.Open(voc, VocSplit.Test, 96);
        Assert.Equal(2, test.Count);
        using (var runner = new TfliteDetectorRunner(model))
        {
            Assert.Equal(96, runner.Width);
            for (int i = 0; i < test.Count; i++)
                Assert.All(runner.Detect(test.Get(i)), d => Assert.InRange(d.Label, 0, 2));
        }

        var eval = QkTrain("eval", ck, "--json");
        Assert.True(eval.Code == 0, eval.Err);
        using (var doc = JsonDocument.Parse(eval.Out))
            Assert.Equal(2, doc.RootElement.GetProperty("images").GetInt32());

        var ptq = QkTrain("ptq", ck, "--out", Path.Combine(_dir, "ptq.tflite"), "--calibration-images", "4");
        Assert.True(ptq.Code == 0, ptq.Err);
        Assert.Contains("4 calibration", ptq.Out);
    }

    [Fact]
    public void A_missing_data_folder_is_a_one_line_error()
    {
        var r = QkTrain("train", "--data", Path.Combine(_dir, "nope"), "--max-steps", "1", "--out", Path.Combine(_dir, "ck"));
        Assert.Equal(1, r.Code);
        Assert.Contains("neither 'fashion-mnist' nor an existing folder", r.Err);
    }
}
