using QuantKernels.OracleProbes;
using QuantKernels.Runtime;

// Usage:
//   OracleProbes write OUTDIR [FILTER]  - writes OUTDIR/<case>/model.tflite and input_<i>.bin for every case
//   OracleProbes check CASEDIR          - exit 1 unless every output_<i>.bin has the byte size the model declares
if (args.Length >= 2 && args[0] == "write")
{
    string outDir = args[1];
    string? filter = args.Length > 2 ? args[2] : null;
    var names = new HashSet<string>();
    int written = 0;
    foreach (var (name, fill) in Cases.Build())
    {
        if (!names.Add(name)) throw new InvalidOperationException($"duplicate case name {name}");
        if (filter is not null && !name.Contains(filter, StringComparison.Ordinal)) continue;
        var c = new ProbeCase(name);
        fill(c);
        var (model, inputs) = c.Build();
        string dir = Path.Combine(outDir, name);
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, "model.tflite"), model);
        for (int i = 0; i < inputs.Count; i++) File.WriteAllBytes(Path.Combine(dir, $"input_{i}.bin"), inputs[i]);
        written++;
    }
    Console.WriteLine($"wrote {written} cases to {outDir}");
    return 0;
}
if (args.Length == 2 && args[0] == "check")
{
    using var model = TfLiteModel.FromFile(Path.Combine(args[1], "model.tflite"));
    for (int i = 0; i < model.Outputs.Count; i++)
    {
        var t = model.Tensors[model.Outputs[i]];
        long n = 1; foreach (int d in t.Shape) n *= d;
        long expected = n * TensorTypes.ElementSize(t.Type);
        string file = Path.Combine(args[1], $"output_{i}.bin");
        if (!File.Exists(file)) { Console.Error.WriteLine($"output {i} ({t.Type}) missing"); return 1; }
        long actual = new FileInfo(file).Length;
        if (actual != expected) { Console.Error.WriteLine($"output {i}: {actual} bytes, model declares [{string.Join(",", t.Shape)}] {t.Type} = {expected}"); return 1; }
    }
    return 0;
}
Console.Error.WriteLine("usage: OracleProbes write OUTDIR [FILTER] | check CASEDIR");
return 2;
