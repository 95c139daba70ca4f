using QuantKernels.Runtime.FlexBuffers;
using QuantKernels.Runtime.Writing;

namespace QuantKernels.Runtime.Tests.Detection;

/// <summary>
/// Single-op post-process models on the real SSD anchors (1917) and options, with the oracle's deterministic
/// inputs (xorshift32 seed 12345, as ../shared/oracle/tflite_wasm_run.js fills them). The expected outputs in
/// OracleData/ were produced by real TFLite (the oracle) on exactly these model bytes.
/// </summary>
internal static class PostProcessOracleCases
{
    public const int Anchors = 1917, Columns = 91;

    public static readonly string[] Names = ["fast_float", "fast_uint8", "regular_float", "fast_2classes_float", "regular_float_distinct", "fast_2classes_float_distinct"];

    /// <summary>Cases whose scores are all distinct, so TFLite's unstable partial sort has no ties to order differently.</summary>
    public static bool Distinct(string name) => name.EndsWith("distinct", StringComparison.Ordinal);

    /// <summary>The model bytes of case <paramref name="name"/>.</summary>
    public static byte[] Model(string name)
    {
        using var real = TfLiteModel.FromFile(TestData.Model(DetectionPostProcessOpTests.RealModel));
        var op = real.Operators.Single(o => o.CustomCode == "TFLite_Detection_PostProcess");
        var anchors = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(real.Tensors[op.Inputs[2]].Data.Span).ToArray();
        bool regular = name.StartsWith("regular", StringComparison.Ordinal);
        int maxClasses = name.Contains("2classes", StringComparison.Ordinal) ? 2 : 1;
        var options = new FlexBufferMapWriter()
            .Int("max_detections", 20).Int("max_classes_per_detection", maxClasses).Int("detections_per_class", 100)
            .Bool("use_regular_nms", regular).Float("nms_score_threshold", 1e-8f).Float("nms_iou_threshold", 0.6f)
            .Int("num_classes", 90).Float("y_scale", 10).Float("x_scale", 10).Float("h_scale", 5).Float("w_scale", 5).Build();
        var w = new TfliteWriter();
        int e, s, a;
        if (name.Contains("uint8", StringComparison.Ordinal))
        {
            e = w.AddQuantizedTensor("boxes", TensorType.UInt8, [1, Anchors, 4], 0.05f, 128);
            s = w.AddQuantizedTensor("scores", TensorType.UInt8, [1, Anchors, Columns], 1f / 256, 0);
            // anchors lie in [0, 1.x]: quantize with scale 1/200, zero point 0
            var q = new byte[anchors.Length];
            for (int i = 0; i < q.Length; i++) q[i] = (byte)Math.Clamp(Math.Round(anchors[i] * 200), 0, 255);
            a = w.AddQuantizedTensor("anchors", TensorType.UInt8, [Anchors, 4], 1f / 200, 0, q);
        }
        else
        {
            e = w.AddTensor("boxes", TensorType.Float32, [1, Anchors, 4]);
            s = w.AddTensor("scores", TensorType.Float32, [1, Anchors, Columns]);
            a = w.AddConstant<float>("anchors", TensorType.Float32, [Anchors, 4], anchors);
        }
        int rows = 20 * maxClasses;
        int[] outs = [w.AddTensor("detection_boxes", TensorType.Float32, [1, rows, 4]), w.AddTensor("detection_classes", TensorType.Float32, [1, rows]),
            w.AddTensor("detection_scores", TensorType.Float32, [1, rows]), w.AddTensor("num_detections", TensorType.Float32, [1])];
        w.AddCustomOperator("TFLite_Detection_PostProcess", [e, s, a], outs, options);
        w.SetInputs(e, s);
        w.SetOutputs(outs);
        return w.Build();
    }

    /// <summary>
    /// Fills the interpreter's inputs exactly as the oracle's script does without --in; with
    /// <paramref name="distinct"/>, the float scores (input 1) are then replaced by a xorshift-shuffled permutation
    /// of k / count, all distinct (these inputs were fed to the oracle with --in).
    /// </summary>
    public static void FillInputs(Interpreter interp, bool distinct = false)
    {
        uint state = 12345;
        uint Next() { state ^= state << 13; state ^= state >> 17; state ^= state << 5; return state; }
        for (int i = 0; i < interp.InputCount; i++)
        {
            var t = interp.GetInputTensor(i);
            if (t.Type == TensorType.Float32)
            {
                var d = new float[t.ByteSize / 4];
                for (int k = 0; k < d.Length; k++) d[k] = (float)((Next() % 2001) / 1000.0 - 1.0);
                t.CopyFrom<float>(d);
            }
            else
            {
                var d = new byte[t.ByteSize];
                for (int k = 0; k < d.Length; k++) d[k] = (byte)(Next() & 0xff);
                t.CopyFrom(d);
            }
        }
        if (distinct)
        {
            var t = interp.GetInputTensor(1);
            var d = new float[t.ByteSize / 4];
            for (int k = 0; k < d.Length; k++) d[k] = (float)k / d.Length;
            for (int k = d.Length - 1; k > 0; k--) { int j = (int)(Next() % (uint)(k + 1)); (d[k], d[j]) = (d[j], d[k]); }
            t.CopyFrom<float>(d);
        }
    }
}
