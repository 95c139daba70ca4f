using System.Runtime.InteropServices;

namespace QuantKernels.Runtime.Tests;

/// <summary>The ops vectorized in the hot-ops pass (resize, argmax, PRELU, float binary ops, max pool, dequantize, float RELU-like activations) run on
/// the dispatched path in real models, and forcing the scalar path gives the same outputs: bit for bit for the int8
/// model; within float rounding for the float ones (their float convolutions use fused multiply-adds on vector paths).</summary>
public class VectorizedOpsPathTests
{
    [Theory]
    [InlineData("deeplabv3_mnv2_dm05_pascal_quant.tflite", "RESIZE_BILINEAR ARG_MAX")]
    [InlineData("palm_detection_lite.tflite", "PRELU ADD MAX_POOL_2D RESIZE_BILINEAR")]
    [InlineData("face_detection_short_range.tflite", "ADD MAX_POOL_2D RELU")]
    public void Ops_take_the_dispatched_path_and_equal_the_scalar_path(string file, string mustSee)
    {
        using var model = TfLiteModel.FromFile(TestData.Model(file));
        var expected = Kernels.Dispatch.Select(null);
        var seen = new HashSet<string>();
        byte[] vector = Run(model, null, expected, seen, out bool floats);
        foreach (var op in mustSee.Split(' ')) Assert.Contains(op, seen);
        // The forced-scalar run is whole models on scalar convolutions: too slow under qemu, where CI runs ARM64; the
        // kernels' own sweeps (tests/QuantKernels.Kernels.Tests/HotOps) cover the ARM64 paths against the scalar ones.
        if (RuntimeInformation.ProcessArchitecture == Architecture.Arm64) return;
        byte[] scalar = Run(model, Kernels.IsaPath.Scalar, Kernels.IsaPath.Scalar, null, out _);
        if (!floats)
        {
            Assert.Equal(scalar, vector);
            return;
        }
        float[] a = MemoryMarshal.Cast<byte, float>(scalar).ToArray(), b = MemoryMarshal.Cast<byte, float>(vector).ToArray();
        float scale = a.Where(float.IsFinite).Select(Math.Abs).DefaultIfEmpty(1f).Max();
        for (int i = 0; i < a.Length; i++)
            Assert.True(Math.Abs(a[i] - b[i]) <= 1e-3f * scale, $"output element {i}: scalar {a[i]}, vector {b[i]}");
    }

    private static byte[] Run(TfLiteModel model, Kernels.IsaPath? force, Kernels.IsaPath expected, HashSet<string>? seen, out bool floats)
    {
        using var interp = new Interpreter(model, new InterpreterOptions { IsaPath = force });
        interp.AllocateTensors();
        for (int i = 0; i < model.Operators.Count; i++)
        {
            (string? Name, Kernels.IsaPath? Path) kernel = interp.KernelOf(i) switch
            {
                Ops.ResizeBilinearOp r => ("RESIZE_BILINEAR", r.Path),
                Ops.ArgMinMaxOp a => ("ARG_MAX", a.Path),
                Ops.PreluOp p => ("PRELU", p.Path),
                Ops.BinaryOp b => ("ADD", b.FloatPath),
                Ops.Pool2DOp p => ("MAX_POOL_2D", p.Path),
                Ops.DequantizeOp d => ("DEQUANTIZE", d.Path),
                Ops.UnaryOp u => ("RELU", u.Path),
                _ => (null, null),
            };
            var (name, path) = kernel;
            if (name is null) continue;
            Assert.True(path == expected, $"{model.Operators[i]}: {path}, expected {expected}");
            seen?.Add(name);
        }
        var input = interp.GetInputTensor(0);
        var bytes = input.AsSpan<byte>();
        for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)(i * 37 % 251);
        if (input.Type == TensorType.Float32)
        {
            var f = input.AsSpan<float>();
            for (int i = 0; i < f.Length; i++) f[i] = (i * 37 % 251) / 125f - 1;
        }
        interp.Invoke();
        var output = new List<byte>();
        floats = true;
        for (int k = 0; k < interp.OutputCount; k++)
        {
            output.AddRange(interp.GetOutputTensor(k).AsSpan<byte>().ToArray());
            floats &= interp.GetOutputTensor(k).Type == TensorType.Float32;
        }
        return [.. output];
    }
}
