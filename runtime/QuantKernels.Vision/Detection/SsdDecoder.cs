using QuantKernels.Kernels.Detection;
using QuantKernels.Runtime;
using QuantKernels.Vision.Preprocessing;

namespace QuantKernels.Vision;

/// <summary>
/// A raw TensorFlow Object Detection SSD head: box encodings [1,A,4] decoded center-size against the anchors,
/// class logits [1,A,C] (column 0 background) through a sigmoid, greedy NMS per class, then the best
/// <c>maxDetections</c> over all classes by score. Buffers are sized once at construction.
/// </summary>
internal sealed class SsdDecoder : IDetectionDecoder
{
    private readonly int _boxOutput, _scoreOutput, _numAnchors, _numColumns, _maxDetections;
    private readonly float[] _anchors;
    private readonly BoxCoderScales _scales;
    private readonly float _scoreThreshold, _iouThreshold;
    private readonly bool _logits;
    private readonly ClassNames _names;
    private readonly OutputFloats _boxReader = new(), _scoreReader = new();
    private readonly float[] _boxes, _classScores;
    private readonly ulong[] _sortKeys;
    private readonly byte[] _active;
    private readonly int[] _selected;
    private readonly List<(float Score, int Column, int Anchor)> _candidates = [];

    public SsdDecoder(int boxOutput, int scoreOutput, int numAnchors, int numColumns, float[] anchors, BoxCoderScales scales,
        float scoreThreshold, float iouThreshold, int maxDetections, bool logits, ClassNames names)
    {
        (_boxOutput, _scoreOutput, _numAnchors, _numColumns, _anchors, _scales) = (boxOutput, scoreOutput, numAnchors, numColumns, anchors, scales);
        (_scoreThreshold, _iouThreshold, _maxDetections, _logits, _names) = (scoreThreshold, iouThreshold, maxDetections, logits, names);
        _boxes = new float[numAnchors * 4];
        _classScores = new float[numAnchors];
        _sortKeys = new ulong[numAnchors];
        _active = new byte[numAnchors];
        _selected = new int[numAnchors];
    }

    public void Decode(Interpreter interpreter, ImageTransform transform, List<Detection> results)
    {
        var encodings = _boxReader.Read(interpreter.GetTensor(_boxOutput));
        var scores = _scoreReader.Read(interpreter.GetTensor(_scoreOutput));
        BoxDecoding.DecodeCenterSize(encodings, 4, _anchors, _numAnchors, _scales, _boxes);

        // Thresholding on the logit skips the exp for the vast majority of (anchor, class) pairs.
        float cut = _logits ? Sigmoid.Logit(_scoreThreshold) : _scoreThreshold;
        _candidates.Clear();
        for (int c = 1; c < _numColumns; c++)
        {
            bool any = false;
            for (int a = 0; a < _numAnchors; a++)
            {
                float s = scores[a * _numColumns + c];
                if (s >= cut)
                {
                    _classScores[a] = _logits ? Sigmoid.Of(s) : s;
                    any = true;
                }
                else _classScores[a] = -1f;
            }
            if (!any) continue;
            int n = NonMaxSuppression.SingleClass(_boxes, _classScores, _scoreThreshold, _iouThreshold, _maxDetections,
                _sortKeys, _active, _selected);
            for (int k = 0; k < n; k++) _candidates.Add((_classScores[_selected[k]], c, _selected[k]));
        }
        // Highest score first; ties by class, then anchor, so the order is deterministic.
        _candidates.Sort(static (x, y) => x.Score != y.Score ? y.Score.CompareTo(x.Score)
            : x.Column != y.Column ? x.Column.CompareTo(y.Column) : x.Anchor.CompareTo(y.Anchor));
        for (int i = 0; i < _candidates.Count && results.Count < _maxDetections; i++)
        {
            var (score, column, anchor) = _candidates[i];
            var b = _boxes.AsSpan(anchor * 4, 4);
            results.Add(new Detection(_names.Name(column - 1), _names.Index(column - 1), score, transform.ToSource(b[0], b[1], b[2], b[3]), []));
        }
    }
}
