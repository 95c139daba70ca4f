using System.Text.Json;
using QuantKernels.Cli.Tests.Support;

namespace QuantKernels.Cli.Tests;

public sealed class InspectTests
{
    [Fact]
    public void Text_describes_the_tiny_reshape_model()
    {
        using var dir = new TempDir();
        string model = TinyModel.Write(dir);

        var r = Qk.Run("inspect", model);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stderr);
        Assert.Contains($"model: {model}", r.Stdout);
        Assert.Contains("schema version 3, 1 subgraph(s), 3 tensors, 1 operators", r.Stdout);
        Assert.Contains("description: qk cli test model", r.Stdout);
        Assert.Contains("weight bytes: 4", r.Stdout);
        Assert.Matches(@"arena bytes: [\d,]+\n", r.Stdout);
        Assert.Contains("[0] tensor 0 'input' float32[1,2,3]  q: none", r.Stdout);
        Assert.Contains("[0] tensor 2 'output' float32[6]  q: none", r.Stdout);
        Assert.Contains("[0] RESHAPE v1  in [0,1] out [2]\n", r.Stdout); // supported: no UNSUPPORTED marker
        Assert.Contains("[1] 'new_shape' int32[1]  q: none  const 4 B", r.Stdout);
        Assert.DoesNotContain("UNSUPPORTED", r.Stdout);
    }

    [Fact]
    public void Json_describes_the_tiny_reshape_model()
    {
        using var dir = new TempDir();
        string model = TinyModel.Write(dir);

        var r = Qk.Run("inspect", model, "--json");

        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Stdout);
        var root = doc.RootElement;
        Assert.Equal(1, root.GetProperty("formatVersion").GetInt32());
        Assert.Equal(model, root.GetProperty("model").GetString());
        Assert.Equal(3, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("qk cli test model", root.GetProperty("description").GetString());
        Assert.Equal(1, root.GetProperty("subgraphCount").GetInt32());
        Assert.Equal(4, root.GetProperty("weightBytes").GetInt64());
        // Input (24 B) and output (24 B) are both alive while RESHAPE runs, so the arena holds at least both.
        Assert.True(root.GetProperty("arenaBytes").GetInt64() >= 48);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("arenaError").ValueKind);
        Assert.Equal(0, root.GetProperty("foldedConstantBytes").GetInt64()); // RESHAPE of a graph input is not constant
        Assert.Equal(0, root.GetProperty("unsupportedOperators").GetArrayLength());

        var input = root.GetProperty("inputs")[0];
        Assert.Equal(0, input.GetProperty("tensor").GetInt32());
        Assert.Equal("float32", input.GetProperty("type").GetString());
        Assert.Equal([1, 2, 3], Ints(input.GetProperty("shape")));
        Assert.Equal(JsonValueKind.Null, input.GetProperty("quantization").ValueKind);

        var op = root.GetProperty("operators")[0];
        Assert.Equal("RESHAPE", op.GetProperty("op").GetString());
        Assert.Equal(22, op.GetProperty("builtinCode").GetInt32()); // BuiltinOperator_RESHAPE in schema.fbs
        Assert.Equal(1, op.GetProperty("version").GetInt32());
        Assert.Equal([0, 1], Ints(op.GetProperty("inputs")));
        Assert.Equal([2], Ints(op.GetProperty("outputs")));
        Assert.True(op.GetProperty("supported").GetBoolean());

        var tensors = root.GetProperty("tensors");
        Assert.Equal(3, tensors.GetArrayLength());
        Assert.Equal(4, tensors[1].GetProperty("constantBytes").GetInt64());
        Assert.Equal(0, tensors[0].GetProperty("constantBytes").GetInt64());
    }

    [Fact]
    public void Quantization_is_summarized_per_tensor_and_per_axis()
    {
        using var dir = new TempDir();
        string model = TinyModel.Write(dir, new TinyModel.Options(tflite.TensorType.INT8, Scale: 0.5f, ZeroPoint: -3, Extras: true));

        var text = Qk.Run("inspect", model);
        var json = Qk.Run("inspect", model, "--json");

        Assert.Equal(0, text.ExitCode);
        Assert.Contains("[0] tensor 0 'input' int8[1,2,3]  q: scale=0.5 zp=-3", text.Stdout);
        Assert.Contains("[3] 'per_axis_const' int8[2,3]  q: per-axis axis=1 scales=3 first scale=0.25 zp=0  const 6 B", text.Stdout);
        Assert.Contains("weight bytes: 10", text.Stdout);

        Assert.Equal(0, json.ExitCode);
        using var doc = JsonDocument.Parse(json.Stdout);
        var q = doc.RootElement.GetProperty("tensors")[3].GetProperty("quantization");
        Assert.True(q.GetProperty("perAxis").GetBoolean());
        Assert.Equal(3, q.GetProperty("scaleCount").GetInt32());
        Assert.Equal(0.25f, q.GetProperty("scale").GetSingle());
        Assert.Equal(1, q.GetProperty("axis").GetInt32());
        var io = doc.RootElement.GetProperty("outputs")[0].GetProperty("quantization");
        Assert.False(io.GetProperty("perAxis").GetBoolean());
        Assert.Equal(0.5f, io.GetProperty("scale").GetSingle());
        Assert.Equal(-3, io.GetProperty("zeroPoint").GetInt64());
    }

    [Fact]
    public void Unsupported_operators_are_listed_and_the_arena_is_unknown()
    {
        using var dir = new TempDir();
        string model = TinyModel.Write(dir, new TinyModel.Options(CustomOp: TinyModel.UnsupportedCustomOp));

        var text = Qk.Run("inspect", model);
        var json = Qk.Run("inspect", model, "--json");

        Assert.Equal(0, text.ExitCode);
        Assert.Contains($"[0] {TinyModel.UnsupportedCustomOp} v1  in [0,1] out [2]  UNSUPPORTED", text.Stdout);
        Assert.Contains("arena bytes: unknown (1 unsupported operator kind(s))", text.Stdout);
        Assert.Contains($"unsupported operators: {TinyModel.UnsupportedCustomOp} v1 (op 0)", text.Stdout);

        Assert.Equal(0, json.ExitCode);
        using var doc = JsonDocument.Parse(json.Stdout);
        var root = doc.RootElement;
        Assert.Equal(JsonValueKind.Null, root.GetProperty("arenaBytes").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("foldedConstantBytes").ValueKind);
        Assert.Equal("1 unsupported operator kind(s)", root.GetProperty("arenaError").GetString());
        Assert.Equal($"{TinyModel.UnsupportedCustomOp} v1 (op 0)", root.GetProperty("unsupportedOperators")[0].GetString());
        var op = root.GetProperty("operators")[0];
        Assert.Equal(TinyModel.UnsupportedCustomOp, op.GetProperty("op").GetString());
        Assert.Equal(TinyModel.UnsupportedCustomOp, op.GetProperty("customCode").GetString());
        Assert.Equal(32, op.GetProperty("builtinCode").GetInt32()); // BuiltinOperator_CUSTOM
        Assert.False(op.GetProperty("supported").GetBoolean());
    }

    public static TheoryData<string> SharedModelNames => SharedModels.All();

    [Theory]
    [MemberData(nameof(SharedModelNames))]
    public void Every_shared_model_is_described_consistently_in_text_and_json(string name)
    {
        string model = SharedModels.Get(name);

        var text = Qk.Run("inspect", model);
        var json = Qk.Run("inspect", model, "--json");

        Assert.True(text.ExitCode == 0, text.Stderr);
        Assert.True(json.ExitCode == 0, json.Stderr);
        using var doc = JsonDocument.Parse(json.Stdout);
        var root = doc.RootElement;
        int tensorCount = root.GetProperty("tensorCount").GetInt32();
        int operatorCount = root.GetProperty("operatorCount").GetInt32();
        Assert.Equal(tensorCount, root.GetProperty("tensors").GetArrayLength());
        Assert.Equal(operatorCount, root.GetProperty("operators").GetArrayLength());
        Assert.Contains($"operators ({operatorCount}):", text.Stdout);
        Assert.Contains($"tensors ({tensorCount}):", text.Stdout);

        // Operator and tensor indexes are positions; every referenced tensor exists.
        int i = 0;
        foreach (var op in root.GetProperty("operators").EnumerateArray())
        {
            Assert.Equal(i++, op.GetProperty("index").GetInt32());
            foreach (int t in Ints(op.GetProperty("inputs")).Concat(Ints(op.GetProperty("outputs"))))
                Assert.InRange(t, -1, tensorCount - 1);
        }

        // The arena is known exactly when no error is reported; unsupported operators always mean an unknown arena.
        bool arenaKnown = root.GetProperty("arenaBytes").ValueKind == JsonValueKind.Number;
        Assert.Equal(arenaKnown, root.GetProperty("arenaError").ValueKind == JsonValueKind.Null);
        bool allSupported = root.GetProperty("operators").EnumerateArray().All(op => op.GetProperty("supported").GetBoolean());
        Assert.Equal(allSupported, root.GetProperty("unsupportedOperators").GetArrayLength() == 0);
        if (!allSupported) Assert.False(arenaKnown);

        // Weights: the model total is at least the largest constant tensor.
        long maxConst = root.GetProperty("tensors").EnumerateArray().Max(t => t.GetProperty("constantBytes").GetInt64());
        Assert.True(root.GetProperty("weightBytes").GetInt64() >= maxConst);
    }

    [Fact]
    public void Split_concat_io_matches_the_file()
    {
        // Facts from shared/models/README.md: uint8 SPLIT + CONCATENATION, three inputs.
        var r = Qk.Run("inspect", SharedModels.Get("split_concat.tflite"), "--json");

        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Stdout);
        var root = doc.RootElement;
        Assert.Equal(3, root.GetProperty("inputs").GetArrayLength());
        var ops = root.GetProperty("operators").EnumerateArray().Select(o => o.GetProperty("op").GetString()).ToArray();
        Assert.Contains("SPLIT", ops);
        Assert.Contains("CONCATENATION", ops);
        foreach (var input in root.GetProperty("inputs").EnumerateArray())
            Assert.Equal("uint8", input.GetProperty("type").GetString());
    }

    [Fact]
    public void Micro_speech_has_per_channel_depthwise_weights_and_a_softmax_output()
    {
        // README: int8 per-channel depthwise, FC, SOFTMAX. A quantized TFLite SOFTMAX output is int8 with scale 1/256, zp -128.
        var r = Qk.Run("inspect", SharedModels.Get("micro_speech_quantized.tflite"), "--json");

        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Stdout);
        var root = doc.RootElement;
        var output = root.GetProperty("outputs")[0];
        Assert.Equal("int8", output.GetProperty("type").GetString());
        Assert.Equal(1f / 256, output.GetProperty("quantization").GetProperty("scale").GetSingle());
        Assert.Equal(-128, output.GetProperty("quantization").GetProperty("zeroPoint").GetInt64());

        var ops = root.GetProperty("operators").EnumerateArray().ToArray();
        var depthwise = ops.Single(o => o.GetProperty("op").GetString() == "DEPTHWISE_CONV_2D");
        int weights = depthwise.GetProperty("inputs")[1].GetInt32();
        var w = root.GetProperty("tensors")[weights];
        var q = w.GetProperty("quantization");
        Assert.True(q.GetProperty("perAxis").GetBoolean());
        int axis = q.GetProperty("axis").GetInt32();
        Assert.Equal(3, axis); // depthwise filters are [1, H, W, C] quantized along the channel axis
        Assert.Equal(Ints(w.GetProperty("shape"))[axis], q.GetProperty("scaleCount").GetInt32());
        Assert.True(w.GetProperty("constantBytes").GetInt64() > 0);
    }

    [Fact]
    public void Mobilenet_v1_io_shapes()
    {
        var r = Qk.Run("inspect", SharedModels.Get("mobilenet_v1_0.25_128_quant.tflite"));

        Assert.Equal(0, r.ExitCode);
        Assert.Matches(@"inputs \(1\):\n  \[0\] tensor \d+ '[^']*' uint8\[1,128,128,3\]  q: scale=", r.Stdout);
        Assert.Matches(@"outputs \(1\):\n  \[0\] tensor \d+ '[^']*' uint8\[1,1001\]", r.Stdout);
    }

    private static int[] Ints(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetInt32())];
}
