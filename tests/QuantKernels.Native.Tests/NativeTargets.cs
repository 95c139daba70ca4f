using System.Diagnostics;

namespace QuantKernels.Native.Tests;

/// <summary>
/// Where the native build is and how to run its programs: "x64" runs them directly, "arm64" under
/// qemu-aarch64-static. QK_NATIVE_TARGETS (default "x64") lists the targets to test; QK_NATIVE_X64_DIR /
/// QK_NATIVE_ARM64_DIR override out/native/linux-x64 / linux-arm64; QK_QEMU_SYSROOT the arm64 libc for qemu -L.
/// </summary>
internal static class NativeTargets
{
    /// <summary>The repository root (the folder holding QuantKernels.slnx).</summary>
    public static string RepoRoot { get; } = FindRoot();

    /// <summary>The targets to test (QK_NATIVE_TARGETS, default "x64").</summary>
    public static IReadOnlyList<string> Names { get; } =
        (Environment.GetEnvironmentVariable("QK_NATIVE_TARGETS") ?? "x64")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Targets to test, as theory data.</summary>
    public static TheoryData<string> Selected() => new(Names);

    /// <summary>Full path of a real model.</summary>
    public static string Model(string file) => Path.Combine(RepoRoot, "testdata", "models", file);

    /// <summary>The folder holding libquantkernels.so and the C programs for <paramref name="target"/>.</summary>
    public static string Dir(string target)
    {
        string dir = target switch
        {
            "x64" => Environment.GetEnvironmentVariable("QK_NATIVE_X64_DIR") ?? Path.Combine(RepoRoot, "out", "native", "linux-x64"),
            "arm64" => Environment.GetEnvironmentVariable("QK_NATIVE_ARM64_DIR") ?? Path.Combine(RepoRoot, "out", "native", "linux-arm64"),
            _ => throw new ArgumentException($"unknown target '{target}' (x64 or arm64)"),
        };
        if (!File.Exists(Path.Combine(dir, "libquantkernels.so")))
            throw new InvalidOperationException($"{dir}/libquantkernels.so not found: run native/build.sh {target} first");
        return dir;
    }

    /// <summary>Runs C program <paramref name="program"/> of <paramref name="target"/>; returns (exit code, stdout, stderr).</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string target, string program, IEnumerable<string> args,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        string exe = Path.Combine(Dir(target), program);
        var psi = target == "arm64"
            ? new ProcessStartInfo("qemu-aarch64-static") { ArgumentList = { "-L", Environment.GetEnvironmentVariable("QK_QEMU_SYSROOT") ?? "/usr/aarch64-linux-gnu", exe } }
            : new ProcessStartInfo(exe);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        if (environment is not null) foreach (var (k, v) in environment) psi.Environment[k] = v;
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {exe}");
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5))) { p.Kill(true); throw new TimeoutException($"{program} ({target}) ran over 5 minutes"); }
        return (p.ExitCode, stdout, stderr.Result);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "QuantKernels.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException($"QuantKernels.slnx not found above {AppContext.BaseDirectory}");
    }
}
