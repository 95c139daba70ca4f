using System.Runtime.InteropServices;
using CsCheck;
using System.Text.Json;
using QuantKernels.Cli.Tests.Support;

namespace QuantKernels.Cli.Tests;

public sealed class RunTests
{
    private static readonly float[] Values = [1.5f, -2f, 3.25f, 0f, 7f, -0.125f];

    private static byte[] FloatBytes(float[] values) => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    [Fact]
    public void Runs_the_tiny_reshape_model_end_to_end()
    {
        using var dir = new TempDir();
        string model = TinyModel.Write(dir);
        Directory.CreateDirectory(dir["in"]);
        File.WriteAllBytes(dir["in/input_0.bin"], FloatBytes(Values));

        var r = Qk.Run("run", model, "--inputs", dir["in"], "--outputs", dir["out"]);

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("", r.Stderr);
        Assert.Matches(@"^qk run: tiny\.tflite invoked in \d+\.\d{3} ms \(xnnpack, 1 thread\); wrote 1 output\(s\) to ", r.Stdout);
        Assert.Single(r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        // RESHAPE [1,2,3] -> [6] keeps the bytes in order.
        Assert.Equal(FloatBytes(Values), File.ReadAllBytes(dir["out/output_0.bin"]));
        Assert.False(File.Exists(dir["out/tensors.json"]));
    }

    [Fact]
    public void Runs_an_int8_model_with_reference_requant_and_two_threads()
    {
        using var dir = new TempDir();
        string model = TinyModel.Write(dir, new TinyModel.Options(tflite.TensorType.INT8, Scale: 0.5f, ZeroPoint: -3));
        Directory.CreateDirectory(dir["in"]);
        byte[] input = [0x80, 0xFF, 0x00, 0x01, 0x7F, 0x42];
        File.WriteAllBytes(dir["in/input_0.bin"], input);

        var r = Qk.Run("run", model, "--inputs", dir["in"], "--outputs", dir["out"], "--requant", "reference", "--threads", "2");

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("(reference, 2 threads)", r.Stdout);
        Assert.Equal(input, File.ReadAllBytes(dir["out/output_0.bin"]));
    }

    [Fact]
    public void All_tensors_writes_every_non_constant_tensor_and_an_index()
    {
        using var dir = new TempDir();
        string model = TinyModel.Write(dir, new TinyModel.Options(Extras: true));
        Directory.CreateDirectory(dir["in"]);
        File.WriteAllBytes(dir["in/input_0.bin"], FloatBytes(Values));

        var r = Qk.Run("run", model, "--inputs", dir["in"], "--outputs", dir["out"], "--all-tensors");

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("and 2 tensor(s)", r.Stdout);
        Assert.Equal(FloatBytes(Values), File.ReadAllBytes(dir["out/tensor_0.bin"]));
        Assert.Equal(FloatBytes(Values), File.ReadAllBytes(dir["out/tensor_2.bin"]));
        Assert.False(File.Exists(dir["out/tensor_1.bin"])); // constant new shape
        Assert.False(File.Exists(dir["out/tensor_3.bin"])); // constant per-axis tensor
        Assert.False(File.Exists(dir["out/tensor_4.bin"])); // activation no operator touches: it has no storage

        using var doc = JsonDocument.Parse(File.ReadAllText(dir["out/tensors.json"]));
        var tensors = doc.RootElement.GetProperty("tensors").EnumerateArray().ToArray();
        Assert.Equal([0, 2], tensors.Select(t => t.GetProperty("index").GetInt32()));
        Assert.Equal("output", tensors[1].GetProperty("name").GetString());
        Assert.Equal("float32", tensors[1].GetProperty("type").GetString());
        Assert.Equal([6], tensors[1].GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("tensor_2.bin", tensors[1].GetProperty("file").GetString());
        Assert.Equal(0f, tensors[1].GetProperty("scale").GetSingle());
        Assert.Equal(0, tensors[1].GetProperty("zeroPoint").GetInt64());
    }

    [Fact]
    public void Missing_input_file_is_one_line_naming_the_file_and_size()
    {
        using var dir = new TempDir();
        string model = TinyModel.Write(dir);
        Directory.CreateDirectory(dir["in"]);

        var r = Qk.Run("run", model, "--inputs", dir["in"], "--outputs", dir["out"]);

        string line = r.AssertOneLineError(1);
        Assert.Contains(dir["in/input_0.bin"], line);
        Assert.Contains("not found", line);
        Assert.Contains("24 bytes", line);
        Assert.Contains("float32[1,2,3]", line);
        Assert.False(Directory.Exists(dir["out"]));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(25)]
    [InlineData(0)]
    public void Wrongly_sized_input_is_one_line_with_expected_and_actual_size(int size)
    {
        using var dir = new TempDir();
        string model = TinyModel.Write(dir);
        Directory.CreateDirectory(dir["in"]);
        File.WriteAllBytes(dir["in/input_0.bin"], new byte[size]);

        var r = Qk.Run("run", model, "--inputs", dir["in"], "--outputs", dir["out"]);

        string line = r.AssertOneLineError(1);
        Assert.Contains(dir["in/input_0.bin"], line);
        Assert.Contains($"has {size} bytes", line);
        Assert.Contains("needs exactly 24", line);
    }

    [Fact]
    public void Missing_model_is_one_line()
    {
        using var dir = new TempDir();
        var r = Qk.Run("run", dir["nope.tflite"], "--inputs", dir.Path, "--outputs", dir["out"]);

        string line = r.AssertOneLineError(1);
        Assert.Contains("model file not found", line);
        Assert.Contains(dir["nope.tflite"], line);
    }

    [Fact]
    public void Missing_inputs_directory_is_one_line()
    {
        using var dir = new TempDir();
        string model = TinyModel.Write(dir);

        var r = Qk.Run("run", model, "--inputs", dir["missing"], "--outputs", dir["out"]);

        Assert.Contains(dir["missing"], r.AssertOneLineError(1));
    }

    public static TheoryData<string> CorruptionKinds => ["random", "truncated", "empty", "text", "bad-version"];

    [Theory]
    [MemberData(nameof(CorruptionKinds))]
    public void Corrupt_model_bytes_are_one_line(string kind)
    {
        using var dir = new TempDir();
        byte[] valid = TinyModel.Build();
        byte[] bytes = kind switch
        {
            "random" => RandomBytes(300, seed: 7),
            "truncated" => valid[..(valid.Length / 2)],
            "empty" => [],
            "text" => "this is not a flatbuffer, just some text in a file"u8.ToArray(),
            _ => BadVersion(valid),
        };
        string model = dir["corrupt.tflite"];
        File.WriteAllBytes(model, bytes);
        Directory.CreateDirectory(dir["in"]);
        File.WriteAllBytes(dir["in/input_0.bin"], new byte[24]);

        var run = Qk.Run("run", model, "--inputs", dir["in"], "--outputs", dir["out"]);
        var inspect = Qk.Run("inspect", model);

        Assert.Contains(model, run.AssertOneLineError(1));
        Assert.Contains(model, inspect.AssertOneLineError(1));
        Assert.DoesNotContain("internal error", run.Stderr);
    }

    [Fact]
    public void Unsupported_operator_is_one_line_naming_it()
    {
        using var dir = new TempDir();
        string model = TinyModel.Write(dir, new TinyModel.Options(CustomOp: TinyModel.UnsupportedCustomOp));
        Directory.CreateDirectory(dir["in"]);
        File.WriteAllBytes(dir["in/input_0.bin"], new byte[24]);

        var r = Qk.Run("run", model, "--inputs", dir["in"], "--outputs", dir["out"]);

        string line = r.AssertOneLineError(1);
        Assert.Contains($"does not support {TinyModel.UnsupportedCustomOp} v1 (op 0)", line);
    }

    [Theory]
    [InlineData("--requant", "fast", "--requant must be 'xnnpack' or 'reference', not 'fast'")]
    [InlineData("--threads", "0", "--threads must be at least 1, not 0")]
    [InlineData("--threads", "two", "'two'")]
    public void Bad_option_values_are_usage_errors(string option, string value, string expected)
    {
        using var dir = new TempDir();
        string model = TinyModel.Write(dir);

        var r = Qk.Run("run", model, "--inputs", dir.Path, "--outputs", dir["out"], option, value);

        string line = r.AssertOneLineError(2);
        Assert.Contains(expected, line);
        Assert.EndsWith("(see 'qk run --help')", line);
    }

    [Fact]
    public void Missing_required_options_are_usage_errors()
    {
        var r = Qk.Run("run", "model.tflite");

        string line = r.AssertOneLineError(2);
        Assert.Contains("--inputs", line);
        Assert.Contains("--outputs", line);
    }

    /// <summary>Flipping bytes of a valid model must never crash qk: it runs, or fails with one line (property test).</summary>
    [Fact]
    public void Byte_flipped_models_never_crash()
    {
        using var dir = new TempDir();
        byte[] valid = TinyModel.Build(new TinyModel.Options(Extras: true));
        Directory.CreateDirectory(dir["in"]);
        File.WriteAllBytes(dir["in/input_0.bin"], new byte[24]);

        // CsCheck samples on several threads: every sample gets its own model file and output directory.
        Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Byte).Array[1, 4].Sample(flips =>
        {
            var bytes = (byte[])valid.Clone();
            foreach (var (at, value) in flips) bytes[at] = value;
            string id = Guid.NewGuid().ToString("N");
            string model = dir[$"flipped-{id}.tflite"];
            File.WriteAllBytes(model, bytes);
            foreach (var args in new[] { new[] { "inspect", model, "--json" }, ["run", model, "--inputs", dir["in"], "--outputs", dir[$"out-{id}"]] })
            {
                var r = Qk.Run(args);
                if (r.ExitCode == 0) continue;
                r.AssertOneLineError(1);
                Assert.DoesNotContain("internal error", r.Stderr);
            }
        }, iter: 300);
    }

    private static byte[] RandomBytes(int n, int seed)
    {
        var b = new byte[n];
        new Random(seed).NextBytes(b);
        return b;
    }

    private static byte[] BadVersion(byte[] valid)
    {
        // Re-read the root table's version field position through the generated reader, then corrupt it.
        var bytes = (byte[])valid.Clone();
        var m = tflite.Model.GetRootAsModel(new Google.FlatBuffers.ByteBuffer(bytes));
        Assert.Equal(3u, m.Version);
        int root = BitConverter.ToInt32(bytes, 0);
        int vtable = root - BitConverter.ToInt32(bytes, root);
        int fieldOffset = BitConverter.ToInt16(bytes, vtable + 4); // field 0 (version)
        BitConverter.GetBytes(7u).CopyTo(bytes, root + fieldOffset);
        Assert.Equal(7u, tflite.Model.GetRootAsModel(new Google.FlatBuffers.ByteBuffer(bytes)).Version);
        return bytes;
    }
}
