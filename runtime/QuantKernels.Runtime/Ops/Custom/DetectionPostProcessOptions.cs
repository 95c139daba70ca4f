using QuantKernels.Kernels.Detection;
using QuantKernels.Runtime.FlexBuffers;

namespace QuantKernels.Runtime.Ops.Custom;

/// <summary>Reads TFLite_Detection_PostProcess options from its flexbuffer custom options.</summary>
public static class DetectionPostProcessOptions
{
    /// <summary>TFLite's default for detections_per_class when the key is absent.</summary>
    public const int DefaultDetectionsPerClass = 100;

    /// <summary>
    /// Parses and validates the options. max_detections, max_classes_per_detection, nms_score_threshold,
    /// nms_iou_threshold, num_classes and the four scales are required; detections_per_class defaults to 100 and
    /// use_regular_nms to false, as in TFLite.
    /// </summary>
    /// <param name="customOptions">The operator's custom options bytes.</param>
    /// <param name="owner">Names the operator in error messages.</param>
    /// <exception cref="ModelFormatException">Malformed bytes, a missing key or an out-of-range value.</exception>
    public static DetectionPostProcessParams Parse(ReadOnlySpan<byte> customOptions, string owner)
    {
        var map = FlexBufferMap.Parse(customOptions, owner);
        int maxDetections = Int(map, owner, "max_detections", null, 0);
        int maxClasses = Int(map, owner, "max_classes_per_detection", null, 1);
        int perClass = Int(map, owner, "detections_per_class", DefaultDetectionsPerClass, 1);
        bool regular = false;
        if (map.TryGetValue("use_regular_nms", out var v) && v.Kind != FlexBufferValueKind.Null)
            regular = v.AsBool() ?? throw Error(owner, "use_regular_nms is not a bool or number");
        float scoreThreshold = Float(map, owner, "nms_score_threshold");
        float iou = Float(map, owner, "nms_iou_threshold");
        if (!(iou > 0f && iou <= 1f)) throw Error(owner, $"nms_iou_threshold {iou} is outside (0, 1]");
        if (float.IsNaN(scoreThreshold)) throw Error(owner, "nms_score_threshold is NaN");
        int numClasses = Int(map, owner, "num_classes", null, 1);
        var scales = new BoxCoderScales(Scale(map, owner, "y_scale"), Scale(map, owner, "x_scale"), Scale(map, owner, "h_scale"), Scale(map, owner, "w_scale"));
        if ((long)maxDetections * maxClasses > 1 << 24) throw Error(owner, $"max_detections {maxDetections} x max_classes_per_detection {maxClasses} is too large");
        return new DetectionPostProcessParams(maxDetections, maxClasses, perClass, regular, scoreThreshold, iou, numClasses, scales);
    }

    private static ModelFormatException Error(string owner, string message) => new($"{owner}: custom options: {message}");

    private static int Int(FlexBufferMap map, string owner, string key, int? fallback, int min)
    {
        if (!map.TryGetValue(key, out var v) || v.Kind == FlexBufferValueKind.Null)
            return fallback ?? throw Error(owner, $"{key} is missing");
        long x = v.AsInt64() ?? throw Error(owner, $"{key} is not a number");
        if (v.Kind == FlexBufferValueKind.UInt && v.UInt > int.MaxValue) x = long.MaxValue;
        if (x < min || x > 1 << 24) throw Error(owner, $"{key} {x} is outside [{min}, {1 << 24}]");
        return (int)x;
    }

    private static float Float(FlexBufferMap map, string owner, string key)
    {
        if (!map.TryGetValue(key, out var v) || v.Kind == FlexBufferValueKind.Null) throw Error(owner, $"{key} is missing");
        return (float)(v.AsDouble() ?? throw Error(owner, $"{key} is not a number"));
    }

    private static float Scale(FlexBufferMap map, string owner, string key)
    {
        float s = Float(map, owner, key);
        if (!float.IsFinite(s) || s == 0f) throw Error(owner, $"{key} {s} must be finite and non-zero");
        return s;
    }
}
