using System.Runtime.InteropServices;
using QuantKernels.Runtime;
using QuantKernels.Runtime.FlexBuffers;
using QuantKernels.Runtime.Writing;
using Op = tflite.BuiltinOperator;

namespace QuantKernels.Quantization;

/// <summary>Appends LOGISTIC (on logits) and TFLite_Detection_PostProcess to an SSD's int8 raw outputs.</summary>
internal sealed class SsdPostProcessAppender(
    TfliteWriter writer,
    TfLiteModel model,
    IReadOnlyDictionary<int, int> activation,
    SsdPostProcessOptions options,
    List<string> added)
{
    /// <summary>The custom code TFLite registers the op under.</summary>
    public const string CustomCode = "TFLite_Detection_PostProcess";

    /// <summary>Writes the ops; returns the four new graph outputs (boxes, classes, scores, count).</summary>
    public List<int> Append()
    {
        var (boxOut, classOut) = PickOutputs();
        var boxes = model.Tensors[boxOut];
        var classes = model.Tensors[classOut];
        int n = boxes.Shape[1];
        if (boxes.Shape.Count != 3 || boxes.Shape[0] != 1 || boxes.Shape[2] < 4)
            throw new ArgumentException($"SSD post-process: box encodings {boxes} must be [1, N, >=4]");
        if (classes.Shape.Count != 3 || classes.Shape[0] != 1 || classes.Shape[1] != n)
            throw new ArgumentException($"SSD post-process: class output {classes} must be [1, {n}, classes]");
        if (options.Anchors.Length != n * 4)
            throw new ArgumentException($"SSD post-process: {options.Anchors.Length / 4.0} anchors given, the model has {n} boxes");
        int columns = classes.Shape[2];
        int numClasses = options.NumClasses ?? columns - 1;
        if (numClasses < 1 || columns - numClasses is not (0 or 1))
            throw new ArgumentException($"SSD post-process: {numClasses} classes do not fit the class output's {columns} columns (classes, or classes + background)");

        int boxQ = activation[boxOut];
        int scoreQ = activation[classOut];
        if (options.ScoresAreLogits)
        {
            var p = QuantParams.Probability;
            int sig = writer.AddQuantizedTensor(classes.Name + "/sigmoid", TensorType.Int8, [1, n, columns], p.Scale, p.ZeroPoint);
            writer.AddOperator(Op.LOGISTIC, [scoreQ], [sig], version: 2);
            added.Add($"LOGISTIC on '{classes.Name}'");
            scoreQ = sig;
        }
        // TFLite's own TFLite_Detection_PostProcess reads float32 and uint8 only (it fails at Invoke on int8):
        // hand it float32 through DEQUANTIZE.
        boxQ = Dequantize(boxQ, boxes.Name, [1, n, boxes.Shape[2]]);
        scoreQ = Dequantize(scoreQ, classes.Name + (options.ScoresAreLogits ? "/sigmoid" : ""), [1, n, columns]);
        int anchors = writer.AddConstant<float>("anchors", TensorType.Float32, [n, 4], options.Anchors);

        int m = options.MaxDetections * options.MaxClassesPerDetection;
        const string name = "TFLite_Detection_PostProcess";
        int[] outs =
        [
            writer.AddTensor(name, TensorType.Float32, [1, m, 4]),
            writer.AddTensor(name + ":1", TensorType.Float32, [1, m]),
            writer.AddTensor(name + ":2", TensorType.Float32, [1, m]),
            writer.AddTensor(name + ":3", TensorType.Float32, [1]),
        ];
        var flex = new FlexBufferMapWriter()
            .Int("max_detections", options.MaxDetections)
            .Int("max_classes_per_detection", options.MaxClassesPerDetection)
            .Int("detections_per_class", options.DetectionsPerClass)
            .Bool("use_regular_nms", options.UseRegularNms)
            .Float("nms_score_threshold", options.ScoreThreshold)
            .Float("nms_iou_threshold", options.IouThreshold)
            .Int("num_classes", numClasses)
            .Float("y_scale", options.Scales.Y)
            .Float("x_scale", options.Scales.X)
            .Float("h_scale", options.Scales.H)
            .Float("w_scale", options.Scales.W)
            .Build();
        writer.AddCustomOperator(CustomCode, [boxQ, scoreQ, anchors], outs, flex);
        added.Add($"{CustomCode} ({n} anchors, {numClasses} classes, {(options.UseRegularNms ? "regular" : "fast")} NMS, " +
                  $"IoU {options.IouThreshold}, score {options.ScoreThreshold}, {options.MaxDetections} detections)");
        return [.. outs];
    }

    private int Dequantize(int q, string name, int[] shape)
    {
        int f = writer.AddTensor(name + "/float", TensorType.Float32, shape);
        writer.AddOperator(Op.DEQUANTIZE, [q], [f], version: 2);
        added.Add($"DEQUANTIZE of '{name}'");
        return f;
    }

    private (int Boxes, int Classes) PickOutputs()
    {
        var outputs = model.Outputs;
        if (outputs.Count < 2) throw new ArgumentException($"SSD post-process: the model has {outputs.Count} output(s); it needs box encodings and class scores");
        int Check(int i) => (uint)i < (uint)outputs.Count ? outputs[i] : throw new ArgumentException($"SSD post-process: no graph output {i}");
        int boxes = options.BoxEncodingsOutput is { } b ? Check(b)
            : outputs.FirstOrDefault(o => model.Tensors[o].Shape is { Count: 3 } s && s[2] == 4, -1);
        if (boxes < 0) throw new ArgumentException("SSD post-process: no output of shape [1, N, 4] for the box encodings; name it with BoxEncodingsOutput");
        int classes = options.ClassScoresOutput is { } c ? Check(c) : outputs.First(o => o != boxes);
        return (boxes, classes);
    }
}
