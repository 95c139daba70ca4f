namespace QuantKernels.Datasets.Evaluation;

/// <summary>The real range a detector's input expects for pixel values 0..255.</summary>
public enum InputRange
{
    /// <summary>pixel / 255 (QuantKernels' trained models).</summary>
    ZeroToOne,

    /// <summary>pixel / 127.5 - 1 (TF object-detection float models).</summary>
    MinusOneToOne,

    /// <summary>The pixel value itself.</summary>
    ZeroTo255,
}
