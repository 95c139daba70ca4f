using System.Diagnostics;
using System.Text.RegularExpressions;

namespace QuantKernels.Native.Tests;

/// <summary>quantkernels.h, the x64 loader's forwarding list (loader/exports.inc) and the libraries' dynamic symbols
/// name the same functions.</summary>
public sealed partial class HeaderTests
{
    [Fact]
    public void Header_loader_list_and_library_exports_agree()
    {
        string native = Path.Combine(NativeTargets.RepoRoot, "native");
        var header = ApiFunction().Matches(File.ReadAllText(Path.Combine(native, "include", "quantkernels.h")))
            .Select(m => m.Groups[1].Value).ToHashSet();
        var forwarded = LoaderEntry().Matches(File.ReadAllText(Path.Combine(native, "loader", "exports.inc")))
            .Select(m => m.Groups[1].Value).Append("qk_last_error").ToHashSet();
        Assert.True(header.Count >= 34, $"only {header.Count} functions parsed from the header");
        Assert.Equal(header.Order(), forwarded.Order());

        foreach (string target in NativeTargets.Names)
        {
            string dir = NativeTargets.Dir(target);
            string lib = target == "x64" ? "libquantkernels-v3.so" : "libquantkernels.so";
            var exported = DynamicSymbols(Path.Combine(dir, lib)).Where(s => s != "DotNetRuntimeDebugHeader").ToHashSet();
            Assert.Equal(header.Order(), exported.Order());
            if (target == "x64") Assert.Superset(header, DynamicSymbols(Path.Combine(dir, "libquantkernels.so")).ToHashSet());
        }
    }

    private static IEnumerable<string> DynamicSymbols(string library)
    {
        var psi = new ProcessStartInfo("nm") { ArgumentList = { "-D", "--defined-only", library }, RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        // "0000000000144b90 T TfLiteInterpreterAllocateTensors@@V1.0" -> the name of each text/data symbol.
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' '))
            .Where(f => f.Length == 3 && f[1] is "T" or "D")
            .Select(f => f[2].Split('@')[0])
            .Where(n => !n.StartsWith('_') && n != "V1.0");
    }

    [GeneratedRegex(@"^QK_API\s+[^;(]*?\b(\w+)\s*\(", RegexOptions.Multiline)]
    private static partial Regex ApiFunction();

    [GeneratedRegex(@"^QK_(?:FN\([^,]+,|VOID\()\s*(\w+)", RegexOptions.Multiline)]
    private static partial Regex LoaderEntry();
}
