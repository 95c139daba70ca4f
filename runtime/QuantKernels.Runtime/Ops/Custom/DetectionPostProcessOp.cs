using QuantKernels.Kernels;
using QuantKernels.Kernels.Detection;
using QuantKernels.Runtime.Ops.Custom;

namespace QuantKernels.Runtime.Ops
{
    internal static partial class BuiltinOps
    {
        private static void RegisterDetectionPostProcess(OpResolver r) =>
            r.AddCustom(DetectionPostProcessOp.CustomCode, static () => new DetectionPostProcessOp());
    }
}

namespace QuantKernels.Runtime.Ops.Custom
{
    /// <summary>
    /// The custom op TFLite_Detection_PostProcess: inputs box encodings [1,N,K>=4], class scores [1,N,C or C+1]
    /// (a background column 0 is skipped), anchors [N,4] (ycenter, xcenter, h, w), each float32, uint8 or int8
    /// (quantized inputs are dequantized with their own scale and zero point, as TFLite does); outputs float32
    /// boxes [1,M,4] (ymin, xmin, ymax, xmax), classes [1,M], scores [1,M] and num_detections [1], with
    /// M = max_detections * max_classes_per_detection. Rows past the detections are zero.
    /// </summary>
    internal sealed class DetectionPostProcessOp : OpKernel
    {
        /// <summary>The custom code the op is registered under.</summary>
        public const string CustomCode = "TFLite_Detection_PostProcess";

        private DetectionPostProcessParams _params;
        private DetectionScratch? _scratch;
        private int _numBoxes, _encodingStride, _scoreStride;
        private float[] _boxesF = [], _scoresF = [], _anchorsF = [];
        private IsaPath _path;

        /// <summary>The ISA path of NMS and the best-class search, chosen at Prepare.</summary>
        internal IsaPath Path => _path;

        public override void Prepare(OpContext context)
        {
            context.RequireCounts(3, 3, 4);
            _params = DetectionPostProcessOptions.Parse(context.Operator.CustomOptions.Span, context.Operator.ToString());
            var enc = context.Input(0);
            var scores = context.Input(1);
            var anchors = context.Input(2);
            context.RequireType(enc, "box encodings", TensorType.Float32, TensorType.UInt8, TensorType.Int8);
            context.RequireType(scores, "class scores", TensorType.Float32, TensorType.UInt8, TensorType.Int8);
            context.RequireType(anchors, "anchors", TensorType.Float32, TensorType.UInt8, TensorType.Int8);
            for (int i = 0; i < 4; i++) context.RequireType(context.Output(i), $"output {i}", TensorType.Float32);
            if (enc.Rank != 3 || enc.Dim(0) != 1 || enc.Dim(2) < 4)
                throw context.Error($"box encodings {enc} must be [1, N, >=4]");
            _numBoxes = enc.Dim(1);
            _encodingStride = enc.Dim(2);
            if (scores.Rank != 3 || scores.Dim(0) != 1 || scores.Dim(1) != _numBoxes)
                throw context.Error($"class scores {scores} must be [1, {_numBoxes}, classes]");
            _scoreStride = scores.Dim(2);
            if (_scoreStride - _params.NumClasses is not (0 or 1))
                throw context.Error($"class scores {scores} have {_scoreStride} columns; num_classes {_params.NumClasses} needs {_params.NumClasses} or {_params.NumClasses + 1}");
            if (anchors.Rank != 2 || anchors.Dim(0) != _numBoxes || anchors.Dim(1) != 4)
                throw context.Error($"anchors {anchors} must be [{_numBoxes}, 4]");

            int m = _params.OutputRows;
            context.SetOutputShape(0, [1, m, 4]);
            context.SetOutputShape(1, [1, m]);
            context.SetOutputShape(2, [1, m]);
            context.SetOutputShape(3, [1]);
            _scratch = new DetectionScratch(_numBoxes, _params);
            _path = Dispatch.Select(context.IsaPath);
            _boxesF = enc.Type == TensorType.Float32 ? [] : new float[_numBoxes * _encodingStride];
            _scoresF = scores.Type == TensorType.Float32 ? [] : new float[_numBoxes * _scoreStride];
            _anchorsF = anchors.Type == TensorType.Float32 ? [] : new float[_numBoxes * 4];
        }

        public override void Invoke(OpContext context)
        {
            var enc = AsFloat(context.Input(0), _boxesF);
            var scores = AsFloat(context.Input(1), _scoresF);
            var anchors = AsFloat(context.Input(2), _anchorsF);
            int n;
            try
            {
                n = DetectionPostProcessReference.Run(enc, _encodingStride, scores, _scoreStride, anchors, _scratch!,
                    context.Output(0).AsSpan<float>(), context.Output(1).AsSpan<float>(), context.Output(2).AsSpan<float>(), _path);
            }
            catch (ArgumentException e)
            {
                throw new ModelFormatException($"{context.Operator}: {e.Message}", e);
            }
            context.Output(3).AsSpan<float>()[0] = n;
        }

        /// <summary>The tensor's values as float: itself when float32, else dequantized into <paramref name="buffer"/>.</summary>
        private static ReadOnlySpan<float> AsFloat(Tensor t, float[] buffer)
        {
            if (t.Type == TensorType.Float32) return t.AsReadOnlySpan<float>();
            float scale = t.Scale;
            int zp = t.ZeroPoint;
            // TFLite computes (float(q) - zero_point) * scale in float.
            if (t.Type == TensorType.UInt8)
            {
                var q = t.AsReadOnlySpan<byte>();
                for (int i = 0; i < buffer.Length; i++) buffer[i] = ((float)q[i] - zp) * scale;
            }
            else
            {
                var q = t.AsReadOnlySpan<sbyte>();
                for (int i = 0; i < buffer.Length; i++) buffer[i] = ((float)q[i] - zp) * scale;
            }
            return buffer;
        }
    }
}
