using QuantKernels.Kernels.Detection;
using QuantKernels.Runtime;
using QuantKernels.Vision.Preprocessing;

namespace QuantKernels.Vision;

/// <summary>
/// MediaPipe's BlazeFace decoding (TensorsToDetectionsCalculator + weighted NonMaxSuppression): per anchor, score =
/// sigmoid(clip(logit, -100, 100)); kept at or above the threshold; box centre = (x, y) / input size * anchor size +
/// anchor centre, size = (w, h) / input size * anchor size; keypoints likewise. Then weighted NMS: take the best
/// remaining box, gather every remaining box overlapping it by IoU above the threshold (itself included), and
/// report their score-weighted average box and keypoints with the best box's score.
/// </summary>
internal sealed class BlazeFaceDecoder : IDetectionDecoder
{
    private readonly int _regressorOutput, _scoreOutput, _numAnchors, _stride, _numKeypoints, _maxDetections, _inputW, _inputH;
    private readonly float[] _anchors;
    private readonly float _scoreThreshold, _iouThreshold;
    private readonly string _label;
    private readonly OutputFloats _regReader = new(), _scoreReader = new();
    private readonly float[] _boxes, _scores, _keypoints;
    private readonly ulong[] _sortKeys;
    private readonly int[] _order;
    private readonly byte[] _taken;

    public BlazeFaceDecoder(int regressorOutput, int scoreOutput, int numAnchors, int stride, int inputW, int inputH, float[] anchors,
        float scoreThreshold, float iouThreshold, int maxDetections, string label)
    {
        (_regressorOutput, _scoreOutput, _numAnchors, _stride, _anchors) = (regressorOutput, scoreOutput, numAnchors, stride, anchors);
        (_inputW, _inputH, _scoreThreshold, _iouThreshold, _maxDetections, _label) = (inputW, inputH, scoreThreshold, iouThreshold, maxDetections, label);
        _numKeypoints = (stride - 4) / 2;
        _boxes = new float[numAnchors * 4];
        _scores = new float[numAnchors];
        _keypoints = new float[numAnchors * _numKeypoints * 2];
        _sortKeys = new ulong[numAnchors];
        _order = new int[numAnchors];
        _taken = new byte[numAnchors];
    }

    public void Decode(Interpreter interpreter, ImageTransform transform, List<Detection> results)
    {
        var reg = _regReader.Read(interpreter.GetTensor(_regressorOutput));
        var logits = _scoreReader.Read(interpreter.GetTensor(_scoreOutput));
        int kept = SelectAndDecode(reg, logits);
        WeightedNms(kept, transform, results);
    }

    /// <summary>Scores every anchor, decodes those at or above the threshold; returns how many, sorted best first into _order.</summary>
    private int SelectAndDecode(ReadOnlySpan<float> reg, ReadOnlySpan<float> logits)
    {
        float cut = Sigmoid.Logit(_scoreThreshold);
        int kept = 0;
        for (int a = 0; a < _numAnchors; a++)
        {
            if (!(logits[a] >= cut)) continue;
            float score = Sigmoid.Of(logits[a]);
            if (!(score >= _scoreThreshold)) continue;
            _scores[a] = score;
            var r = reg.Slice(a * _stride, _stride);
            float ay = _anchors[a * 4], ax = _anchors[a * 4 + 1], ah = _anchors[a * 4 + 2], aw = _anchors[a * 4 + 3];
            float cx = r[0] / _inputW * aw + ax, cy = r[1] / _inputH * ah + ay;
            float w = r[2] / _inputW * aw, h = r[3] / _inputH * ah;
            var b = _boxes.AsSpan(a * 4, 4);
            (b[0], b[1], b[2], b[3]) = (cy - h / 2, cx - w / 2, cy + h / 2, cx + w / 2);
            var k = _keypoints.AsSpan(a * _numKeypoints * 2, _numKeypoints * 2);
            for (int j = 0; j < _numKeypoints; j++)
            {
                k[2 * j] = r[4 + 2 * j] / _inputW * aw + ax;
                k[2 * j + 1] = r[5 + 2 * j] / _inputH * ah + ay;
            }
            _sortKeys[kept++] = NonMaxSuppression.DescendingKey(score, a);
        }
        _sortKeys.AsSpan(0, kept).Sort();
        for (int i = 0; i < kept; i++) _order[i] = NonMaxSuppression.KeyIndex(_sortKeys[i]);
        return kept;
    }

    private void WeightedNms(int kept, ImageTransform transform, List<Detection> results)
    {
        _taken.AsSpan(0, _numAnchors).Clear();
        Span<float> kp = stackalloc float[_numKeypoints * 2];
        for (int i = 0; i < kept && results.Count < _maxDetections; i++)
        {
            int best = _order[i];
            if (_taken[best] != 0) continue;
            float total = 0, y0 = 0, x0 = 0, y1 = 0, x1 = 0;
            kp.Clear();
            for (int j = i; j < kept; j++)
            {
                int other = _order[j];
                if (_taken[other] != 0) continue;
                if (other != best && !(NonMaxSuppression.IntersectionOverUnion(_boxes, best, other) > _iouThreshold)) continue;
                _taken[other] = 1;
                float s = _scores[other];
                total += s;
                y0 += _boxes[other * 4] * s; x0 += _boxes[other * 4 + 1] * s;
                y1 += _boxes[other * 4 + 2] * s; x1 += _boxes[other * 4 + 3] * s;
                var k = _keypoints.AsSpan(other * _numKeypoints * 2, _numKeypoints * 2);
                for (int m = 0; m < kp.Length; m++) kp[m] += k[m] * s;
            }
            var points = new Keypoint[_numKeypoints];
            for (int m = 0; m < _numKeypoints; m++)
                points[m] = new Keypoint(transform.ToSourceX(kp[2 * m] / total), transform.ToSourceY(kp[2 * m + 1] / total));
            results.Add(new Detection(_label, 0, _scores[best], transform.ToSource(y0 / total, x0 / total, y1 / total, x1 / total), points));
        }
    }
}
