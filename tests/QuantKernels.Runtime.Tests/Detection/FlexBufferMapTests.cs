using QuantKernels.Runtime.FlexBuffers;

namespace QuantKernels.Runtime.Tests.Detection;

public class FlexBufferMapTests
{
    /// <summary>The custom options of the real post-process op (1-byte slots, as flatc/flexbuffers wrote them).</summary>
    internal static byte[] RealOptions()
    {
        using var model = TfLiteModel.FromFile(TestData.Model(DetectionPostProcessOpTests.RealModel));
        return model.Operators.Single(o => o.CustomCode == "TFLite_Detection_PostProcess").CustomOptions.ToArray();
    }

    [Fact]
    public void Reads_the_real_models_options()
    {
        var map = FlexBufferMap.Parse(RealOptions(), "op");
        Assert.Equal(11, map.Count);
        Assert.True(map.TryGetValue("max_detections", out var v));
        Assert.Equal(FlexBufferValueKind.Int, v.Kind);
        Assert.Equal(20, v.AsInt64());
        Assert.True(map.TryGetValue("use_regular_nms", out v));
        Assert.Equal(FlexBufferValueKind.Bool, v.Kind);
        Assert.False(v.AsBool());
        Assert.True(map.TryGetValue("nms_iou_threshold", out v));
        Assert.Equal(0.6f, (float)v.AsDouble()!.Value);
        Assert.False(map.TryGetValue("nope", out _));
    }

    [Fact]
    public void Writer_round_trips_and_sorts_keys()
    {
        var bytes = new FlexBufferMapWriter().Int("zeta", -5).Float("alpha", 0.1f).Bool("mid", true).Int("big", long.MaxValue).Build();
        var map = FlexBufferMap.Parse(bytes, "op");
        Assert.Equal(["alpha", "big", "mid", "zeta"], map.Keys);
        map.TryGetValue("zeta", out var z);
        Assert.Equal(-5, z.AsInt64());
        map.TryGetValue("alpha", out var a);
        Assert.Equal(0.1f, (float)a.AsDouble()!.Value);
        map.TryGetValue("mid", out var m);
        Assert.True(m.AsBool());
        map.TryGetValue("big", out var b);
        Assert.Equal(long.MaxValue, b.AsInt64());
        Assert.Throws<ArgumentException>(() => new FlexBufferMapWriter().Int("a", 1).Int("a", 2));
    }

    [Fact]
    public void Malformed_buffers_are_model_errors_naming_the_owner()
    {
        var e = Assert.Throws<ModelFormatException>(() => FlexBufferMap.Parse([], "operator 7 (X)"));
        Assert.StartsWith("operator 7 (X)", e.Message);
        // root type int, not a map
        Assert.Throws<ModelFormatException>(() => FlexBufferMap.Parse([5, 1 << 2, 1], "op"));
        // bad root width
        Assert.Throws<ModelFormatException>(() => FlexBufferMap.Parse([0, 0, 0, (9 << 2), 3], "op"));
        var good = RealOptions();
        Assert.Throws<ModelFormatException>(() => FlexBufferMap.Parse(good.AsSpan(1), "op"));
        Assert.Throws<ModelFormatException>(() => FlexBufferMap.Parse(good.AsSpan(0, good.Length - 1), "op"));
    }

    [Fact]
    public void Seeded_mutations_either_parse_or_throw_ModelFormatException()
    {
        var seeds = new[] { RealOptions(), new FlexBufferMapWriter().Int("a", 1).Float("b", 2).Bool("c", true).Build() };
        var rng = new Random(20261125);
        int parsed = 0, rejected = 0;
        for (int n = 0; n < 6000; n++)
        {
            var seed = seeds[n % seeds.Length];
            var bytes = Mutate(seed, rng);
            try
            {
                var map = FlexBufferMap.Parse(bytes, "op");
                foreach (var k in map.Keys) { map.TryGetValue(k, out var v); _ = v.AsInt64(); _ = v.AsDouble(); _ = v.AsBool(); }
                parsed++;
            }
            catch (ModelFormatException) { rejected++; }
        }
        Assert.True(parsed > 100 && rejected > 100, $"parsed {parsed}, rejected {rejected}");
    }

    private static byte[] Mutate(byte[] seed, Random rng)
    {
        var b = new List<byte>(seed);
        int edits = 1 + rng.Next(4);
        for (int e = 0; e < edits && b.Count > 0; e++)
        {
            int i = rng.Next(b.Count);
            switch (rng.Next(6))
            {
                case 0: b[i] = (byte)rng.Next(256); break;
                case 1: b[i] ^= (byte)(1 << rng.Next(8)); break;
                case 2: b.RemoveAt(i); break;
                case 3: b.Insert(i, (byte)rng.Next(256)); break;
                case 4: b[b.Count - 1 - rng.Next(Math.Min(4, b.Count))] = (byte)rng.Next(256); break; // the root trailer
                default: b.RemoveRange(0, Math.Min(b.Count, 1 + rng.Next(8))); break;
            }
        }
        return b.ToArray();
    }
}
