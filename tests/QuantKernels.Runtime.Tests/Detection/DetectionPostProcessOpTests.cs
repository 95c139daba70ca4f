using QuantKernels.Kernels.Detection;
using QuantKernels.Runtime.FlexBuffers;
using QuantKernels.Runtime.Ops.Custom;
using QuantKernels.Runtime.Writing;

namespace QuantKernels.Runtime.Tests.Detection;

/// <summary>
/// The custom op end to end. Vectors from tensorflow/lite/kernels/detection_postprocess_test.cc (FloatTest,
/// QuantizedTest, MaxClass2Test, RegularNMS; six boxes, two classes plus background).
/// </summary>
public class DetectionPostProcessOpTests
{
    internal const string RealModel = "ssd_mobilenet_v2_coco_quant_postprocess_segment_3_of_4_edgetpu.tflite";

    private static readonly float[] Encodings = [0, 0, 0, 0, 0, 1, 0, 0, 0, -1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0];
    private static readonly float[] Scores = [0f, .9f, .8f, 0f, .75f, .72f, 0f, .6f, .5f, 0f, .93f, .95f, 0f, .5f, .4f, 0f, .3f, .2f];
    private static readonly float[] Anchors = [.5f, .5f, 1, 1, .5f, .5f, 1, 1, .5f, .5f, 1, 1, .5f, 10.5f, 1, 1, .5f, 10.5f, 1, 1, .5f, 100.5f, 1, 1];

    private static byte[] TestOptions(bool regular, int maxClasses = 1) => new FlexBufferMapWriter()
        .Int("max_detections", 3).Int("max_classes_per_detection", maxClasses).Int("detections_per_class", 1)
        .Bool("use_regular_nms", regular).Float("nms_score_threshold", 0f).Float("nms_iou_threshold", 0.5f)
        .Int("num_classes", 2).Float("y_scale", 10).Float("x_scale", 10).Float("h_scale", 5).Float("w_scale", 5).Build();

    /// <summary>TFLite's test quantization (test_util.h): scale = (max-min)/(qmax-qmin), zero point = round(qmin - min/scale).</summary>
    private static (float Scale, int Zp, byte[] Data) Quantize(float[] values, TensorType type, float min, float max)
    {
        int qmin = type == TensorType.UInt8 ? 0 : -128, qmax = qmin + 255;
        float scale = (max - min) / (qmax - qmin);
        int zp = (int)Math.Clamp(Math.Round(qmin - min / scale, MidpointRounding.AwayFromZero), qmin, qmax);
        var data = new byte[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            int q = (int)Math.Clamp(Math.Round(values[i] / scale, MidpointRounding.AwayFromZero) + zp, qmin, qmax);
            data[i] = unchecked((byte)q);
        }
        return (scale, zp, data);
    }

    private static int Input(TfliteWriter w, string name, float[] values, int[] shape, TensorType type, float min, float max, bool constant)
    {
        if (type == TensorType.Float32)
            return constant ? w.AddConstant<float>(name, type, shape, values) : w.AddTensor(name, type, shape);
        var (s, zp, data) = Quantize(values, type, min, max);
        return w.AddQuantizedTensor(name, type, shape, s, zp, constant ? data : null);
    }

    /// <summary>Builds the one-op model, runs it and returns (boxes, classes, scores, num).</summary>
    private static (float[] Boxes, float[] Classes, float[] Scores, float Num, int[] BoxShape) RunModel(byte[] options, TensorType type,
        float[]? enc = null, float[]? scores = null, float[]? anchors = null, int scoreCols = 3)
    {
        enc ??= Encodings; scores ??= Scores; anchors ??= Anchors;
        int n = anchors.Length / 4;
        var w = new TfliteWriter();
        int e = Input(w, "boxes", enc, [1, n, 4], type, -1f, 1f, false);
        int s = Input(w, "scores", scores, [1, n, scoreCols], type, 0f, 1f, false);
        int a = Input(w, "anchors", anchors, [n, 4], type, 0f, 100.5f, true);
        int ob = w.AddTensor("det_boxes", TensorType.Float32, [1, 3, 4]);
        int oc = w.AddTensor("det_classes", TensorType.Float32, [1, 3]);
        int os = w.AddTensor("det_scores", TensorType.Float32, [1, 3]);
        int on = w.AddTensor("num", TensorType.Float32, [1]);
        w.AddCustomOperator("TFLite_Detection_PostProcess", [e, s, a], [ob, oc, os, on], options);
        w.SetInputs(e, s);
        w.SetOutputs(ob, oc, os, on);
        using var model = TfLiteModel.FromBytes(w.Build());
        using var interp = new Interpreter(model);
        interp.AllocateTensors();
        if (type == TensorType.Float32)
        {
            interp.GetInputTensor(0).CopyFrom<float>(enc);
            interp.GetInputTensor(1).CopyFrom<float>(scores);
        }
        else
        {
            interp.GetInputTensor(0).CopyFrom(Quantize(enc, type, -1f, 1f).Data);
            interp.GetInputTensor(1).CopyFrom(Quantize(scores, type, 0f, 1f).Data);
        }
        interp.Invoke();
        return (interp.GetOutputTensor(0).ToArray<float>(), interp.GetOutputTensor(1).ToArray<float>(),
            interp.GetOutputTensor(2).ToArray<float>(), interp.GetOutputTensor(3).ToArray<float>()[0],
            interp.GetOutputTensor(0).Shape.ToArray());
    }

    private static void Near(float[] expected, float[] actual, float tol)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol, $"[{i}] expected {expected[i]} got {actual[i]}");
    }

    [Theory]
    [InlineData(TensorType.Float32, 1e-4f, 1e-4f)]
    [InlineData(TensorType.UInt8, 3e-1f, 1e-1f)]
    [InlineData(TensorType.Int8, 3e-1f, 1e-1f)]
    public void Fast_nms_matches_TFLite(TensorType type, float boxTol, float scoreTol)
    {
        var r = RunModel(TestOptions(false), type);
        Assert.Equal([1, 3, 4], r.BoxShape);
        Near([0, 10, 1, 11, 0, 0, 1, 1, 0, 100, 1, 101], r.Boxes, boxTol);
        Assert.Equal([1f, 0f, 0f], r.Classes);
        Near([.95f, .9f, .3f], r.Scores, scoreTol);
        Assert.Equal(3f, r.Num);
    }

    [Theory]
    [InlineData(TensorType.Float32, 3e-4f, 1e-4f, .93f)]
    [InlineData(TensorType.UInt8, 3e-1f, 1e-1f, .9f)]
    [InlineData(TensorType.Int8, 3e-1f, 1e-1f, .9f)]
    public void Regular_nms_matches_TFLite(TensorType type, float boxTol, float scoreTol, float second)
    {
        var r = RunModel(TestOptions(true), type);
        Near([0, 10, 1, 11, 0, 10, 1, 11, 0, 0, 0, 0], r.Boxes, boxTol);
        Assert.Equal([1f, 0f, 0f], r.Classes);
        Near([.95f, second, 0f], r.Scores, scoreTol);
        Assert.Equal(2f, r.Num);
    }

    [Fact]
    public void Two_classes_per_detection_double_the_output_rows()
    {
        var w = new TfliteWriter();
        int e = w.AddTensor("boxes", TensorType.Float32, [1, 6, 4]);
        int s = w.AddTensor("scores", TensorType.Float32, [1, 6, 3]);
        int a = w.AddConstant<float>("anchors", TensorType.Float32, [6, 4], Anchors);
        int[] outs = [w.AddTensor("b", TensorType.Float32, [1]), w.AddTensor("c", TensorType.Float32, [1]), w.AddTensor("s", TensorType.Float32, [1]), w.AddTensor("n", TensorType.Float32, [1])];
        w.AddCustomOperator("TFLite_Detection_PostProcess", [e, s, a], outs, TestOptions(false, maxClasses: 2));
        w.SetInputs(e, s);
        w.SetOutputs(outs);
        using var model = TfLiteModel.FromBytes(w.Build());
        using var interp = new Interpreter(model);
        interp.AllocateTensors();
        interp.GetInputTensor(0).CopyFrom<float>(Encodings);
        interp.GetInputTensor(1).CopyFrom<float>(Scores);
        interp.Invoke();
        Assert.Equal([1, 6, 4], interp.GetOutputTensor(0).Shape.ToArray());
        Assert.Equal([1f, 0f, 0f, 1f, 0f, 1f], interp.GetOutputTensor(1).ToArray<float>());
        Near([.95f, .93f, .9f, .8f, .3f, .2f], interp.GetOutputTensor(2).ToArray<float>(), 1e-6f);
        Assert.Equal(3f, interp.GetOutputTensor(3).ToArray<float>()[0]);
    }

    [Fact]
    public void Real_model_options_and_anchors_are_read()
    {
        using var model = TfLiteModel.FromFile(TestData.Model(RealModel));
        var op = model.Operators.Single(o => o.CustomCode == "TFLite_Detection_PostProcess");
        var p = DetectionPostProcessOptions.Parse(op.CustomOptions.Span, op.ToString());
        Assert.Equal(new DetectionPostProcessParams(20, 1, 100, false, 1e-8f, 0.6f, 90, new BoxCoderScales(10, 10, 5, 5)), p);
        var anchors = model.Tensors[op.Inputs[2]];
        Assert.Equal([1917, 4], anchors.Shape);
        Assert.Equal(TensorType.Float32, anchors.Type);
        Assert.Equal([1, 1917, 91], model.Tensors[op.Inputs[1]].Shape);
        var values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(anchors.Data.Span);
        // First anchor of the standard SSD set: 19x19 map, centre 0.5/19, lowest-layer box of scale 0.1.
        Near([0.5f / 19, 0.5f / 19, 0.1f, 0.1f], values[..4].ToArray(), 1e-4f);
        for (int i = 0; i < 1917; i++)
        {
            Assert.InRange(values[i * 4], 0f, 1f);
            Assert.InRange(values[i * 4 + 1], 0f, 1f);
            Assert.True(values[i * 4 + 2] > 0 && values[i * 4 + 3] > 0);
        }
    }

    [Fact]
    public void Real_op_runs_on_its_real_anchors()
    {
        using var real = TfLiteModel.FromFile(TestData.Model(RealModel));
        var op = real.Operators.Single(o => o.CustomCode == "TFLite_Detection_PostProcess");
        var anchors = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(real.Tensors[op.Inputs[2]].Data.Span).ToArray();
        const int n = 1917, cols = 91;
        var scores = new float[n * cols];
        // Three hot anchors: two of them are the same box (anchor 0 twice is impossible, so use 0 and a
        // far one), class scores in distinct classes; zero encodings decode to the anchors themselves.
        scores[100 * cols + 18] = 0.9f;  // class 17
        scores[1500 * cols + 1] = 0.8f;  // class 0
        scores[1916 * cols + 90] = 0.7f; // class 89
        var w = new TfliteWriter();
        int e = w.AddTensor("boxes", TensorType.Float32, [1, n, 4]);
        int s = w.AddTensor("scores", TensorType.Float32, [1, n, cols]);
        int a = w.AddConstant<float>("anchors", TensorType.Float32, [n, 4], anchors);
        int[] outs = [w.AddTensor("b", TensorType.Float32, [1]), w.AddTensor("c", TensorType.Float32, [1]), w.AddTensor("s", TensorType.Float32, [1]), w.AddTensor("n", TensorType.Float32, [1])];
        w.AddCustomOperator("TFLite_Detection_PostProcess", [e, s, a], outs, op.CustomOptions.ToArray());
        w.SetInputs(e, s);
        w.SetOutputs(outs);
        using var model = TfLiteModel.FromBytes(w.Build());
        using var interp = new Interpreter(model);
        interp.AllocateTensors();
        interp.GetInputTensor(0).CopyFrom<float>(new float[n * 4]);
        interp.GetInputTensor(1).CopyFrom<float>(scores);
        interp.Invoke();
        Assert.Equal([1, 20, 4], interp.GetOutputTensor(0).Shape.ToArray());
        Assert.Equal(3f, interp.GetOutputTensor(3).ToArray<float>()[0]);
        var cls = interp.GetOutputTensor(1).ToArray<float>();
        var sc = interp.GetOutputTensor(2).ToArray<float>();
        Assert.Equal([17f, 0f, 89f], cls[..3]);
        Assert.Equal([0.9f, 0.8f, 0.7f], sc[..3]);
        Assert.All(sc[3..], v => Assert.Equal(0f, v));
        var boxes = interp.GetOutputTensor(0).ToArray<float>();
        int[] hot = [100, 1500, 1916];
        for (int d = 0; d < 3; d++)
        {
            float yc = anchors[hot[d] * 4], xc = anchors[hot[d] * 4 + 1], h = anchors[hot[d] * 4 + 2], ww = anchors[hot[d] * 4 + 3];
            Near([yc - h / 2, xc - ww / 2, yc + h / 2, xc + ww / 2], boxes[(d * 4)..(d * 4 + 4)], 1e-6f);
        }
    }

    [Fact]
    public void Missing_or_bad_options_are_model_errors_naming_the_op()
    {
        var noClasses = new FlexBufferMapWriter().Int("max_detections", 3).Int("max_classes_per_detection", 1)
            .Float("nms_score_threshold", 0).Float("nms_iou_threshold", 0.5f)
            .Float("y_scale", 10).Float("x_scale", 10).Float("h_scale", 5).Float("w_scale", 5).Build();
        var ex = Assert.Throws<ModelFormatException>(() => RunModel(noClasses, TensorType.Float32));
        Assert.Contains("TFLite_Detection_PostProcess", ex.Message);
        Assert.Contains("num_classes", ex.Message);
        var badIou = new FlexBufferMapWriter().Int("max_detections", 3).Int("max_classes_per_detection", 1)
            .Float("nms_score_threshold", 0).Float("nms_iou_threshold", 1.5f).Int("num_classes", 2)
            .Float("y_scale", 10).Float("x_scale", 10).Float("h_scale", 5).Float("w_scale", 5).Build();
        Assert.Throws<ModelFormatException>(() => RunModel(badIou, TensorType.Float32));
        Assert.Throws<ModelFormatException>(() => RunModel([1, 2, 3], TensorType.Float32));
        // num_classes 2 needs 2 or 3 score columns
        Assert.Throws<ModelFormatException>(() => RunModel(TestOptions(false), TensorType.Float32, scores: new float[6 * 4], scoreCols: 4));
    }
}
