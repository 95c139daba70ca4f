using QuantKernels.Runtime;

namespace QuantKernels.Datasets.Evaluation;

/// <summary>
/// Runs a detector <c>.tflite</c> (input [1, H, W, 3] float32, uint8 or int8; outputs boxes [1, M, 4] as ymin, xmin,
/// ymax, xmax, classes [1, M], scores [1, M] and count [1], as TFLite_Detection_PostProcess writes them) on our
/// runtime, one image at a time. Images must already have the model's input size.
/// </summary>
public sealed class TfliteDetectorRunner : IDisposable
{
    private readonly TfLiteModel _model;
    private readonly Interpreter _interpreter;
    private readonly Tensor _input;
    private readonly InputRange _range;

    /// <summary>Loads <paramref name="modelPath"/>.</summary>
    /// <exception cref="ModelFormatException">The model is not a detector of the expected shape.</exception>
    public TfliteDetectorRunner(string modelPath, InputRange range = InputRange.ZeroToOne, int threads = 1)
    {
        _model = TfLiteModel.FromFile(modelPath);
        try
        {
            _interpreter = new Interpreter(_model, new InterpreterOptions { Threads = threads });
            _interpreter.AllocateTensors();
        }
        catch
        {
            _model.Dispose();
            throw;
        }
        _range = range;
        _input = _interpreter.GetInputTensor(0);
        if (_input.Rank != 4 || _input.Dim(0) != 1 || _input.Dim(3) != 3 || _input.Type is not (TensorType.Float32 or TensorType.UInt8 or TensorType.Int8))
            throw new ModelFormatException($"{modelPath}: input {_input} is not a [1, H, W, 3] float32/uint8/int8 image");
        if (_interpreter.OutputCount != 4)
            throw new ModelFormatException($"{modelPath}: has {_interpreter.OutputCount} outputs; a detector has 4 (boxes, classes, scores, count)");
        for (int i = 0; i < 4; i++)
            if (_interpreter.GetOutputTensor(i).Type != TensorType.Float32)
                throw new ModelFormatException($"{modelPath}: output {i} is {_interpreter.GetOutputTensor(i)}; detection outputs are float32");
    }

    /// <summary>Input height.</summary>
    public int Height => _input.Dim(1);

    /// <summary>Input width.</summary>
    public int Width => _input.Dim(2);

    /// <summary>The interpreter (for reading intermediate tensors).</summary>
    public Interpreter Interpreter => _interpreter;

    /// <summary>Runs the model on <paramref name="sample"/> and returns its detections (boxes clamped to the image).</summary>
    public List<ScoredBox> Detect(DetectionSample sample)
    {
        if (sample.Width != Width || sample.Height != Height)
            throw new ArgumentException($"image is {sample.Width}x{sample.Height}; the model input is {Width}x{Height}");
        FillInput(sample.Rgb);
        _interpreter.Invoke();
        return ReadDetections(_interpreter);
    }

    /// <summary>
    /// Reads the detections from an interpreter whose outputs 0-3 are TFLite_Detection_PostProcess's (boxes as ymin,
    /// xmin, ymax, xmax; classes; scores; count); boxes are clamped to the image.
    /// </summary>
    public static List<ScoredBox> ReadDetections(Interpreter interpreter)
    {
        var boxes = interpreter.GetOutputTensor(0).AsReadOnlySpan<float>();
        var classes = interpreter.GetOutputTensor(1).AsReadOnlySpan<float>();
        var scores = interpreter.GetOutputTensor(2).AsReadOnlySpan<float>();
        int count = (int)Math.Clamp(interpreter.GetOutputTensor(3).AsReadOnlySpan<float>()[0], 0, Math.Min(scores.Length, classes.Length));
        var result = new List<ScoredBox>(count);
        for (int i = 0; i < count; i++)
        {
            float C(float v) => Math.Clamp(v, 0f, 1f);
            var box = new BoundingBox(C(boxes[i * 4 + 1]), C(boxes[i * 4]), C(boxes[i * 4 + 3]), C(boxes[i * 4 + 2]));
            result.Add(new ScoredBox((int)classes[i], scores[i], box));
        }
        return result;
    }

    private void FillInput(byte[] rgb)
    {
        (float scale, float offset) = _range switch
        {
            InputRange.ZeroToOne => (1 / 255f, 0f),
            InputRange.MinusOneToOne => (1 / 127.5f, -1f),
            _ => (1f, 0f),
        };
        switch (_input.Type)
        {
            case TensorType.Float32:
            {
                var dst = _input.AsSpan<float>();
                for (int i = 0; i < rgb.Length; i++) dst[i] = rgb[i] * scale + offset;
                break;
            }
            default:
            {
                // Quantized input: q = round(real / s) + zp, clamped to the type's range.
                float s = _input.Scale;
                int zp = _input.ZeroPoint;
                bool signed = _input.Type == TensorType.Int8;
                var dst = _input.AsSpan<byte>();
                for (int i = 0; i < rgb.Length; i++)
                {
                    int q = (int)MathF.Round((rgb[i] * scale + offset) / s, MidpointRounding.ToEven) + zp;
                    dst[i] = signed ? (byte)(sbyte)Math.Clamp(q, -128, 127) : (byte)Math.Clamp(q, 0, 255);
                }
                break;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _interpreter.Dispose();
        _model.Dispose();
    }
}
