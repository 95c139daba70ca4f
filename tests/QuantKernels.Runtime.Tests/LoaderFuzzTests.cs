using System.Diagnostics;
using System.Runtime.InteropServices;

namespace QuantKernels.Runtime.Tests;

/// <summary>
/// Seeded mutation fuzzing of the loader and interpreter: thousands of mutated and truncated variants of real
/// models must each either load and run, or fail with <see cref="ModelFormatException"/>. Any other exception
/// fails the test with the seed and mutation that caused it. (Long coverage-guided runs: see README, fuzzing.)
/// </summary>
public class LoaderFuzzTests
{
    // Small models run end to end; large ones load and allocate only (their inference would dominate the budget).
    private static readonly (string Name, bool Run)[] Corpus =
    [
        ("hello_world_int8.tflite", true),
        ("micro_speech_quantized.tflite", true),
        ("split_concat.tflite", true),
        ("person_detect.tflite", true),
        ("mobilenet_v1_0.25_128_quant.tflite", false),
        ("face_detection_short_range.tflite", false),
        ("ssd_mobilenet_v2_coco_quant_postprocess_segment_3_of_4_edgetpu.tflite", false),
    ];

    [Fact]
    public async Task Mutated_and_truncated_models_load_and_run_or_raise_ModelFormatException()
    {
        var budget = TimeSpan.FromSeconds(double.TryParse(Environment.GetEnvironmentVariable("QK_FUZZ_SECONDS"), out var s) ? s : 25);
        const int maxVariants = 20000;
        const int MinVariants = 200;
        var failures = new List<string>();
        int variants = 0, loaded = 0, ran = 0;
        var clock = Stopwatch.StartNew();
        var worker = Task.Run(() =>
        {
            var corpus = Corpus.Select(c => (c.Name, c.Run, Bytes: File.ReadAllBytes(TestData.Model(c.Name)), Weights: WeightRanges(c.Name))).ToArray();
            // At least MinVariants whatever the machine's load (a count within a wall-clock budget failed on a loaded
            // machine), then more while the budget lasts.
            for (int seed = 0; seed < maxVariants && (seed < MinVariants || clock.Elapsed < budget) && failures.Count < 5; seed++)
            {
                var rng = new Random(seed);
                var (name, run, original, weights) = corpus[seed % corpus.Length];
                var (bytes, what) = Mutate(original, weights, rng);
                variants++;
                try
                {
                    using var model = TfLiteModel.FromBytes(bytes);
                    loaded++;
                    var options = new InterpreterOptions { MaxArenaBytes = 64 << 20 };
                    using var interp = new Interpreter(model, options);
                    interp.AllocateTensors();
                    if (!run) continue;
                    for (int i = 0; i < interp.InputCount; i++)
                    {
                        var t = interp.GetInputTensor(i);
                        var data = new byte[t.ByteSize];
                        rng.NextBytes(data);
                        if (t.Type is TensorType.Float32) data.AsSpan().Clear();
                        t.CopyFrom(data);
                    }
                    interp.Invoke();
                    ran++;
                }
                catch (ModelFormatException)
                {
                    // The expected outcome for a malformed model.
                }
                catch (Exception e)
                {
                    failures.Add($"seed {seed} ({name}, {what}): {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
                }
            }
        }, TestContext.Current.CancellationToken);
        bool finished = await Task.WhenAny(worker, Task.Delay(budget + TimeSpan.FromMinutes(5), TestContext.Current.CancellationToken)) == worker;
        Assert.True(finished, $"fuzzing hung: {variants} variants done after {clock.Elapsed}");
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        Assert.True(variants >= MinVariants || failures.Count > 0, $"only {variants} variants ran");
        TestContext.Current.SendDiagnosticMessage($"fuzz: {variants} variants, {loaded} loaded, {ran} ran, {clock.Elapsed.TotalSeconds:F1}s");
    }

    /// <summary>Byte ranges of constant data, so most mutations land in the structure rather than in weights.</summary>
    private static (int Start, int End)[] WeightRanges(string name)
    {
        using var model = TfLiteModel.FromFile(TestData.Model(name));
        var ranges = new List<(int, int)>();
        foreach (var t in model.Tensors)
            if (t.IsConstant && MemoryMarshal.TryGetArray(t.Data, out var seg)) ranges.Add((seg.Offset, seg.Offset + seg.Count));
        return [.. ranges];
    }

    private static (byte[] Bytes, string What) Mutate(byte[] original, (int Start, int End)[] weights, Random rng)
    {
        int kind = rng.Next(10);
        if (kind == 0)
        {
            int length = rng.Next(0, original.Length);
            return (original[..length], $"truncated to {length}");
        }
        var bytes = (byte[])original.Clone();
        int edits = 1 + rng.Next(8);
        var what = new List<string>();
        for (int e = 0; e < edits; e++)
        {
            int pos = PickPosition(bytes.Length, weights, rng);
            switch (rng.Next(4))
            {
                case 0:
                    bytes[pos] ^= (byte)(1 << rng.Next(8));
                    what.Add($"bitflip@{pos}");
                    break;
                case 1:
                    bytes[pos] = (byte)rng.Next(256);
                    what.Add($"byte@{pos}");
                    break;
                default:
                    if (pos + 4 > bytes.Length) break;
                    int[] interesting = [0, 1, -1, 2, 3, 4, 0x7F, 0xFF, 0x7FFF, 0xFFFF, int.MaxValue, int.MinValue, 1 << 20, -4, 8, 127, 128];
                    int v = interesting[rng.Next(interesting.Length)];
                    BitConverter.TryWriteBytes(bytes.AsSpan(pos, 4), v);
                    what.Add($"int32 {v}@{pos}");
                    break;
            }
        }
        return (bytes, string.Join(",", what));
    }

    private static int PickPosition(int length, (int Start, int End)[] weights, Random rng)
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            int pos = rng.Next(length);
            bool inWeights = false;
            foreach (var (s, e) in weights) if (pos >= s && pos < e) { inWeights = true; break; }
            if (!inWeights || rng.Next(10) == 0) return pos;
        }
        return rng.Next(length);
    }
}
