using QuantKernels.Datasets;
using QuantKernels.Datasets.Evaluation;
using QuantKernels.Runtime;
using QuantKernels.Training.Export;
using QuantKernels.Training.Model;
using QuantKernels.Training.Data;
using QuantKernels.Training.Quantization;
using static TorchSharp.torch;

namespace QuantKernels.Training.Evaluation;

/// <summary>
/// Agreement between an int8 export run in our runtime and the trainer's fake-quant forward pass: the raw head
/// outputs (<see cref="TfliteExporter.BoxEncodingsName"/>, <see cref="TfliteExporter.ClassLogitsName"/>) in int8 steps,
/// and whether the final detections are the same.
/// </summary>
public sealed class HeadComparison
{
    /// <summary>Count of head outputs per |runtime - fake quant| in int8 steps: index 0, 1, 2, and 3 for "3 or more".</summary>
    public long[] StepHistogram { get; } = new long[4];

    /// <summary>Largest difference seen, in int8 steps.</summary>
    public int MaxSteps { get; private set; }

    /// <summary>Head outputs compared.</summary>
    public long Outputs { get; private set; }

    /// <summary>
    /// Per backbone layer (stem first), over all images: name, elements compared, elements that differ, largest
    /// difference in int8 steps. Shows where differences start and how they propagate.
    /// </summary>
    public List<(string Layer, long Elements, long Differing, int MaxSteps)> Layers { get; } = [];

    /// <summary>
    /// Per layer, each fed the runtime's own input tensor (dequantized) instead of the trainer's previous output: how
    /// well one fake-quant op predicts one int8 op, without propagation. Same tuple as <see cref="Layers"/>.
    /// </summary>
    public List<(string Layer, long Elements, long Differing, int MaxSteps)> IsolatedLayers { get; } = [];

    /// <summary>Like <see cref="StepHistogram"/>, for the heads computed from the runtime's feature maps.</summary>
    public long[] IsolatedHeadHistogram { get; } = new long[4];

    /// <summary>Images compared.</summary>
    public int Images { get; private set; }

    /// <summary>Images whose detections are the same (count, classes, scores; boxes within 1e-4).</summary>
    public int SameDetections { get; private set; }

    /// <summary>Detections over all images from the runtime.</summary>
    public int RuntimeDetections { get; private set; }

    /// <summary>Detections over all images from the fake-quant forward.</summary>
    public int TrainerDetections { get; private set; }

    /// <summary>
    /// Compares <paramref name="int8Model"/> (an int8 export of <paramref name="model"/>, in its fake-quant state) with
    /// the trainer's forward pass on every image of <paramref name="data"/>.
    /// </summary>
    public static HeadComparison Run(SsdLite model, byte[] int8Model, IDetectionDataset data)
    {
        if (!model.State.QuantizeActivations) throw new ArgumentException("the model is not in its fake-quant state (was it trained past the quantization delay?)");
        using var tf = TfLiteModel.FromBytes(int8Model, "int8 model");
        using var interpreter = new Interpreter(tf, new InterpreterOptions { PreserveAllTensors = true });
        interpreter.AllocateTensors();
        var boxTensor = interpreter.FindTensor(TfliteExporter.BoxEncodingsName)
            ?? throw new ArgumentException($"the model has no '{TfliteExporter.BoxEncodingsName}' tensor (not a qk-train export)");
        var logitTensor = interpreter.FindTensor(TfliteExporter.ClassLogitsName)
            ?? throw new ArgumentException($"the model has no '{TfliteExporter.ClassLogitsName}' tensor (not a qk-train export)");
        if (boxTensor.Type != TensorType.Int8) throw new ArgumentException("the model is not an int8 export");
        using var trainer = new TrainerDetector(model);
        var result = new HeadComparison();
        for (int i = 0; i < data.Count; i++)
        {
            var sample = data.Get(i);
            var input = interpreter.GetInputTensor(0).AsSpan<float>();
            for (int k = 0; k < sample.Rgb.Length; k++) input[k] = sample.Rgb[k] / 255f;
            interpreter.Invoke();
            var runtimeDetections = TfliteDetectorRunner.ReadDetections(interpreter);
            var (boxes, logits) = trainer.Heads(sample);
            result.Add(boxes, model.BoxOutput.Range, boxTensor.AsReadOnlySpan<sbyte>());
            result.Add(logits, model.ClassOutput.Range, logitTensor.AsReadOnlySpan<sbyte>());
            result.AddLayers(model, sample, interpreter, boxTensor, logitTensor);
            var trainerDetections = trainer.Detect(sample);
            result.Images++;
            result.RuntimeDetections += runtimeDetections.Count;
            result.TrainerDetections += trainerDetections.Count;
            if (Same(runtimeDetections, trainerDetections)) result.SameDetections++;
        }
        return result;
    }

    /// <summary>One line: the histogram and the detection agreement.</summary>
    public override string ToString() =>
        $"{Outputs} head outputs on {Images} images, |runtime - fake quant| in int8 steps: 0: {StepHistogram[0]}, 1: {StepHistogram[1]}, " +
        $"2: {StepHistogram[2]}, >=3: {StepHistogram[3]} (max {MaxSteps}); same detections on {SameDetections}/{Images} images " +
        $"({RuntimeDetections} runtime vs {TrainerDetections} fake-quant detections)";

    /// <summary>
    /// Per-layer lines: "name: differing/elements (max N)" along the trainer's own chain, then the same with each layer
    /// fed the runtime's input.
    /// </summary>
    public IEnumerable<string> LayerLines() =>
        Layers.Zip(IsolatedLayers).Select(p =>
            $"{p.First.Layer}: {p.First.Differing}/{p.First.Elements} differ (max {p.First.MaxSteps}); " +
            $"fed the runtime's input: {p.Second.Differing} differ (max {p.Second.MaxSteps})");

    /// <summary>One line: the heads computed from the runtime's feature maps.</summary>
    public string IsolatedHeadLine() =>
        $"heads fed the runtime's feature maps, |runtime - fake quant| in int8 steps: 0: {IsolatedHeadHistogram[0]}, " +
        $"1: {IsolatedHeadHistogram[1]}, 2: {IsolatedHeadHistogram[2]}, >=3: {IsolatedHeadHistogram[3]}";

    private static TorchSharp.torch.Tensor Dequantize(ReadOnlySpan<sbyte> q, QuantRange r, long[] nchw)
    {
        var values = new float[q.Length];
        QuantKernels.Kernels.Conversion.Dequantize.Run(q, values, r.Scale, r.ZeroPoint);
        return tensor(values, [nchw[0], nchw[2], nchw[3], nchw[1]]).permute(0, 3, 1, 2).contiguous();
    }

    // Elements that differ and the largest difference in int8 steps; fills histogram (0, 1, 2, >=3) when given.
    private static (long Differing, int Max) Count(float[] fake, QuantRange r, ReadOnlySpan<sbyte> actual, long[]? histogram)
    {
        if (fake.Length != actual.Length) throw new InvalidOperationException($"tensor sizes differ: {fake.Length} vs {actual.Length}");
        long differing = 0;
        int max = 0;
        for (int k = 0; k < fake.Length; k++)
        {
            int d = Math.Abs((int)MathF.Round(fake[k] / r.Scale) + r.ZeroPoint - actual[k]);
            if (d > 0) differing++;
            max = Math.Max(max, d);
            if (histogram is not null) histogram[Math.Min(d, 3)]++;
        }
        return (differing, max);
    }

    // Every backbone layer twice: along the trainer's own chain (differences propagate) and fed the runtime's
    // dequantized input (a difference is that op's own); then the heads from the runtime's feature maps.
    private void AddLayers(SsdLite model, DetectionSample sample, Interpreter interpreter, QuantKernels.Runtime.Tensor boxTensor, QuantKernels.Runtime.Tensor logitTensor)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        int s = model.Config.InputSize;
        var chained = model.InputObserver.forward(tensor(BatchBuilder.ToPlanar(sample, flip: false, gain: 1, offset: 0), [1, 3, s, s]));
        var previous = chained;
        var layers = new List<QConv> { model.Stem };
        layers.AddRange(model.Backbone);
        var runtimeOutputs = new TorchSharp.torch.Tensor[layers.Count];
        for (int i = 0; i < layers.Count; i++)
        {
            string name = layers[i].GetName() + "_out";
            var actual = interpreter.FindTensor(name) ?? throw new ArgumentException($"the model has no '{name}' tensor (not a qk-train export)");
            var r = layers[i].Output!.Range;
            chained = layers[i].forward(chained);
            var isolated = layers[i].forward(previous);
            Accumulate(Layers, i, layers[i].GetName(), Count(Nhwc(chained), r, actual.AsReadOnlySpan<sbyte>(), null), chained.numel());
            Accumulate(IsolatedLayers, i, layers[i].GetName(), Count(Nhwc(isolated), r, actual.AsReadOnlySpan<sbyte>(), null), isolated.numel());
            previous = runtimeOutputs[i] = Dequantize(actual.AsReadOnlySpan<sbyte>(), r, isolated.shape);
        }
        var boxes = new List<TorchSharp.torch.Tensor>();
        var logits = new List<TorchSharp.torch.Tensor>();
        for (int f = 0; f < model.FeatureAfter.Count; f++)
        {
            var feature = runtimeOutputs[model.FeatureAfter[f] + 1]; // +1: the stem comes first in this list
            boxes.Add(model.BoxHeads[f].forward(feature).permute(0, 2, 3, 1).reshape(1, -1, 4));
            logits.Add(model.ClassHeads[f].forward(feature).permute(0, 2, 3, 1).reshape(1, -1, model.Config.NumClasses + 1));
        }
        var b = model.BoxOutput.forward(cat(boxes, 1)).contiguous().data<float>().ToArray();
        var c = model.ClassOutput.forward(cat(logits, 1)).contiguous().data<float>().ToArray();
        Count(b, model.BoxOutput.Range, boxTensor.AsReadOnlySpan<sbyte>(), IsolatedHeadHistogram);
        Count(c, model.ClassOutput.Range, logitTensor.AsReadOnlySpan<sbyte>(), IsolatedHeadHistogram);
    }

    private static float[] Nhwc(TorchSharp.torch.Tensor nchw) => nchw.permute(0, 2, 3, 1).contiguous().data<float>().ToArray();

    private static void Accumulate(List<(string Layer, long Elements, long Differing, int MaxSteps)> list, int i, string layer, (long Differing, int Max) d, long elements)
    {
        if (list.Count <= i) list.Add((layer, 0, 0, 0));
        var l = list[i];
        list[i] = (l.Layer, l.Elements + elements, l.Differing + d.Differing, Math.Max(l.MaxSteps, d.Max));
    }

    private void Add(float[] fake, QuantRange r, ReadOnlySpan<sbyte> actual)
    {
        var (_, max) = Count(fake, r, actual, StepHistogram);
        MaxSteps = Math.Max(MaxSteps, max);
        Outputs += fake.Length;
    }

    private static bool Same(List<ScoredBox> a, List<ScoredBox> b)
    {
        if (a.Count != b.Count) return false;
        for (int i = 0; i < a.Count; i++)
        {
            if (a[i].Label != b[i].Label || a[i].Score != b[i].Score) return false;
            var x = a[i].Box;
            var y = b[i].Box;
            if (Math.Abs(x.XMin - y.XMin) > 1e-4f || Math.Abs(x.YMin - y.YMin) > 1e-4f ||
                Math.Abs(x.XMax - y.XMax) > 1e-4f || Math.Abs(x.YMax - y.YMax) > 1e-4f) return false;
        }
        return true;
    }
}
