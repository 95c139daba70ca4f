using System.Diagnostics;
using QuantKernels.Runtime;
using QuantKernels.Vision.Preprocessing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace QuantKernels.Vision;

/// <summary>
/// An object detector over a .tflite model: decodes an image, resizes it into the model input, runs the model in
/// the QuantKernels interpreter and turns the outputs into labelled boxes in the original image's pixels. The kind
/// of model (post-processed, raw SSD or BlazeFace) is recognised from its outputs (see <see cref="DetectorKind"/>).
/// One instance is not thread-safe: use one per thread. Buffers are reused between calls.
/// </summary>
public sealed class Detector : IDisposable
{
    private readonly TfLiteModel _model;
    private readonly Interpreter _interpreter;
    private readonly IDetectionDecoder _decoder;
    private readonly ModelInputWriter _writer = new();
    private readonly ImageLoader _loader;
    private readonly ModelInputSpec _inputSpec;
    private bool _disposed;

    private Detector(TfLiteModel model, Interpreter interpreter, string[] labels, DetectorOptions options)
    {
        _model = model;
        _interpreter = interpreter;
        _loader = new ImageLoader(options.ImageLimits);
        _inputSpec = options.Input;
        Options = options;
        Labels = labels;
        (InputWidth, InputHeight) = ModelInputWriter.InputSize(interpreter.GetInputTensor(0));
        (Kind, _decoder) = ModelSignature.Build(model, InputWidth, InputHeight, labels, options);
    }

    /// <summary>
    /// Loads a detection model. Labels come from <paramref name="labelsPath"/>, else from a labels file beside the model
    /// (see <see cref="LabelMap.FindBeside"/>), else classes are named "class N".
    /// </summary>
    /// <exception cref="FileNotFoundException">The model or the labels file does not exist.</exception>
    /// <exception cref="ModelFormatException">The model is malformed, unsupported, or not a recognised detector.</exception>
    /// <exception cref="ArgumentException">The model's input is not a single RGB image, or an option is out of range.</exception>
    public static Detector Load(string modelPath, string? labelsPath = null, DetectorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        options ??= new DetectorOptions();
        Validate(options);
        string? labelsFile = labelsPath ?? LabelMap.FindBeside(modelPath);
        string[] labels = labelsFile is null ? [] : LabelMap.Load(labelsFile);
        var model = TfLiteModel.FromFile(modelPath);
        Interpreter? interpreter = null;
        try
        {
            if (model.Inputs.Count != 1)
                throw new ModelFormatException($"{modelPath}: a detector takes one image input; this model has {model.Inputs.Count} inputs");
            interpreter = new Interpreter(model, new InterpreterOptions { Threads = options.Threads });
            interpreter.AllocateTensors();
            return new Detector(model, interpreter, labels, options);
        }
        catch
        {
            interpreter?.Dispose();
            model.Dispose();
            throw;
        }
    }

    /// <summary>How the model's outputs are decoded.</summary>
    public DetectorKind Kind { get; }

    /// <summary>The labels in use (empty when there is no labels file).</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>The options in force.</summary>
    public DetectorOptions Options { get; }

    /// <summary>Model input width in pixels.</summary>
    public int InputWidth { get; }

    /// <summary>Model input height in pixels.</summary>
    public int InputHeight { get; }

    /// <summary>Stage times of the last <c>Detect</c> call.</summary>
    public DetectionTiming LastTiming { get; private set; }

    /// <summary>Decodes an image file (JPEG, PNG, BMP; EXIF orientation applied) and detects objects in it.</summary>
    /// <exception cref="ImageLoadException">The image cannot be read or decoded, or exceeds the limits.</exception>
    public IReadOnlyList<Detection> Detect(string imagePath)
    {
        ThrowIfDisposed();
        long t0 = Stopwatch.GetTimestamp();
        using var image = _loader.Load(imagePath);
        double decode = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        var result = Detect(image);
        LastTiming = LastTiming with { DecodeMs = decode };
        return result;
    }

    /// <summary>Detects objects in a decoded image; boxes are in its pixels.</summary>
    public IReadOnlyList<Detection> Detect(Image<Rgb24> image)
    {
        ArgumentNullException.ThrowIfNull(image);
        ThrowIfDisposed();
        long t0 = Stopwatch.GetTimestamp();
        var transform = _writer.Write(image, _interpreter.GetInputTensor(0), _inputSpec);
        return Run(transform, t0);
    }

    /// <summary>Detects objects in packed RGB24 pixels (rows of 3 * <paramref name="width"/> bytes, top row first).</summary>
    /// <exception cref="ArgumentException">The buffer's length is not width * height * 3, or a size is not positive.</exception>
    public IReadOnlyList<Detection> Detect(ReadOnlySpan<byte> rgb, int width, int height)
    {
        ThrowIfDisposed();
        long t0 = Stopwatch.GetTimestamp();
        var transform = _writer.Write(rgb, width, height, _interpreter.GetInputTensor(0), _inputSpec);
        return Run(transform, t0);
    }

    /// <summary>Decodes an image with this detector's limits (for callers that also draw on it).</summary>
    /// <exception cref="ImageLoadException">The image cannot be read or decoded, or exceeds the limits.</exception>
    public Image<Rgb24> LoadImage(string imagePath) => _loader.Load(imagePath);

    private List<Detection> Run(ImageTransform transform, long start)
    {
        long t1 = Stopwatch.GetTimestamp();
        _interpreter.Invoke();
        long t2 = Stopwatch.GetTimestamp();
        var results = new List<Detection>();
        _decoder.Decode(_interpreter, transform, results);
        long t3 = Stopwatch.GetTimestamp();
        LastTiming = new DetectionTiming(0, Ms(start, t1), Ms(t1, t2), Ms(t2, t3));
        return results;
    }

    private static double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;

    private static void Validate(DetectorOptions o)
    {
        if (!(o.ScoreThreshold >= 0 && o.ScoreThreshold <= 1)) throw new ArgumentException($"score threshold {o.ScoreThreshold} is outside [0, 1]");
        if (o.IouThreshold is { } iou && !(iou > 0 && iou <= 1)) throw new ArgumentException($"IoU threshold {iou} is outside (0, 1]");
        if (o.MaxDetections <= 0) throw new ArgumentException($"max detections {o.MaxDetections} must be positive");
        if (o.Threads <= 0) throw new ArgumentException($"threads {o.Threads} must be positive");
        if (o.Anchors is { Length: var n } && n % 4 != 0) throw new ArgumentException($"anchors hold {n} floats, not a multiple of 4");
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>Releases the interpreter and the model.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _interpreter.Dispose();
        _model.Dispose();
    }
}
