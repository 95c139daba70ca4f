using System.Runtime.InteropServices;

namespace QuantKernels.Runtime.Tests;

/// <summary>
/// Single-op probe models (testdata/oracle-ops, written by tools/OracleProbes and run through real TFLite by
/// tools/OracleProbes/make-probes.sh): the runtime, in its default (Xnnpack) convention, must reproduce the oracle's
/// outputs — integer types byte for byte, float32 within 1e-5 of each output's largest magnitude.
/// </summary>
public class OracleOpTests
{
    /// <summary>The folder of probe cases, beside testdata/models.</summary>
    private static string CasesDir => Path.Combine(Path.GetDirectoryName(TestData.ModelsDir)!, "oracle-ops");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(CasesDir).Order(StringComparer.Ordinal))
            if (File.Exists(Path.Combine(dir, "model.tflite")) && File.Exists(Path.Combine(dir, "output_0.bin")))
                data.Add(Path.GetFileName(dir));
        return data;
    }

    [Fact]
    public void Probe_cases_are_present()
    {
        // Guards the theory below against silently running zero cases (e.g. testdata moved).
        Assert.True(Cases().Count > 100, $"only {Cases().Count} probe cases found in {CasesDir}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Op_matches_real_TFLite(string name)
    {
        string dir = Path.Combine(CasesDir, name);
        using var model = TfLiteModel.FromFile(Path.Combine(dir, "model.tflite"));
        var resolver = Ops.OpResolver.CreateDefault();
        var missing = model.Operators.Where(o => !resolver.Supports(o)).Select(o => o.OpName).Distinct().ToList();
        // Ops are being implemented in parallel; a case runs as soon as all of its ops are registered.
        if (missing.Count > 0) Assert.Skip($"ops not implemented yet: {string.Join(", ", missing)}");

        using var interp = new Interpreter(model);
        interp.AllocateTensors();
        for (int i = 0; i < interp.InputCount; i++)
            interp.GetInputTensor(i).CopyFrom(File.ReadAllBytes(Path.Combine(dir, $"input_{i}.bin")));
        interp.Invoke();

        var failures = new List<string>();
        for (int i = 0; i < interp.OutputCount; i++)
        {
            byte[] expected = File.ReadAllBytes(Path.Combine(dir, $"output_{i}.bin"));
            var t = interp.GetOutputTensor(i);
            Assert.True(expected.Length == t.ByteSize,
                $"{name} output {i}: {t} has {t.ByteSize} bytes, the oracle wrote {expected.Length}");
            string? problem = Compare(t, expected);
            if (problem is not null) failures.Add($"output {i} ({TensorTypes.Name(t.Type)}[{string.Join(",", t.Shape.ToArray())}]): {problem}");
        }
        Assert.True(failures.Count == 0, $"{name}: {string.Join("; ", failures)}");
    }

    /// <summary>Null when equal enough, else a description of the differences.</summary>
    private static string? Compare(Tensor t, byte[] expected)
    {
        switch (t.Type)
        {
            case TensorType.Float32:
            {
                var a = t.AsReadOnlySpan<float>();
                var e = MemoryMarshal.Cast<byte, float>(expected);
                double maxMag = 0;
                for (int k = 0; k < e.Length; k++) maxMag = Math.Max(maxMag, Math.Abs((double)e[k]));
                double tol = 1e-5 * Math.Max(maxMag, 1e-30);
                long differing = 0; double maxDiff = 0; int firstAt = -1;
                for (int k = 0; k < a.Length; k++)
                {
                    double d = Math.Abs((double)a[k] - e[k]);
                    if (double.IsNaN(d)) d = float.IsNaN(a[k]) && float.IsNaN(e[k]) ? 0 : double.PositiveInfinity;
                    if (d > tol) { differing++; if (firstAt < 0) firstAt = k; }
                    maxDiff = Math.Max(maxDiff, d);
                }
                return differing == 0 ? null
                    : $"{differing} of {a.Length} elements differ by more than {tol:G3} (max diff {maxDiff:G4}; first at {firstAt}: got {a[firstAt]:G9}, oracle {e[firstAt]:G9})";
            }
            default:
            {
                // Integer types: byte for byte; report differences in element units for the common types.
                int size = TensorTypes.ElementSize(t.Type);
                var a = t.Bytes;
                long differing = 0; long maxDiff = 0; int firstAt = -1; long got = 0, want = 0;
                for (int k = 0; k < a.Length / size; k++)
                {
                    long x = Element(a, k, t.Type), y = Element(expected, k, t.Type);
                    if (!a.Slice(k * size, size).SequenceEqual(expected.AsSpan(k * size, size)))
                    {
                        differing++;
                        maxDiff = Math.Max(maxDiff, Math.Abs(x - y));
                        if (firstAt < 0) { firstAt = k; got = x; want = y; }
                    }
                }
                return differing == 0 ? null
                    : $"{differing} of {a.Length / size} elements differ (max diff {maxDiff}; first at {firstAt}: got {got}, oracle {want})";
            }
        }
    }

    private static long Element(ReadOnlySpan<byte> b, int k, TensorType type) => type switch
    {
        TensorType.Int8 => (sbyte)b[k],
        TensorType.UInt8 or TensorType.Bool => b[k],
        TensorType.Int16 => BitConverter.ToInt16(b.Slice(k * 2, 2)),
        TensorType.Int32 => BitConverter.ToInt32(b.Slice(k * 4, 4)),
        TensorType.Int64 => BitConverter.ToInt64(b.Slice(k * 8, 8)),
        _ => b[k * TensorTypes.ElementSize(type)],
    };
}
