using System.Runtime.InteropServices;
using QuantKernels.Vision;

namespace QuantKernels.Native;

/// <summary>One detection as C reads it (<c>qk_detection</c> in quantkernels.h).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct QkDetection
{
    public byte* Label;
    public int ClassIndex;
    public float Score;
    public float XMin, YMin, XMax, YMax;
}

/// <summary>What a <c>qk_detector*</c> handle holds: the managed detector, its last detections, the labels as C
/// strings, and a reusable buffer for images whose rows are padded (stride &gt; 3 * width).</summary>
internal sealed unsafe class NativeDetector(Detector detector) : IDisposable
{
    private readonly Dictionary<string, nint> _labels = new(StringComparer.Ordinal);
    private byte[] _packed = [];

    public Detector Detector { get; } = detector;
    public IReadOnlyList<Detection> Last { get; set; } = [];

    /// <summary>The image as packed RGB rows: the caller's memory itself when its rows are not padded.</summary>
    public ReadOnlySpan<byte> Packed(byte* rgb, int width, int height, int stride)
    {
        int row = width * 3;
        if (stride == row) return new ReadOnlySpan<byte>(rgb, row * height);
        if (_packed.Length < row * height) _packed = new byte[row * height];
        for (int y = 0; y < height; y++)
            new ReadOnlySpan<byte>(rgb + (long)y * stride, row).CopyTo(_packed.AsSpan(y * row, row));
        return _packed.AsSpan(0, row * height);
    }

    /// <summary>A label as a NUL-terminated UTF-8 string owned by this detector (labels are a small fixed set).</summary>
    public byte* Label(string label)
    {
        if (!_labels.TryGetValue(label, out nint p)) _labels[label] = p = (nint)NativeStrings.Allocate(label);
        return (byte*)p;
    }

    public void Dispose()
    {
        Detector.Dispose();
        foreach (var p in _labels.Values) NativeMemory.Free((void*)p);
        _labels.Clear();
    }
}

/// <summary>The qk_detector_* functions: QuantKernels.Vision's Detector on RGB buffers.</summary>
internal static unsafe class DetectorExports
{
    /// <summary>Largest image side qk_detector_detect accepts (keeps stride * height inside 32-bit offsets).</summary>
    public const int MaxSide = 16384;

    [UnmanagedCallersOnly(EntryPoint = "qk_detector_create")]
    public static nint Create(byte* modelPath, byte* labelsPath, float scoreThreshold, int numThreads)
    {
        LastError.Clear();
        try
        {
            if (modelPath == null) throw new ArgumentException("model_path is NULL");
            if (numThreads > OptionsExports.MaxThreads) throw new ArgumentOutOfRangeException(nameof(numThreads), numThreads, $"num_threads must be at most {OptionsExports.MaxThreads}");
            var options = new DetectorOptions
            {
                ScoreThreshold = scoreThreshold < 0 ? new DetectorOptions().ScoreThreshold : scoreThreshold,
                Threads = Math.Max(numThreads, 1),
            };
            string model = Marshal.PtrToStringUTF8((nint)modelPath)!;
            string? labels = labelsPath == null ? null : Marshal.PtrToStringUTF8((nint)labelsPath);
            var native = new NativeDetector(Detector.Load(model, labels, options));
            try
            {
                return HandleTable.Shared.Add(HandleKind.Detector, native);
            }
            catch
            {
                native.Dispose();
                throw;
            }
        }
        catch (Exception e)
        {
            Fail.Report("qk_detector_create", e);
            return 0;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "qk_detector_detect")]
    public static TfLiteStatus Detect(nint detector, byte* rgb, int width, int height, int stride)
    {
        LastError.Clear();
        try
        {
            var d = Resolve(detector);
            d.Last = [];
            if (rgb == null) throw new ArgumentException("rgb is NULL");
            if (width <= 0 || height <= 0 || width > MaxSide || height > MaxSide)
                throw new ArgumentOutOfRangeException(nameof(width), $"image size {width}x{height} must be in 1..{MaxSide} on each side");
            if (stride < width * 3 || (long)stride * height > int.MaxValue)
                throw new ArgumentOutOfRangeException(nameof(stride), stride, $"stride must be at least {width * 3} bytes (3 * width) and stride * height under 2 GiB");
            d.Last = d.Detector.Detect(d.Packed(rgb, width, height, stride), width, height);
            return TfLiteStatus.Ok;
        }
        catch (Exception e)
        {
            Fail.Report("qk_detector_detect", e);
            return TfLiteStatus.Error;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "qk_detector_count")]
    public static int Count(nint detector)
    {
        LastError.Clear();
        try
        {
            return Resolve(detector).Last.Count;
        }
        catch (Exception e)
        {
            Fail.Report("qk_detector_count", e);
            return -1;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "qk_detector_get")]
    public static TfLiteStatus Get(nint detector, int index, QkDetection* detection)
    {
        LastError.Clear();
        try
        {
            var d = Resolve(detector);
            if (detection == null) throw new ArgumentException("detection is NULL");
            if ((uint)index >= (uint)d.Last.Count)
                throw new ArgumentOutOfRangeException(nameof(index), index, $"index must be in 0..{d.Last.Count - 1} (the last detect found {d.Last.Count})");
            var r = d.Last[index];
            *detection = new QkDetection
            {
                Label = d.Label(r.Label),
                ClassIndex = r.ClassIndex,
                Score = r.Score,
                XMin = r.Box.XMin, YMin = r.Box.YMin, XMax = r.Box.XMax, YMax = r.Box.YMax,
            };
            return TfLiteStatus.Ok;
        }
        catch (Exception e)
        {
            Fail.Report("qk_detector_get", e);
            return TfLiteStatus.Error;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "qk_detector_delete")]
    public static void Delete(nint detector)
    {
        LastError.Clear();
        try
        {
            if (detector != 0) HandleTable.Shared.Remove<NativeDetector>(detector, HandleKind.Detector, "detector").Dispose();
        }
        catch (Exception e)
        {
            Fail.Report("qk_detector_delete", e);
        }
    }

    private static NativeDetector Resolve(nint detector) =>
        HandleTable.Shared.Get<NativeDetector>(detector, HandleKind.Detector, "detector", out _);
}
