using System.Runtime.Intrinsics.X86;

namespace QuantKernels.Native.Tests;

/// <summary>Runs native/tests/hostile.c (NULL, wrong sizes, stale and wrong-kind handles, corrupt models, the error
/// reporter's va_list) and checks which kernel build the x64 loader chose.</summary>
public sealed class HostileTests
{
    public static TheoryData<string> Targets => NativeTargets.Selected();

    private static string Scratch()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"qk-hostile-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Every_hostile_call_returns_an_error_and_nothing_crashes(string target)
    {
        var (code, stdout, stderr) = NativeTargets.Run(target, "hostile",
            [NativeTargets.Model("mobilenet_v1_0.25_128_quant.tflite"), Scratch(), NativeTargets.Model("face_detection_short_range.tflite")]);
        Assert.True(code == 0, $"hostile exited {code}\n{stdout}\n{stderr}");
        Assert.Matches(@"hostile: \d{3} checks, 0 failed", stdout);
        Assert.Contains("ERROR: TfLiteModelCreate: model_data is NULL", stderr); // the default reporter is stderr
    }

    [Fact]
    public void X64_loader_runs_the_avx2_kernels_on_an_avx2_machine_and_vector128_in_the_v2_build()
    {
        Assert.SkipUnless(NativeTargets.Names.Contains("x64"), "x64 not selected");
        string model = NativeTargets.Model("mobilenet_v1_0.25_128_quant.tflite");
        var (_, best, _) = NativeTargets.Run("x64", "hostile", [model, Scratch()]);
        // The v3 build's AVX2 baseline still checks AVX-VNNI at run time, so a VNNI CPU gets the vpdpbusd conv kernels.
        string expected = Avx2.IsSupported ? (AvxVnni.IsSupported ? "avxvnni" : "avx2") : "vector128";
        Assert.Contains($"kernel path {expected}", best);
        var (code, v2, _) = NativeTargets.Run("x64", "hostile", [model, Scratch()], new Dictionary<string, string> { ["QK_NATIVE_BUILD"] = "v2" });
        Assert.Equal(0, code);
        Assert.Contains("kernel path vector128", v2);
    }
}
