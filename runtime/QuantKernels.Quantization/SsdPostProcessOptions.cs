namespace QuantKernels.Quantization;

/// <summary>
/// The post-processing appended to an SSD's raw outputs: an optional LOGISTIC on the class logits, then TFLite's
/// <c>TFLite_Detection_PostProcess</c> custom op (box decoding against <see cref="Anchors"/>, NMS), whose four
/// float32 outputs (boxes, classes, scores, count) become the graph outputs.
/// </summary>
public sealed record SsdPostProcessOptions
{
    /// <summary>Anchors, 4 floats each (ycenter, xcenter, height, width) in normalised image coordinates.</summary>
    public required float[] Anchors { get; init; }

    /// <summary>Detections kept after NMS.</summary>
    public int MaxDetections { get; init; } = 25;

    /// <summary>Classes reported per detection (fast NMS).</summary>
    public int MaxClassesPerDetection { get; init; } = 1;

    /// <summary>Detections per class (regular NMS).</summary>
    public int DetectionsPerClass { get; init; } = 100;

    /// <summary>Per-class NMS (true) or TFLite's fast class-agnostic NMS over each anchor's best class (false).</summary>
    public bool UseRegularNms { get; init; }

    /// <summary>Scores below this never enter NMS.</summary>
    public float ScoreThreshold { get; init; } = 0.3f;

    /// <summary>A box is suppressed by a kept box overlapping it with IoU above this.</summary>
    public float IouThreshold { get; init; } = 0.5f;

    /// <summary>Box coder scales (y, x, h, w): TF Object Detection's SSD default 10, 10, 5, 5.</summary>
    public (float Y, float X, float H, float W) Scales { get; init; } = (10f, 10f, 5f, 5f);

    /// <summary>The class output holds logits: append a LOGISTIC before the post-process op (default true).</summary>
    public bool ScoresAreLogits { get; init; } = true;

    /// <summary>
    /// Classes excluding background. Null: the class output's last dimension minus one (column 0 is background,
    /// which the op skips).
    /// </summary>
    public int? NumClasses { get; init; }

    /// <summary>Graph output holding the box encodings [1, N, 4]; null finds the output whose last dimension is 4.</summary>
    public int? BoxEncodingsOutput { get; init; }

    /// <summary>Graph output holding the class logits or scores [1, N, C]; null takes the other output.</summary>
    public int? ClassScoresOutput { get; init; }
}
