namespace QuantKernels.Vision.Preprocessing;

/// <summary>
/// Per-channel normalization of an RGB pixel p (0-255) into the model's real input value (p - mean) / std; for a
/// quantized input that value is then quantized with the tensor's scale and zero point.
/// </summary>
public readonly record struct InputNormalization(float MeanR, float MeanG, float MeanB, float StdR, float StdG, float StdB)
{
    /// <summary>p / 127.5 - 1, values in [-1, 1] (MobileNet, SSD, BlazeFace).</summary>
    public static InputNormalization MinusOneToOne => new(127.5f, 127.5f, 127.5f, 127.5f, 127.5f, 127.5f);

    /// <summary>p / 255, values in [0, 1].</summary>
    public static InputNormalization ZeroToOne => new(0, 0, 0, 255, 255, 255);

    /// <summary>The pixel value itself (0-255).</summary>
    public static InputNormalization Identity => new(0, 0, 0, 1, 1, 1);

    /// <summary>The same mean and standard deviation for all channels.</summary>
    public static InputNormalization Uniform(float mean, float std) => new(mean, mean, mean, std, std, std);

    /// <summary>Mean of channel <paramref name="c"/> (0 R, 1 G, 2 B).</summary>
    public float Mean(int c) => c == 0 ? MeanR : c == 1 ? MeanG : MeanB;

    /// <summary>Standard deviation of channel <paramref name="c"/> (0 R, 1 G, 2 B).</summary>
    public float Std(int c) => c == 0 ? StdR : c == 1 ? StdG : StdB;

    internal void Validate()
    {
        for (int c = 0; c < 3; c++)
        {
            float s = Std(c), m = Mean(c);
            if (!(s != 0 && float.IsFinite(s)) || !float.IsFinite(m))
                throw new ArgumentException($"normalization channel {c}: mean {m} and std {s} must be finite and std non-zero");
        }
    }
}
