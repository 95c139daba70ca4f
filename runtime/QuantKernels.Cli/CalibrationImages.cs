using QuantKernels.Quantization;
using QuantKernels.Vision;
using QuantKernels.Vision.Preprocessing;

namespace QuantKernels.Cli;

/// <summary>Calibration images for <c>qk quantize</c>: found in a folder, decoded and resized into the float model's input.</summary>
public static class CalibrationImages
{
    /// <summary>File extensions read as calibration images.</summary>
    public static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".bmp"];

    /// <summary>Image files under <paramref name="dir"/> (recursively), in ordinal path order, at most <paramref name="max"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static IReadOnlyList<string> Find(string dir, int max)
    {
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"calibration folder not found: {dir}");
        return Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal)
            .Take(max)
            .ToList();
    }

    /// <summary>
    /// Feeds every image to <paramref name="quantizer"/> (model input 0, as <paramref name="spec"/> says), calling
    /// <paramref name="progress"/> after each with (done, total, file, error or null). Images that fail to decode are
    /// skipped and reported. Returns how many were used.
    /// </summary>
    public static int Feed(PostTrainingQuantizer quantizer, IReadOnlyList<string> files, ModelInputSpec spec,
        Action<int, int, string, string?> progress)
    {
        if (quantizer.InputShapes.Count != 1)
            throw new CliException($"calibration images need a model with one image input; this one has {quantizer.InputShapes.Count} inputs");
        var loader = new ImageLoader();
        var writer = new ModelInputWriter();
        int used = 0;
        for (int i = 0; i < files.Count; i++)
        {
            string? error = null;
            try
            {
                using var image = loader.Load(files[i]);
                quantizer.Observe(inputs => writer.Write(image, inputs[0], spec));
                used++;
            }
            catch (ImageLoadException e)
            {
                error = e.Message;
            }
            progress(i + 1, files.Count, files[i], error);
        }
        return used;
    }

    /// <summary>The real range pixels 0..255 map to under <paramref name="n"/> (over all three channels).</summary>
    public static ActivationRange RangeOf(InputNormalization n)
    {
        var range = ActivationRange.Empty;
        for (int c = 0; c < 3; c++)
        {
            float a = (0f - n.Mean(c)) / n.Std(c), b = (255f - n.Mean(c)) / n.Std(c);
            range = range.Union(new ActivationRange(MathF.Min(a, b), MathF.Max(a, b)));
        }
        return range;
    }

    /// <summary>Parses <c>--input-normalization</c>: minus-one-to-one, zero-to-one, identity, or MEAN/STD; null if invalid.</summary>
    public static InputNormalization? ParseNormalization(string text)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "minus-one-to-one": return InputNormalization.MinusOneToOne;
            case "zero-to-one": return InputNormalization.ZeroToOne;
            case "identity" or "none": return InputNormalization.Identity;
        }
        var parts = text.Split('/', ',');
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        if (parts.Length == 2 && float.TryParse(parts[0], inv, out float mean) && float.TryParse(parts[1], inv, out float std)
            && float.IsFinite(mean) && float.IsFinite(std) && std != 0f)
            return InputNormalization.Uniform(mean, std);
        return null;
    }
}
