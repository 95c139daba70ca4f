namespace QuantKernels.Training.Model;

/// <summary>Shape of the SSD-lite detector.</summary>
public sealed record ModelConfig
{
    /// <summary>Input side in pixels (square input).</summary>
    public int InputSize { get; init; } = 160;

    /// <summary>Width multiplier on the MobileNet channel counts.</summary>
    public float Width { get; init; } = 0.5f;

    /// <summary>Object classes (without background).</summary>
    public int NumClasses { get; init; } = 10;

    /// <summary>Feature maps that carry heads: 2 (strides 16, 32), 3 (adds 8) or 4 (adds 64).</summary>
    public int FeatureMaps { get; init; } = 2;

    /// <summary>Anchor layout.</summary>
    public AnchorConfig Anchors { get; init; } = new();

    /// <summary>
    /// Lower end of the fixed int8 range of the class logits (the LOGISTIC input). An observed min/max range is
    /// dominated by a few anchors pushed far negative (-177 in a 2000-step run), which leaves ~0.7 logit per int8 step
    /// and cost 4 mAP@0.5 points; LOGISTIC's int8 output (1/256 grid) cannot tell logits outside about [-6.2, 6.2]
    /// apart anyway, so this range loses nothing that the output keeps.
    /// </summary>
    public float ClassLogitMin { get; init; } = -6f;

    /// <summary>Upper end of the fixed class-logit range (see <see cref="ClassLogitMin"/>).</summary>
    public float ClassLogitMax { get; init; } = 6f;

    /// <summary>Class names written into the model description and used by evaluation.</summary>
    public string[] ClassNames { get; init; } = [];

    /// <summary>Throws when a setting is out of range.</summary>
    public void Validate()
    {
        if (InputSize is < 32 or > 1024 || InputSize % 32 != 0)
            throw new ArgumentOutOfRangeException(nameof(InputSize), InputSize, "input size must be a multiple of 32 in 32..1024");
        if (!(Width is >= 0.125f and <= 2f)) throw new ArgumentOutOfRangeException(nameof(Width), Width, "width must be in [0.125, 2]");
        if (NumClasses is < 1 or > 1000) throw new ArgumentOutOfRangeException(nameof(NumClasses), NumClasses, "1..1000 classes");
        if (FeatureMaps is < 2 or > 4) throw new ArgumentOutOfRangeException(nameof(FeatureMaps), FeatureMaps, "2..4 feature maps");
        if (!(ClassLogitMin < 0 && ClassLogitMax > 0 && ClassLogitMax - ClassLogitMin <= 1000))
            throw new ArgumentOutOfRangeException(nameof(ClassLogitMin), $"class logit range [{ClassLogitMin}, {ClassLogitMax}] must hold 0");
        if (FeatureMaps == 4 && InputSize < 64) throw new ArgumentOutOfRangeException(nameof(FeatureMaps), "4 feature maps need an input of at least 64");
    }

    /// <summary>Channel count scaled by the width multiplier (at least 8, a multiple of 8).</summary>
    public int Channels(int baseChannels) => Math.Max(8, (int)MathF.Round(baseChannels * Width / 8) * 8);

    /// <summary>Strides of the feature maps that carry heads, finest first.</summary>
    public int[] FeatureStrides => FeatureMaps switch { 2 => [16, 32], 3 => [8, 16, 32], _ => [8, 16, 32, 64] };

    /// <summary>Feature map sides for this input size.</summary>
    public int[] FeatureSides => FeatureStrides.Select(s => (InputSize + s - 1) / s).ToArray();
}
