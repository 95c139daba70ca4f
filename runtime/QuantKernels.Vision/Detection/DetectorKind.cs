namespace QuantKernels.Vision;

/// <summary>How a detection model's outputs are turned into detections (see <see cref="DetectorOptions.Kind"/>).</summary>
public enum DetectorKind
{
    /// <summary>Recognise the kind from the model's output signature.</summary>
    Auto,

    /// <summary>
    /// The model ends in TFLite_Detection_PostProcess: outputs boxes [1,N,4] (ymin, xmin, ymax, xmax, normalized),
    /// classes [1,N], scores [1,N] and count [1]; class c is line c + 1 of a labels file that lists the background.
    /// </summary>
    PostProcessed,

    /// <summary>
    /// A raw TensorFlow Object Detection SSD: box encodings [1,A,4] (ty, tx, th, tw) against SSD anchors, class
    /// logits [1,A,C] with background in column 0; sigmoid, center-size decoding, per-class NMS.
    /// </summary>
    Ssd,

    /// <summary>
    /// A MediaPipe BlazeFace-style detector: regressors [1,A,4+2K] (x, y, w, h, then K keypoints, in input pixels
    /// relative to the anchor centre), score logits [1,A,1]; sigmoid, weighted NMS.
    /// </summary>
    BlazeFace,
}
