using QuantKernels.Runtime;
using QuantKernels.Runtime.FlexBuffers;
using QuantKernels.Runtime.Writing;
using QuantKernels.Training.Model;
using QuantKernels.Training.Quantization;
using TorchSharp;
using static TorchSharp.torch;
using Op = tflite.BuiltinOperator;

namespace QuantKernels.Training.Export;

/// <summary>
/// Writes a trained <see cref="SsdLite"/> as a <c>.tflite</c> detector. Int8: float32 input [1, S, S, 3] in [0, 1]
/// (pixels / 255) -> QUANTIZE (1/255, -128) -> int8 CONV_2D / DEPTHWISE_CONV_2D with batch norm folded, per-channel
/// weight scales, int32 biases and the trained activation ranges -> head RESHAPEs and CONCATENATIONs (one shared range)
/// -> box encodings "box_encodings" and logits "class_logits" -> LOGISTIC (1/256, -128) -> DEQUANTIZE (real TFLite's
/// post-process takes float) -> TFLite_Detection_PostProcess with the anchors. Float: the same graph in float32.
/// </summary>
public static class TfliteExporter
{
    /// <summary>Name of the raw box-encoding tensor (before the post-process).</summary>
    public const string BoxEncodingsName = "box_encodings";

    /// <summary>Name of the raw class-logit tensor (before LOGISTIC).</summary>
    public const string ClassLogitsName = "class_logits";

    /// <summary>Post-process settings written into the custom options.</summary>
    public sealed record PostProcess(int MaxDetections = 20, float ScoreThreshold = 0.05f, float IoUThreshold = 0.5f, bool RegularNms = false);

    /// <summary>
    /// Builds the model bytes. <paramref name="rawHeads"/> (float only) stops at the heads: the graph outputs are
    /// <see cref="BoxEncodingsName"/> and <see cref="ClassLogitsName"/>, with no LOGISTIC or post-process (the input a
    /// post-training quantizer takes).
    /// </summary>
    public static byte[] Export(SsdLite model, bool asFloat, PostProcess? post = null, bool rawHeads = false)
    {
        if (rawHeads && !asFloat) throw new ArgumentException("raw-head export is float only", nameof(rawHeads));
        post ??= new PostProcess();
        using var _ = no_grad();
        var e = new Emitter(new TfliteWriter { Description = Description(model.Config) }, asFloat);
        int s = model.Config.InputSize;
        int image = e.W.AddTensor("image", TensorType.Float32, [1, s, s, 3]);
        int x = image;
        var inRange = model.InputObserver.Range;
        if (!asFloat)
        {
            x = e.W.AddQuantizedTensor("image_int8", TensorType.Int8, [1, s, s, 3], inRange.Scale, inRange.ZeroPoint);
            e.W.AddOperator(Op.QUANTIZE, [image], [x], version: 2);
        }
        var shape = new[] { 1, s, s, 3 };
        (x, shape) = e.Conv(model.Stem, x, shape, inRange);
        var range = model.Stem.Output!.Range;
        var boxes = new List<int>();
        var logits = new List<int>();
        int classes = model.Config.NumClasses + 1, f = 0;
        for (int i = 0; i < model.Backbone.Count; i++)
        {
            var layer = model.Backbone[i];
            (x, shape) = e.Conv(layer, x, shape, range);
            range = layer.Output!.Range;
            if (f < model.FeatureAfter.Count && model.FeatureAfter[f] == i)
            {
                boxes.Add(e.Head(model.BoxHeads[f], x, shape, range, model.BoxOutput.Range, 4));
                logits.Add(e.Head(model.ClassHeads[f], x, shape, range, model.ClassOutput.Range, classes));
                f++;
            }
        }
        int anchors = model.Anchors.GetLength(0);
        int boxEnc = e.Concat(BoxEncodingsName, boxes, [1, anchors, 4], model.BoxOutput.Range);
        int classLogits = e.Concat(ClassLogitsName, logits, [1, anchors, classes], model.ClassOutput.Range);
        e.W.SetInputs(image);
        if (rawHeads)
        {
            e.W.SetOutputs(boxEnc, classLogits);
            return e.W.Build();
        }
        int scores = e.Activation("class_scores", Op.LOGISTIC, classLogits, [1, anchors, classes], QuantRange.Logistic);
        if (!asFloat)
        {
            boxEnc = e.Dequantize(boxEnc, "box_encodings_float", [1, anchors, 4]);
            scores = e.Dequantize(scores, "class_scores_float", [1, anchors, classes]);
        }
        e.W.SetOutputs(AddPostProcess(e.W, boxEnc, scores, model.Anchors, model.Config.NumClasses, post));
        return e.W.Build();
    }

    /// <summary>
    /// A model holding only the post-process: inputs float box encodings [1, A, 4] and class scores (probabilities)
    /// [1, A, 1 + classes], outputs the four detection tensors. Lets raw head outputs computed elsewhere (the trainer's
    /// forward pass) be decoded and suppressed by exactly the op the exported models run.
    /// </summary>
    public static byte[] PostProcessOnly(float[,] anchors, int numClasses, PostProcess? post = null)
    {
        var w = new TfliteWriter { Description = "QuantKernels SSD post-process only" };
        int a = anchors.GetLength(0);
        int boxes = w.AddTensor(BoxEncodingsName, TensorType.Float32, [1, a, 4]);
        int scores = w.AddTensor("class_scores", TensorType.Float32, [1, a, numClasses + 1]);
        w.SetInputs(boxes, scores);
        w.SetOutputs(AddPostProcess(w, boxes, scores, anchors, numClasses, post ?? new PostProcess()));
        return w.Build();
    }

    /// <summary>The anchors as a flat array (ycenter, xcenter, h, w per anchor).</summary>
    public static float[] Flatten(float[,] anchors)
    {
        var values = new float[anchors.Length];
        Buffer.BlockCopy(anchors, 0, values, 0, values.Length * 4);
        return values;
    }

    // Adds the anchors and TFLite_Detection_PostProcess on float box encodings and scores; returns the four outputs.
    private static int[] AddPostProcess(TfliteWriter w, int boxEnc, int scores, float[,] anchors, int numClasses, PostProcess post)
    {
        int anchorTensor = w.AddConstant<float>("anchors", TensorType.Float32, [anchors.GetLength(0), 4], Flatten(anchors));
        int m = post.MaxDetections;
        int outBoxes = w.AddTensor("detection_boxes", TensorType.Float32, [1, m, 4]);
        int outClasses = w.AddTensor("detection_classes", TensorType.Float32, [1, m]);
        int outScores = w.AddTensor("detection_scores", TensorType.Float32, [1, m]);
        int outCount = w.AddTensor("num_detections", TensorType.Float32, [1]);
        var options = new FlexBufferMapWriter()
            .Int("max_detections", m).Int("max_classes_per_detection", 1).Int("detections_per_class", 100)
            .Bool("use_regular_nms", post.RegularNms).Float("nms_score_threshold", post.ScoreThreshold)
            .Float("nms_iou_threshold", post.IoUThreshold).Int("num_classes", numClasses)
            .Float("y_scale", AnchorConfig.CoderScales[0]).Float("x_scale", AnchorConfig.CoderScales[1])
            .Float("h_scale", AnchorConfig.CoderScales[2]).Float("w_scale", AnchorConfig.CoderScales[3])
            .Build();
        w.AddCustomOperator("TFLite_Detection_PostProcess", [boxEnc, scores, anchorTensor], [outBoxes, outClasses, outScores, outCount], options);
        return [outBoxes, outClasses, outScores, outCount];
    }

    private static string Description(ModelConfig c) =>
        $"QuantKernels SSD-lite {c.InputSize}px width {c.Width}; input float [0,1] = pixels/255; classes: {string.Join(",", c.ClassNames)}";

    /// <summary>Adds tensors and operators for the layers, int8 or float.</summary>
    private sealed class Emitter(TfliteWriter writer, bool asFloat)
    {
        public TfliteWriter W { get; } = writer;

        private int Activation(string name, int[] shape, QuantRange r) =>
            asFloat ? W.AddTensor(name, TensorType.Float32, shape) : W.AddQuantizedTensor(name, TensorType.Int8, shape, r.Scale, r.ZeroPoint);

        public (int Tensor, int[] Shape) Conv(QConv layer, int input, int[] inShape, QuantRange inRange) =>
            ConvTo(layer, input, inShape, inRange, layer.Output!.Range, layer.GetName());

        public int Head(QConv layer, int input, int[] inShape, QuantRange inRange, QuantRange outRange, int perAnchor)
        {
            var (conv, shape) = ConvTo(layer, input, inShape, inRange, outRange, layer.GetName());
            int rows = shape[1] * shape[2] * shape[3] / perAnchor;
            int[] newShape = [1, rows, perAnchor];
            int shapeTensor = W.AddConstant<int>(layer.GetName() + "_shape", TensorType.Int32, [3], newShape);
            int reshaped = Activation(layer.GetName() + "_reshaped", newShape, outRange);
            W.AddOperator(Op.RESHAPE, [conv, shapeTensor], [reshaped],
                b => (tflite.BuiltinOptions.ReshapeOptions, tflite.ReshapeOptions.CreateReshapeOptions(b, tflite.ReshapeOptions.CreateNewShapeVector(b, newShape)).Value));
            return reshaped;
        }

        public int Concat(string name, List<int> parts, int[] shape, QuantRange r)
        {
            int output = Activation(name, shape, r);
            W.AddOperator(Op.CONCATENATION, parts.ToArray(), [output],
                b => (tflite.BuiltinOptions.ConcatenationOptions, tflite.ConcatenationOptions.CreateConcatenationOptions(b, 1).Value),
                version: asFloat ? 1 : 2);
            return output;
        }

        public int Activation(string name, Op op, int input, int[] shape, QuantRange r)
        {
            int output = Activation(name, shape, r);
            W.AddOperator(op, [input], [output], version: asFloat ? 1 : 2);
            return output;
        }

        public int Dequantize(int input, string name, int[] shape)
        {
            int output = W.AddTensor(name, TensorType.Float32, shape);
            W.AddOperator(Op.DEQUANTIZE, [input], [output], version: 2);
            return output;
        }

        private (int Tensor, int[] Shape) ConvTo(QConv layer, int input, int[] inShape, QuantRange inRange, QuantRange outRange, string name)
        {
            int h = inShape[1], w = inShape[2];
            int oh = (h + layer.Stride - 1) / layer.Stride, ow = (w + layer.Stride - 1) / layer.Stride;
            int[] outShape = [1, oh, ow, layer.OutChannels];
            var (weight, bias) = layer.Folded();
            bool dw = layer.IsDepthwise;
            // torch [O, I, kh, kw] -> TFLite CONV_2D OHWI; depthwise [C, 1, kh, kw] -> [1, kh, kw, C].
            using var tfWeight = dw ? weight.permute(1, 2, 3, 0).contiguous() : weight.permute(0, 2, 3, 1).contiguous();
            int[] wShape = tfWeight.shape.Select(d => (int)d).ToArray();
            int k = layer.OutChannels;
            int wt, bt;
            if (asFloat)
            {
                wt = W.AddConstant<float>(name + "_weights", TensorType.Float32, wShape, tfWeight.data<float>().ToArray());
                bt = W.AddConstant<float>(name + "_bias", TensorType.Float32, [k], bias.data<float>().ToArray());
            }
            else
            {
                // The same arithmetic as the fake quant, so the int8 weights are the trained grid points.
                var (q, scales) = FakeQuant.PerChannelInt8(weight);
                using var tfq = dw ? q.permute(1, 2, 3, 0).contiguous() : q.permute(0, 2, 3, 1).contiguous();
                var qWeights = tfq.to_type(ScalarType.Int8).data<sbyte>().ToArray();
                float[] s = scales.data<float>().ToArray();
                var qBias = FakeQuant.Int32Bias(bias.data<float>().ToArray(), inRange.Scale, s);
                q.Dispose();
                scales.Dispose();
                wt = W.AddConstant<sbyte>(name + "_weights", TensorType.Int8, wShape, qWeights, s, new long[k], dw ? 3 : 0);
                var biasScales = s.Select(v => inRange.Scale * v).ToArray();
                bt = W.AddConstant<int>(name + "_bias", TensorType.Int32, [k], qBias, biasScales, new long[k]);
            }
            weight.Dispose();
            bias.Dispose();
            int output = Activation(name + "_out", outShape, outRange);
            var act = layer.Relu6 ? tflite.ActivationFunctionType.RELU6 : tflite.ActivationFunctionType.NONE;
            if (dw)
                W.AddOperator(Op.DEPTHWISE_CONV_2D, [input, wt, bt], [output],
                    bb => (tflite.BuiltinOptions.DepthwiseConv2DOptions, tflite.DepthwiseConv2DOptions.CreateDepthwiseConv2DOptions(bb,
                        tflite.Padding.SAME, layer.Stride, layer.Stride, 1, act).Value), version: asFloat ? 1 : 3);
            else
                W.AddOperator(Op.CONV_2D, [input, wt, bt], [output],
                    bb => (tflite.BuiltinOptions.Conv2DOptions, tflite.Conv2DOptions.CreateConv2DOptions(bb,
                        tflite.Padding.SAME, layer.Stride, layer.Stride, act).Value), version: asFloat ? 1 : 3);
            return (output, outShape);
        }
    }
}
