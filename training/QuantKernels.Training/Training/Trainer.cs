using System.Diagnostics;
using QuantKernels.Datasets;
using QuantKernels.Training.Data;
using QuantKernels.Training.Model;
using QuantKernels.Training.Quantization;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantKernels.Training.Training;

/// <summary>
/// Quantization-aware training of <see cref="SsdLite"/>: float warm-up, then fake quantization (after
/// <see cref="TrainOptions.QuantDelay"/>), then frozen batch norm (after <see cref="TrainOptions.FreezeBatchNorm"/>);
/// AdamW with warm-up and cosine decay; checkpoints that resume exactly where they stopped.
/// </summary>
public sealed class Trainer
{
    private readonly TextWriter _log;

    /// <summary>Creates a trainer that prints progress lines to <paramref name="log"/>.</summary>
    public Trainer(TextWriter log) => _log = log;

    /// <summary>Loss history rows: step, total, box, class, learning rate.</summary>
    public List<double[]> History { get; private set; } = [];

    /// <summary>Steps whose loss was not finite (their update was skipped).</summary>
    public int SkippedSteps { get; private set; }

    /// <summary>Model configuration for the options and the class names of the training data (no background class).</summary>
    public static ModelConfig ModelFor(TrainOptions o, IReadOnlyList<string> classNames) => new()
    {
        InputSize = o.Size, Width = o.Width, FeatureMaps = o.FeatureMaps, NumClasses = classNames.Count,
        ClassNames = [.. classNames],
    };

    /// <summary>
    /// Trains into <paramref name="outDir"/>, resuming from a checkpoint there when one exists.
    /// <paramref name="stopAfter"/> ends the run early (with a checkpoint) at that step, without changing the schedule.
    /// </summary>
    public SsdLite Train(TrainOptions o, string outDir, int? stopAfter = null)
    {
        OpenMpWaitPolicy.SetPassive();
        torch.set_num_threads(o.Threads);
        torch.manual_seed(o.Seed);
        Directory.CreateDirectory(outDir);

        int stepsPerEpoch = Math.Max(1, o.ImagesPerEpoch / o.BatchSize);
        int total = o.Epochs * stepsPerEpoch;
        if (o.MaxSteps > 0) total = Math.Min(total, o.MaxSteps);
        var data = TrainingData.OpenTrain(o, o.Epochs * stepsPerEpoch * o.BatchSize);
        var config = ModelFor(o, data.ClassNames);
        var state = new QuantState();
        var model = new SsdLite(config, state);
        var optimizer = torch.optim.AdamW(model.parameters(), o.LearningRate, weight_decay: o.WeightDecay);
        int start = 0;
        if (File.Exists(Path.Combine(outDir, Checkpoint.JsonName)))
        {
            var ck = Checkpoint.Read(outDir);
            if (ck.Model with { Anchors = config.Anchors, ClassNames = config.ClassNames } != config with { })
                _log.WriteLine("warning: checkpoint model configuration differs from the options; using the checkpoint's");
            model.load(Path.Combine(outDir, Checkpoint.ModelName));
            optimizer.load_state_dict(Path.Combine(outDir, Checkpoint.OptimizerName));
            start = ck.Step;
            History = ck.History;
            _log.WriteLine($"resumed from {outDir} at step {start}");
        }

        var builder = new BatchBuilder(data, new BoxMatcher(model.Anchors), o.Size, o.ScaleJitter);
        int quantStep = (int)(o.QuantDelay * total), freezeStep = (int)(o.FreezeBatchNorm * total);
        var clock = Stopwatch.StartNew();
        int imagesDone = 0;
        model.train();
        int end = Math.Min(total, stopAfter ?? total);
        // The next batch (canvas generation, augmentation, anchor matching: ~10% of a step, all in C#) is built on a
        // worker thread while torch runs this step. Each batch depends only on its step number, so a run is the same
        // with or without the overlap.
        Batch MakeBatch(int s) => builder.Build(BatchIndices(o, s, stepsPerEpoch), new Random(Mix(o.Seed, s)));
        Task<Batch>? pending = null;
        try
        {
            for (int step = start; step < end; step++)
            {
                using var scope = NewDisposeScope();
                state.SetQuantized(step >= quantStep);
                state.FreezeBatchNorm = step >= freezeStep;
                double lr = LearningRateSchedule.At(step, total, o.WarmupSteps, o.LearningRate);
                foreach (var g in optimizer.ParamGroups) g.LearningRate = lr;

                using var batch = pending is null ? MakeBatch(step) : pending.GetAwaiter().GetResult();
                int next = step + 1;
                pending = next < end ? Task.Run(() => MakeBatch(next)) : null;
                var (boxes, logits) = model.forward(batch.Images);
                var (loss, boxLoss, classLoss) = DetectionLoss.Compute(boxes, logits, batch.Labels, batch.Targets);
                optimizer.zero_grad();
                double lossValue = loss.ToDouble();
                if (!double.IsFinite(lossValue))
                {
                    // A non-finite loss skips the update (the weights stay finite); many of them mean the run diverged.
                    SkippedSteps++;
                    _log.WriteLine($"warning: loss is {lossValue} at step {step + 1}; update skipped ({SkippedSteps} so far)");
                    if (SkippedSteps > Math.Max(3, (end - start) / 10))
                        throw new InvalidOperationException($"loss was not finite in {SkippedSteps} steps; lower --lr (now {o.LearningRate})");
                }
                else
                {
                    loss.backward();
                    // Clipping keeps a rare huge gradient (a badly matched box early on) from wrecking AdamW's moments.
                    double norm = torch.nn.utils.clip_grad_norm_(model.parameters(), o.ClipGradNorm);
                    if (double.IsFinite(norm))
                    {
                        optimizer.step();
                    }
                    else
                    {
                        // A finite loss can still have an overflowing gradient (seen once in QAT while batch norm still
                        // moved: the runningStd / batchStd correction of a channel that was nearly constant in the batch).
                        // Clipping turns inf into NaN (inf x 0), and one such AdamW step made every weight NaN.
                        SkippedSteps++;
                        _log.WriteLine($"warning: gradient norm is {norm} at step {step + 1}; update skipped ({SkippedSteps} so far)");
                    }
                }
                History.Add([step, lossValue, boxLoss.ToDouble(), classLoss.ToDouble(), lr]);
                imagesDone += (int)batch.Images.shape[0];

                bool last = step == end - 1;
                if ((step + 1) % o.LogEvery == 0 || last)
                {
                    double rate = imagesDone / clock.Elapsed.TotalSeconds;
                    var eta = TimeSpan.FromSeconds((total - step - 1) * o.BatchSize / Math.Max(rate, 1e-9));
                    var recent = History.TakeLast(o.LogEvery).ToList();
                    string phase = state.FreezeBatchNorm ? "qat+frozen-bn" : state.QuantizeWeights ? "qat" : "float";
                    _log.WriteLine($"step {step + 1}/{total} epoch {step / stepsPerEpoch + 1}/{o.Epochs} loss {recent.Where(r => double.IsFinite(r[1])).DefaultIfEmpty([0, double.NaN, double.NaN, double.NaN, 0]).Average(r => r[1]):F4} " +
                                   $"(box {recent.Average(r => r[2]):F4} cls {recent.Average(r => r[3]):F4}) lr {lr:E2} {rate:F1} img/s ETA {eta:hh\\:mm\\:ss} [{phase}]");
                }
                if ((step + 1) % o.CheckpointEvery == 0 || last)
                    Save(model, optimizer, new Checkpoint(o, config, step + 1, total, History), outDir);
            }
        }
        finally
        {
            // A run that stops on an exception leaves the prefetched batch behind.
            if (pending is not null) try { pending.GetAwaiter().GetResult().Dispose(); } catch (Exception) { }
        }
        model.eval();
        state.SetQuantized(end > 0 && end - 1 >= quantStep);
        state.FreezeBatchNorm = true;
        return model;
    }

    /// <summary>Loads a trained model from a checkpoint folder, in inference mode with quantization as it ended.</summary>
    public static (SsdLite Model, Checkpoint Checkpoint) Load(string path)
    {
        OpenMpWaitPolicy.SetPassive();
        var ck = Checkpoint.Read(path);
        var state = new QuantState();
        var model = new SsdLite(ck.Model, state);
        model.load(Path.Combine(Checkpoint.Folder(path), Checkpoint.ModelName));
        model.eval();
        state.SetQuantized(ck.Step > (int)(ck.Options.QuantDelay * ck.TotalSteps));
        state.FreezeBatchNorm = true;
        return (model, ck);
    }

    private static void Save(SsdLite model, TorchSharp.Modules.OptimizerHelper optimizer, Checkpoint ck, string dir)
    {
        model.save(Path.Combine(dir, Checkpoint.ModelName));
        optimizer.save_state_dict(Path.Combine(dir, Checkpoint.OptimizerName));
        ck.WriteJson(dir);
    }

    private static int[] BatchIndices(TrainOptions o, int step, int stepsPerEpoch)
    {
        // Every epoch draws fresh canvases (indices epoch * perEpoch ..); the order inside an epoch is a seeded shuffle.
        int epoch = step / stepsPerEpoch, within = step % stepsPerEpoch;
        int perEpoch = stepsPerEpoch * o.BatchSize;
        var order = Enumerable.Range(0, perEpoch).ToArray();
        new Random(Mix(o.Seed, -1 - epoch)).Shuffle(order);
        return order.AsSpan(within * o.BatchSize, o.BatchSize).ToArray().Select(i => epoch * perEpoch + i).ToArray();
    }

    private static int Mix(int seed, int value)
    {
        uint h = (uint)seed * 0x9E3779B1u ^ (uint)value * 0x85EBCA77u;
        h ^= h >> 15; h *= 0x2C1B3C6Du; h ^= h >> 12;
        return (int)(h & 0x7FFFFFFF);
    }
}
