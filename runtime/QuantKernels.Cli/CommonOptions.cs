using System.CommandLine;
using System.CommandLine.Parsing;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Cli;

/// <summary>Options and arguments shared by several commands, with their parsing and validation.</summary>
public static class CommonOptions
{
    /// <summary>The <c>MODEL</c> argument: path of a <c>.tflite</c> file.</summary>
    public static Argument<string> Model() => new("MODEL") { Description = "Path of the .tflite model file" };

    /// <summary><c>--requant xnnpack|reference</c>, parsed to a <see cref="RequantConvention"/> (default xnnpack).</summary>
    public static Option<RequantConvention> Requant() => new("--requant")
    {
        Description = "Integer convention of quantized ops: 'xnnpack' (fp32 requantization, what TFLite computes on CPU; default) " +
                      "or 'reference' (TFLite's reference fixed-point kernels, as TFLite Micro runs them)",
        HelpName = "xnnpack|reference",
        DefaultValueFactory = _ => RequantConvention.Xnnpack,
        CustomParser = ParseRequantToken,
    };

    /// <summary>Maps a <c>--requant</c> word to its convention (case-insensitive); null if it is neither.</summary>
    public static RequantConvention? ParseRequant(string text) => text.Trim().ToLowerInvariant() switch
    {
        "xnnpack" => RequantConvention.Xnnpack,
        "reference" or "ref" => RequantConvention.Reference,
        _ => null,
    };

    /// <summary>The <c>--requant</c> word for a convention.</summary>
    public static string Name(RequantConvention convention) => convention == RequantConvention.Reference ? "reference" : "xnnpack";

    private static RequantConvention ParseRequantToken(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (ParseRequant(text) is { } convention) return convention;
        result.AddError($"--requant must be 'xnnpack' or 'reference', not '{text}'");
        return default;
    }

    /// <summary><c>--threads N</c> (at least 1, default 1).</summary>
    public static Option<int> Threads() => IntAtLeast("--threads", 1, 1, "Threads the kernels may use");

    /// <summary>An integer option with a default and a lower bound, reported as a usage error when violated.</summary>
    public static Option<int> IntAtLeast(string name, int minimum, int defaultValue, string description)
    {
        var option = new Option<int>(name)
        {
            Description = description,
            HelpName = "N",
            DefaultValueFactory = _ => defaultValue,
        };
        option.Validators.Add(result =>
        {
            // GetValueOrDefault would rethrow the parse error of a non-integer token; the parser has reported it already.
            if (result.Errors.Any() || result.Tokens.Count == 0) return;
            if (!int.TryParse(result.Tokens[^1].Value, System.Globalization.CultureInfo.InvariantCulture, out int value)) return;
            if (value < minimum) result.AddError($"{name} must be at least {minimum}, not {value}");
        });
        return option;
    }
}
