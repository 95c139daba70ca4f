using System.Text.Json;
using QuantKernels.Training.Model;

namespace QuantKernels.Training.Training;

/// <summary>
/// A checkpoint folder: <c>model.pt</c> (weights, batch-norm statistics, observed ranges), <c>optimizer.pt</c> and
/// <c>checkpoint.json</c> (options, model configuration, step, loss history).
/// </summary>
public sealed record Checkpoint(TrainOptions Options, ModelConfig Model, int Step, int TotalSteps, List<double[]> History)
{
    /// <summary>File name of the JSON part.</summary>
    public const string JsonName = "checkpoint.json";

    /// <summary>File name of the weights.</summary>
    public const string ModelName = "model.pt";

    /// <summary>File name of the optimizer state.</summary>
    public const string OptimizerName = "optimizer.pt";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>Writes the JSON part into <paramref name="directory"/>.</summary>
    public void WriteJson(string directory) =>
        File.WriteAllText(Path.Combine(directory, JsonName), JsonSerializer.Serialize(this, Json));

    /// <summary>Reads the JSON part of a checkpoint folder (or of the folder holding <paramref name="path"/>).</summary>
    /// <exception cref="FileNotFoundException">No checkpoint.json there.</exception>
    public static Checkpoint Read(string path)
    {
        string dir = Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path))!;
        string json = Path.Combine(dir, JsonName);
        if (!File.Exists(json)) throw new FileNotFoundException($"'{path}' is not a checkpoint: {json} does not exist", json);
        return JsonSerializer.Deserialize<Checkpoint>(File.ReadAllText(json), Json)
            ?? throw new InvalidDataException($"{json}: empty checkpoint");
    }

    /// <summary>The folder of a checkpoint path (the folder itself or the folder of one of its files).</summary>
    public static string Folder(string path) => Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path))!;
}
