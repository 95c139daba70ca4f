using System.Text.Json;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Runtime.Tests;

/// <summary>
/// Every real model with outputs from real TFLite (testdata/models/expected, the WebAssembly oracle with XNNPACK)
/// must reproduce them: int8/uint8 byte for byte in the Xnnpack convention, float within 1e-4 of each output's
/// largest magnitude.
/// </summary>
public class OracleModelTests
{
    public static TheoryData<string> ModelsWithExpectedOutputs()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(Path.Combine(TestData.ModelsDir, "expected")).Order(StringComparer.Ordinal))
            if (File.Exists(Path.Combine(dir, "output_0.bin"))) data.Add(Path.GetFileName(dir));
        return data;
    }

    [Theory]
    [MemberData(nameof(ModelsWithExpectedOutputs))]
    public void Outputs_match_real_TFLite(string name)
    {
        var result = OracleComparison.Run(name, RequantConvention.Xnnpack);
        foreach (var o in result)
        {
            if (o.IsFloat)
                Assert.True(o.MaxAbsDiff <= 1e-4 * Math.Max(o.MaxMagnitude, 1e-30),
                    $"{name} output {o.Index}: max abs diff {o.MaxAbsDiff:G4} exceeds 1e-4 x {o.MaxMagnitude:G4}");
            else
                Assert.True(o.Differing == 0, $"{name} output {o.Index}: {o.Differing} of {o.Count} elements differ (max {o.MaxAbsDiff})");
        }
    }

    [Theory]
    [MemberData(nameof(ModelsWithExpectedOutputs))]
    public void Reference_convention_runs_and_stays_close(string name)
    {
        // The reference convention (TFLite's integer kernels) is pinned by kernel test vectors; on whole models it
        // may differ from the XNNPACK oracle by small amounts (CONVENTIONS.md: max 2-7 on final bytes).
        var result = OracleComparison.Run(name, RequantConvention.Reference);
        foreach (var o in result)
        {
            if (o.IsFloat) Assert.True(o.MaxAbsDiff <= 1e-4 * Math.Max(o.MaxMagnitude, 1e-30));
            else Assert.True(o.MaxAbsDiff <= 16, $"{name} output {o.Index}: max diff {o.MaxAbsDiff} in the reference convention");
        }
    }
}

/// <summary>Runs a model on the oracle's input and compares with the oracle's outputs.</summary>
internal static class OracleComparison
{
    public sealed record OutputDiff(int Index, bool IsFloat, long Count, long Differing, double MaxAbsDiff, double MaxMagnitude);

    public static List<OutputDiff> Run(string name, RequantConvention convention)
    {
        string dir = TestData.Expected(name);
        using var model = TfLiteModel.FromFile(TestData.Model(name + ".tflite"));
        using var interp = new Interpreter(model, new InterpreterOptions { Convention = convention });
        interp.AllocateTensors();
        for (int i = 0; i < interp.InputCount; i++)
            interp.GetInputTensor(i).CopyFrom(File.ReadAllBytes(Path.Combine(dir, $"input_{i}.bin")));
        interp.Invoke();
        var diffs = new List<OutputDiff>();
        for (int i = 0; i < interp.OutputCount; i++)
        {
            string file = Path.Combine(dir, $"output_{i}.bin");
            if (!File.Exists(file)) continue;
            byte[] expected = File.ReadAllBytes(file);
            var t = interp.GetOutputTensor(i);
            Assert.Equal(expected.Length, t.ByteSize);
            diffs.Add(Compare(i, t, expected));
        }
        return diffs;
    }

    private static OutputDiff Compare(int index, Tensor t, byte[] expected)
    {
        switch (t.Type)
        {
            case TensorType.Float32:
            {
                var a = t.AsReadOnlySpan<float>();
                var e = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(expected);
                double maxDiff = 0, maxMag = 0;
                long differing = 0;
                for (int k = 0; k < a.Length; k++)
                {
                    double d = Math.Abs((double)a[k] - e[k]);
                    if (double.IsNaN(d)) d = double.PositiveInfinity;
                    if (d > 0) differing++;
                    maxDiff = Math.Max(maxDiff, d);
                    maxMag = Math.Max(maxMag, Math.Abs((double)e[k]));
                }
                return new(index, true, a.Length, differing, maxDiff, maxMag);
            }
            case TensorType.Int8:
            case TensorType.UInt8:
            {
                var a = t.Bytes;
                long differing = 0;
                int maxDiff = 0;
                bool signed = t.Type == TensorType.Int8;
                for (int k = 0; k < a.Length; k++)
                {
                    int x = signed ? (sbyte)a[k] : a[k];
                    int y = signed ? (sbyte)expected[k] : expected[k];
                    if (x != y) { differing++; maxDiff = Math.Max(maxDiff, Math.Abs(x - y)); }
                }
                return new(index, false, a.Length, differing, maxDiff, 0);
            }
            default:
            {
                var a = t.Bytes;
                long differing = 0;
                for (int k = 0; k < a.Length; k++) if (a[k] != expected[k]) differing++;
                return new(index, false, a.Length, differing, differing > 0 ? 1 : 0, 0);
            }
        }
    }
}
