using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Runtime.Tests;

/// <summary>
/// Intermediate tensors from real TFLite (testdata/oracle-extra: models whose outputs were re-pointed at internal
/// tensors) must match ours byte for byte in the Xnnpack convention.
/// </summary>
public class OracleTensorTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        string root = Path.Combine(TestData.ModelsDir, "..", "oracle-extra");
        foreach (var dir in Directory.GetDirectories(root).Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(dir));
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Internal_tensors_match_real_TFLite(string caseName)
    {
        string dir = Path.Combine(TestData.ModelsDir, "..", "oracle-extra", caseName);
        string modelName = File.ReadAllText(Path.Combine(dir, "model.txt")).Trim();
        int[] tensors = File.ReadAllLines(Path.Combine(dir, "tensors.txt")).Where(l => l.Trim().Length > 0).Select(int.Parse).ToArray();
        using var model = TfLiteModel.FromFile(TestData.Model(modelName));

        using var interp = new Interpreter(model, new InterpreterOptions { Convention = RequantConvention.Xnnpack, PreserveAllTensors = true });
        interp.AllocateTensors();
        for (int i = 0; i < interp.InputCount; i++)
            interp.GetInputTensor(i).CopyFrom(File.ReadAllBytes(Path.Combine(dir, $"input_{i}.bin")));
        interp.Invoke();
        var failures = new List<string>();
        for (int k = 0; k < tensors.Length; k++)
        {
            var t = interp.GetTensor(tensors[k]);
            byte[] expected = File.ReadAllBytes(Path.Combine(dir, $"output_{k}.bin"));
            if (expected.Length != t.ByteSize) { failures.Add($"{t}: {t.ByteSize} bytes, oracle has {expected.Length}"); continue; }
            int differing = 0, maxDiff = 0;
            var actual = t.Bytes;
            for (int j = 0; j < expected.Length; j++)
            {
                if (actual[j] == expected[j]) continue;
                differing++;
                int d = t.Type == TensorType.Int8 ? Math.Abs((sbyte)actual[j] - (sbyte)expected[j]) : Math.Abs(actual[j] - expected[j]);
                maxDiff = Math.Max(maxDiff, d);
            }
            if (differing > 0) failures.Add($"{t}: {differing} of {expected.Length} bytes differ (max {maxDiff})");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
