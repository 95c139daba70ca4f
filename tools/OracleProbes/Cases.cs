using System.Runtime.InteropServices;
using Google.FlatBuffers;
using QuantKernels.Runtime;
using BO = tflite.BuiltinOperator;
using Act = tflite.ActivationFunctionType;
using OW = QuantKernels.Runtime.Writing.TfliteWriter.OptionsWriter;

namespace QuantKernels.OracleProbes;

/// <summary>Every probe case: a name and a function that fills a <see cref="ProbeCase"/>.</summary>
internal static class Cases
{
    private static readonly List<(string Name, Action<ProbeCase> Fill)> All = [];

    private static void Case(string name, Action<ProbeCase> fill) => All.Add((name, fill));

    // Activation quantization used by most int8/uint8 cases; the second input and the output differ on purpose.
    private static readonly Q I8a = Q.I8(0.05f, -3), I8b = Q.I8(0.03f, 10), I8o = Q.I8(0.08f, -5);
    private static readonly Q U8a = Q.U8(0.05f, 128), U8b = Q.U8(0.03f, 120), U8o = Q.U8(0.08f, 130);

    private static string T(Q q) => q.Type switch
    {
        TensorType.Float32 => "f32", TensorType.Int8 => "int8", TensorType.UInt8 => "uint8", TensorType.Int32 => "int32",
        _ => q.Type.ToString().ToLowerInvariant(),
    };

    private static readonly int[] S4 = [1, 4, 4, 3];

    public static IReadOnlyList<(string Name, Action<ProbeCase> Fill)> Build()
    {
        All.Clear();
        Binary();
        Unary();
        Softmax();
        QuantizeDequantizeCast();
        AllValues();
        Pooling();
        Reductions();
        Shuffles();
        Resize();
        Convolutions();
        return All;
    }

    // ---------------------------------------------------------------- elementwise binary
    private static OW? BinOpts(BO code, Act act) => code switch
    {
        BO.ADD => b => (tflite.BuiltinOptions.AddOptions, tflite.AddOptions.CreateAddOptions(b, act).Value),
        BO.SUB => b => (tflite.BuiltinOptions.SubOptions, tflite.SubOptions.CreateSubOptions(b, act).Value),
        BO.MUL => b => (tflite.BuiltinOptions.MulOptions, tflite.MulOptions.CreateMulOptions(b, act).Value),
        BO.DIV => b => (tflite.BuiltinOptions.DivOptions, tflite.DivOptions.CreateDivOptions(b, act).Value),
        _ => null,
    };

    private static void Bin(string name, BO code, Q qa, Q qb, Q qo, int[] sa, int[] sb, int[] so, Act act = Act.NONE)
        => Case(name, c =>
        {
            int a = c.In(qa, sa), b = c.In(qb, sb);
            int o = c.Out(qo, so);
            c.Op(code, [a, b], [o], BinOpts(code, act));
        });

    private static void Binary()
    {
        (string, int[], int[])[] shapes =
        [
            ("same", S4, S4), ("broadcast", S4, [1, 1, 1, 3]), ("vector", S4, [3]), ("scalar", S4, []),
        ];
        foreach (var code in new[] { BO.ADD, BO.SUB, BO.MUL, BO.MAXIMUM, BO.MINIMUM })
        {
            string op = code.ToString().ToLowerInvariant();
            bool sameQ = code is BO.MAXIMUM or BO.MINIMUM;
            foreach (var (sn, sa, sb) in shapes)
            {
                Bin($"{op}_f32_{sn}", code, Q.F32, Q.F32, Q.F32, sa, sb, S4);
                Bin($"{op}_int8_{sn}", code, I8a, sameQ ? I8a : I8b, sameQ ? I8a : (code == BO.MUL ? Q.I8(0.1f, 2) : I8o), sa, sb, S4);
                Bin($"{op}_uint8_{sn}", code, U8a, sameQ ? U8a : U8b, sameQ ? U8a : (code == BO.MUL ? Q.U8(0.1f, 125) : U8o), sa, sb, S4);
            }
        }
        // Broadcasting the other way round (the first input is the small one).
        Bin("sub_int8_broadcast_first", BO.SUB, I8b, I8a, I8o, [1, 1, 1, 3], S4, S4);
        Bin("sub_f32_broadcast_first", BO.SUB, Q.F32, Q.F32, Q.F32, [1, 1, 1, 3], S4, S4);
        // Fused activations.
        Bin("add_int8_relu6", BO.ADD, I8a, I8b, Q.I8(0.03f, -128), S4, S4, S4, Act.RELU6);
        Bin("add_uint8_relu", BO.ADD, U8a, U8b, Q.U8(0.04f, 0), S4, S4, S4, Act.RELU);
        Bin("add_f32_relu6", BO.ADD, Q.F32, Q.F32, Q.F32, S4, S4, S4, Act.RELU6);
        Bin("mul_int8_relu6", BO.MUL, I8a, I8b, Q.I8(0.03f, -128), S4, S4, S4, Act.RELU6);
        Bin("sub_uint8_relu_n1_to_1", BO.SUB, U8a, U8b, Q.U8(1f / 128, 128), S4, S4, S4, Act.RELU_N1_TO_1);
        // ADD/SUB/MUL scale setups: equal scales, output much finer than inputs (saturates), output much coarser.
        Bin("add_int8_equal_scales", BO.ADD, I8a, I8a, I8a, S4, S4, S4);
        Bin("add_int8_fine_output", BO.ADD, Q.I8(0.1f, 0), Q.I8(0.1f, 0), Q.I8(0.01f, 0), S4, S4, S4);
        Bin("add_uint8_coarse_output", BO.ADD, Q.U8(0.01f, 100), Q.U8(0.02f, 140), Q.U8(0.5f, 128), S4, S4, S4);
        Bin("mul_int8_fine_output", BO.MUL, I8a, I8b, Q.I8(0.002f, 0), S4, S4, S4);
        Bin("mul_int8_coarse_output", BO.MUL, I8a, I8b, Q.I8(0.5f, -20), S4, S4, S4);
        Bin("mul_uint8_equal_scales", BO.MUL, U8a, U8a, U8a, S4, S4, S4);
        Bin("mul_uint8_fine_output", BO.MUL, Q.U8(0.02f, 128), Q.U8(0.02f, 128), Q.U8(0.001f, 128), S4, S4, S4);
        Bin("sub_int8_equal_scales", BO.SUB, I8a, I8a, I8a, S4, S4, S4);
        Bin("maximum_int8_broadcast_rank3", BO.MAXIMUM, I8a, I8a, I8a, [4, 4, 3], [4, 1, 3], [4, 4, 3]);

        Case("div_f32_same", c => { int a = c.In(Q.F32, S4); int b = c.InNonZero(S4, 0.25f, 4); c.Op(BO.DIV, [a, b], [c.Out(Q.F32, S4)], BinOpts(BO.DIV, Act.NONE)); });
        Case("div_f32_broadcast", c => { int a = c.In(Q.F32, S4); int b = c.InNonZero([1, 1, 1, 3], 0.25f, 4); c.Op(BO.DIV, [a, b], [c.Out(Q.F32, S4)], BinOpts(BO.DIV, Act.NONE)); });
        Case("div_f32_scalar_relu", c => { int a = c.In(Q.F32, S4); int b = c.InNonZero([], 0.25f, 4); c.Op(BO.DIV, [a, b], [c.Out(Q.F32, S4)], BinOpts(BO.DIV, Act.RELU)); });
        Case("floor_div_f32_same", c => { int a = c.In(Q.F32, S4, -10, 10); int b = c.InNonZero(S4, 0.5f, 4); c.Op(BO.FLOOR_DIV, [a, b], [c.Out(Q.F32, S4)]); });
        Case("floor_div_f32_broadcast", c => { int a = c.In(Q.F32, S4, -10, 10); int b = c.InNonZero([3], 0.5f, 4); c.Op(BO.FLOOR_DIV, [a, b], [c.Out(Q.F32, S4)]); });
        Case("floor_div_int32_same", c => { int a = c.In(Q.I32, S4, -100, 100); int b = c.InNonZeroI32(S4, 1, 9); c.Op(BO.FLOOR_DIV, [a, b], [c.Out(Q.I32, S4)]); });
        Case("floor_div_int32_broadcast", c => { int a = c.In(Q.I32, S4, -100, 100); int b = c.InNonZeroI32([1, 1, 1, 3], 1, 9); c.Op(BO.FLOOR_DIV, [a, b], [c.Out(Q.I32, S4)]); });
    }

    // ---------------------------------------------------------------- elementwise unary
    private static void Un(string name, BO code, Q qi, Q qo, OW? opts = null, float lo = -8, float hi = 8, int[]? shape = null, int[]? outShape = null)
        => Case(name, c =>
        {
            var s = shape ?? S4;
            int i = c.In(qi, s, lo, hi);
            c.Op(code, [i], [c.Out(qo, outShape ?? s)], opts);
        });

    private static void Unary()
    {
        OW leaky = b => (tflite.BuiltinOptions.LeakyReluOptions, tflite.LeakyReluOptions.CreateLeakyReluOptions(b, 0.2f).Value);
        int[] big = [1, 8, 8, 4];
        Un("sqrt_f32", BO.SQRT, Q.F32, Q.F32, lo: 0, hi: 9);

        Un("relu_f32", BO.RELU, Q.F32, Q.F32);
        Un("relu_int8", BO.RELU, I8a, Q.I8(0.03f, -128));
        Un("relu_int8_same_scale", BO.RELU, I8a, I8a);
        Un("relu_uint8", BO.RELU, U8a, Q.U8(0.03f, 0));
        Un("relu6_f32", BO.RELU6, Q.F32, Q.F32);
        Un("relu6_int8", BO.RELU6, I8a, Q.I8(6f / 255, -128));
        Un("relu6_int8_same_scale", BO.RELU6, I8a, I8a);
        Un("relu6_uint8", BO.RELU6, U8a, Q.U8(6f / 255, 0));
        Un("relu_n1_to_1_f32", BO.RELU_N1_TO_1, Q.F32, Q.F32, lo: -2, hi: 2);
        Un("relu_n1_to_1_int8", BO.RELU_N1_TO_1, Q.I8(0.02f, 0), Q.I8(1f / 128, 0));
        Un("relu_n1_to_1_uint8", BO.RELU_N1_TO_1, Q.U8(0.02f, 128), Q.U8(1f / 128, 128));
        Un("leaky_relu_f32", BO.LEAKY_RELU, Q.F32, Q.F32, leaky);
        Un("leaky_relu_int8", BO.LEAKY_RELU, I8a, Q.I8(0.04f, 20), leaky);
        Un("leaky_relu_int8_same_scale", BO.LEAKY_RELU, I8a, I8a, leaky);
        Un("leaky_relu_uint8", BO.LEAKY_RELU, U8a, Q.U8(0.04f, 148), leaky);
        Un("hard_swish_f32", BO.HARD_SWISH, Q.F32, Q.F32);
        Un("hard_swish_int8", BO.HARD_SWISH, I8a, Q.I8(0.04f, -110), shape: big);
        Un("hard_swish_uint8", BO.HARD_SWISH, U8a, Q.U8(0.04f, 18), shape: big);
        Un("logistic_f32", BO.LOGISTIC, Q.F32, Q.F32, lo: -10, hi: 10);
        Un("logistic_int8", BO.LOGISTIC, Q.I8(0.08f, -3), Q.I8(1f / 256, -128), shape: big);
        Un("logistic_uint8", BO.LOGISTIC, Q.U8(0.08f, 128), Q.U8(1f / 256, 0), shape: big);
        Un("tanh_f32", BO.TANH, Q.F32, Q.F32, lo: -5, hi: 5);
        Un("tanh_int8", BO.TANH, Q.I8(0.03f, -3), Q.I8(1f / 128, 0), shape: big);
        Un("tanh_uint8", BO.TANH, Q.U8(0.03f, 128), Q.U8(1f / 128, 128), shape: big);

        // PRELU with a per-channel constant alpha of shape [1,1,C] (as converters emit it).
        Case("prelu_f32", c =>
        {
            int i = c.In(Q.F32, S4);
            int a = c.Const(Q.F32, [1, 1, 3], MemoryMarshal.AsBytes<float>([0.1f, -0.25f, 0.5f]).ToArray());
            c.Op(BO.PRELU, [i, a], [c.Out(Q.F32, S4)]);
        });
        Case("prelu_int8", c =>
        {
            int i = c.In(I8a, S4);
            int a = c.Const(Q.I8(0.004f, 0), [1, 1, 3], [(byte)25, unchecked((byte)(sbyte)-60), 125]);
            c.Op(BO.PRELU, [i, a], [c.Out(Q.I8(0.04f, -10), S4)]);
        });
        Case("prelu_uint8", c =>
        {
            int i = c.In(U8a, S4);
            int a = c.Const(Q.U8(0.004f, 128), [1, 1, 3], [153, 68, 253]);
            c.Op(BO.PRELU, [i, a], [c.Out(Q.U8(0.04f, 118), S4)]);
        });
        Case("prelu_int8_alpha_full_shape", c =>
        {
            int i = c.In(I8a, S4);
            int a = c.Const(Q.I8(0.005f, 3), [1, 4, 4, 3], c.RandomRaw(Q.I8(0.005f, 3), 48));
            c.Op(BO.PRELU, [i, a], [c.Out(Q.I8(0.04f, -10), S4)]);
        });
    }

    // ---------------------------------------------------------------- softmax
    private static void Softmax()
    {
        foreach (float beta in new[] { 1f, 0.5f })
        {
            string bn = beta == 1 ? "beta1" : "beta0_5";
            OW o = b => (tflite.BuiltinOptions.SoftmaxOptions, tflite.SoftmaxOptions.CreateSoftmaxOptions(b, beta).Value);
            Un($"softmax_f32_{bn}", BO.SOFTMAX, Q.F32, Q.F32, o, shape: [3, 16]);
            Un($"softmax_int8_{bn}", BO.SOFTMAX, Q.I8(0.1f, -3), Q.I8(1f / 256, -128), o, shape: [3, 16]);
            Un($"softmax_uint8_{bn}", BO.SOFTMAX, Q.U8(0.1f, 128), Q.U8(1f / 256, 0), o, shape: [3, 16]);
        }
        OW o1 = b => (tflite.BuiltinOptions.SoftmaxOptions, tflite.SoftmaxOptions.CreateSoftmaxOptions(b, 1f).Value);
        Un("softmax_int8_rank4", BO.SOFTMAX, Q.I8(0.05f, 10), Q.I8(1f / 256, -128), o1, shape: [1, 2, 2, 10]);
        Un("softmax_uint8_small_scale", BO.SOFTMAX, Q.U8(0.01f, 128), Q.U8(1f / 256, 0), o1, shape: [2, 20]);
    }

    // ---------------------------------------------------------------- quantize / dequantize / cast
    private static void QuantizeDequantizeCast()
    {
        int[] s = [2, 5, 7];
        Un("quantize_f32_to_int8", BO.QUANTIZE, Q.F32, I8a, lo: -8, hi: 8, shape: s);
        Un("quantize_f32_to_uint8", BO.QUANTIZE, Q.F32, U8a, lo: -8, hi: 8, shape: s);
        Un("quantize_int8_to_int8", BO.QUANTIZE, I8a, Q.I8(0.03f, 5), shape: s);
        Un("quantize_int8_to_int8_coarser", BO.QUANTIZE, I8a, Q.I8(0.11f, -20), shape: s);
        Un("quantize_uint8_to_int8", BO.QUANTIZE, U8a, Q.I8(0.05f, 0), shape: s);
        Un("quantize_uint8_to_int8_rescale", BO.QUANTIZE, U8a, Q.I8(0.07f, 3), shape: s);
        Un("quantize_int8_to_uint8", BO.QUANTIZE, I8a, Q.U8(0.05f, 125), shape: s);
        Un("quantize_int8_to_uint8_rescale", BO.QUANTIZE, I8a, Q.U8(0.02f, 100), shape: s);
        Un("dequantize_int8", BO.DEQUANTIZE, I8a, Q.F32, shape: s);
        Un("dequantize_uint8", BO.DEQUANTIZE, U8a, Q.F32, shape: s);
        Case("dequantize_f16_const_add", c =>
        {
            var h = new Half[12];
            for (int k = 0; k < h.Length; k++) h[k] = (Half)(c.Rng.NextDouble() * 8 - 4);
            int w = c.Const(new Q(TensorType.Float16), [12], MemoryMarshal.AsBytes(h.AsSpan()).ToArray());
            int x = c.In(Q.F32, [12]);
            int d = c.Mid("deq", Q.F32, [12]);
            c.Op(BO.DEQUANTIZE, [w], [d]);
            c.Op(BO.ADD, [x, d], [c.Out(Q.F32, [12])], BinOpts(BO.ADD, Act.NONE));
        });
        Un("cast_f32_to_int32", BO.CAST, Q.F32, Q.I32, lo: -100, hi: 100, shape: s);
        Un("cast_int32_to_f32", BO.CAST, Q.I32, Q.F32, lo: -100000, hi: 100000, shape: s);
        Un("cast_uint8_to_f32", BO.CAST, new Q(TensorType.UInt8), Q.F32, shape: s);
        Un("cast_int8_to_int32", BO.CAST, new Q(TensorType.Int8), Q.I32, shape: s);
        Un("cast_uint8_to_int32", BO.CAST, new Q(TensorType.UInt8), Q.I32, shape: s);
        Un("cast_int32_to_uint8", BO.CAST, Q.I32, new Q(TensorType.UInt8), lo: -300, hi: 300, shape: s);
    }

    // ---------------------------------------------------------------- exhaustive unary (every input byte once)
    private static void All256(string name, BO code, Q qi, Q qo, OW? opts = null)
        => Case(name, c =>
        {
            int[] s = [1, 4, 8, 8];
            int i = c.InAllValues(qi, s);
            c.Op(code, [i], [c.Out(qo, s)], opts);
        });

    private static void AllValues()
    {
        OW leaky = b => (tflite.BuiltinOptions.LeakyReluOptions, tflite.LeakyReluOptions.CreateLeakyReluOptions(b, 0.2f).Value);
        foreach (bool s8 in new[] { true, false })
        {
            string t = s8 ? "int8" : "uint8";
            Q In(float s, int zp8) => s8 ? Q.I8(s, zp8) : Q.U8(s, zp8 + 128);
            All256($"relu_{t}_all_values", BO.RELU, In(0.05f, -3), In(0.03f, -128));
            All256($"relu6_{t}_all_values", BO.RELU6, In(0.05f, -3), In(6f / 255, -128));
            All256($"relu_n1_to_1_{t}_all_values", BO.RELU_N1_TO_1, In(0.02f, 0), In(1f / 128, 0));
            All256($"leaky_relu_{t}_all_values", BO.LEAKY_RELU, In(0.05f, -3), In(0.04f, 20), leaky);
            All256($"leaky_relu_{t}_all_values_same_scale", BO.LEAKY_RELU, In(0.05f, -3), In(0.05f, -3), leaky);
            All256($"hard_swish_{t}_all_values", BO.HARD_SWISH, In(0.05f, -3), In(0.04f, -110));
            All256($"logistic_{t}_all_values", BO.LOGISTIC, In(0.08f, -3), s8 ? Q.I8(1f / 256, -128) : Q.U8(1f / 256, 0));
            All256($"tanh_{t}_all_values", BO.TANH, In(0.03f, -3), s8 ? Q.I8(1f / 128, 0) : Q.U8(1f / 128, 128));
            All256($"quantize_{t}_to_{t}_all_values", BO.QUANTIZE, In(0.05f, -3), In(0.11f, -20));
            All256($"quantize_{t}_to_{(s8 ? "uint8" : "int8")}_all_values", BO.QUANTIZE, In(0.05f, -3), s8 ? Q.U8(0.02f, 100) : Q.I8(0.07f, 3));
            All256($"dequantize_{t}_all_values", BO.DEQUANTIZE, In(0.05f, -3), Q.F32);
            All256($"relu_{t}_all_values_same_scale", BO.RELU, In(0.05f, -3), In(0.05f, -3));
            All256($"relu6_{t}_all_values_same_scale", BO.RELU6, In(0.05f, -3), In(0.05f, -3));
        }
    }

    // ---------------------------------------------------------------- pooling
    private static OW Pool(tflite.Padding p, int stride, int filter, Act act) => b =>
        (tflite.BuiltinOptions.Pool2DOptions, tflite.Pool2DOptions.CreatePool2DOptions(b, p, stride, stride, filter, filter, act).Value);

    private static void Pooling()
    {
        foreach (var code in new[] { BO.AVERAGE_POOL_2D, BO.MAX_POOL_2D })
        {
            string op = code == BO.AVERAGE_POOL_2D ? "average_pool_2d" : "max_pool_2d";
            foreach (var q in new[] { Q.F32, I8a, U8a })
            {
                // SAME on 8x8 with filter 3 stride 2: output 4x4, padding total 1 (odd: all of it after).
                Un($"{op}_{T(q)}_same_stride2", code, q, q, Pool(tflite.Padding.SAME, 2, 3, Act.NONE), shape: [1, 8, 8, 3], outShape: [1, 4, 4, 3]);
                Un($"{op}_{T(q)}_valid_stride2", code, q, q, Pool(tflite.Padding.VALID, 2, 3, Act.NONE), shape: [1, 9, 9, 3], outShape: [1, 4, 4, 3]);
                Un($"{op}_{T(q)}_same_stride2_relu6", code, q, q, Pool(tflite.Padding.SAME, 2, 3, Act.RELU6), shape: [1, 9, 9, 3], outShape: [1, 5, 5, 3]);
                Un($"{op}_{T(q)}_same_stride1", code, q, q, Pool(tflite.Padding.SAME, 1, 3, Act.NONE), shape: [1, 5, 5, 2]);
            }
        }
        Un("average_pool_2d_int8_global", BO.AVERAGE_POOL_2D, I8a, I8a, Pool(tflite.Padding.VALID, 1, 7, Act.NONE), shape: [1, 7, 7, 8], outShape: [1, 1, 1, 8]);
        Un("average_pool_2d_uint8_global", BO.AVERAGE_POOL_2D, U8a, U8a, Pool(tflite.Padding.VALID, 1, 7, Act.NONE), shape: [1, 7, 7, 8], outShape: [1, 1, 1, 8]);
    }

    // ---------------------------------------------------------------- reductions and arg max/min
    private static void Reduce(string name, BO code, Q qi, Q qo, int[] si, int[] axes, bool keep, int[] so)
        => Case(name, c =>
        {
            int i = c.In(qi, si);
            int ax = c.ConstI32(axes);
            c.Op(code, [i, ax], [c.Out(qo, so)], b => (tflite.BuiltinOptions.ReducerOptions, tflite.ReducerOptions.CreateReducerOptions(b, keep).Value));
        });

    private static void Reductions()
    {
        int[] s = [1, 5, 5, 4];
        foreach (var (qi, qo, tag) in new[] { (Q.F32, Q.F32, "f32"), (I8a, Q.I8(0.02f, 5), "int8"), (U8a, Q.U8(0.03f, 100), "uint8"), (I8a, I8a, "int8_same_scale"), (U8a, U8a, "uint8_same_scale") })
        {
            Reduce($"mean_{tag}_axes12_keepdims", BO.MEAN, qi, qo, s, [1, 2], true, [1, 1, 1, 4]);
            Reduce($"mean_{tag}_axes12", BO.MEAN, qi, qo, s, [1, 2], false, [1, 4]);
        }
        Reduce("mean_f32_axis3", BO.MEAN, Q.F32, Q.F32, s, [3], false, [1, 5, 5]);
        Reduce("mean_int8_axis3_keepdims", BO.MEAN, I8a, Q.I8(0.02f, 5), s, [3], true, [1, 5, 5, 1]);
        Reduce("mean_int8_axis_neg1", BO.MEAN, I8a, I8a, s, [-1], false, [1, 5, 5]);
        Reduce("sum_f32_axes12_keepdims", BO.SUM, Q.F32, Q.F32, s, [1, 2], true, [1, 1, 1, 4]);
        Reduce("sum_f32_axis3", BO.SUM, Q.F32, Q.F32, s, [3], false, [1, 5, 5]);
        Reduce("sum_int8_axes12_keepdims", BO.SUM, I8a, Q.I8(0.5f, -10), s, [1, 2], true, [1, 1, 1, 4]);
        Reduce("sum_uint8_axis3", BO.SUM, U8a, Q.U8(0.2f, 128), s, [3], false, [1, 5, 5]);
        // Sums far outside the output range: TFLite's quantized SUM (rescaling path) wraps instead of saturating.
        Reduce("sum_int8_overflow", BO.SUM, I8a, Q.I8(0.05f, 0), [1, 4, 4, 8], [1, 2], false, [1, 8]);
        Reduce("sum_uint8_overflow", BO.SUM, U8a, Q.U8(0.07f, 100), [1, 4, 4, 8], [1, 2], false, [1, 8]);
        Reduce("sum_uint8_same_scale_overflow", BO.SUM, U8a, U8a, [1, 4, 4, 8], [1, 2], false, [1, 8]);
        Reduce("sum_int8_same_scale_overflow", BO.SUM, I8a, I8a, [1, 4, 4, 8], [1, 2], false, [1, 8]);

        foreach (var code in new[] { BO.ARG_MAX, BO.ARG_MIN })
        {
            string op = code.ToString().ToLowerInvariant();
            OW o = code == BO.ARG_MAX
                ? b => (tflite.BuiltinOptions.ArgMaxOptions, tflite.ArgMaxOptions.CreateArgMaxOptions(b, tflite.TensorType.INT32).Value)
                : b => (tflite.BuiltinOptions.ArgMinOptions, tflite.ArgMinOptions.CreateArgMinOptions(b, tflite.TensorType.INT32).Value);
            foreach (var q in new[] { Q.F32, I8a, U8a })
            {
                Case($"{op}_{T(q)}_last_axis", c => { int i = c.In(q, [2, 3, 10]); c.Op(code, [i, c.ScalarI32(2)], [c.Out(Q.I32, [2, 3])], o); });
                Case($"{op}_{T(q)}_axis1", c => { int i = c.In(q, S4); c.Op(code, [i, c.ConstI32(1)], [c.Out(Q.I32, [1, 4, 3])], o); });
            }
        }
    }

    // ---------------------------------------------------------------- data movement
    private static void Shuffles()
    {
        Q[] types = [Q.F32, I8a, U8a];
        foreach (var q in types)
        {
            string t = T(q);
            // CONCATENATION: quantized inputs with their own scales and zero points, unlike the output.
            Q q1 = q, q2 = q.Quantized ? (q.Type == TensorType.Int8 ? I8b : U8b) : q, qo = q.Quantized ? (q.Type == TensorType.Int8 ? Q.I8(0.06f, 0) : Q.U8(0.06f, 128)) : q;
            OW Cat(int axis, Act act = Act.NONE) => b => (tflite.BuiltinOptions.ConcatenationOptions, tflite.ConcatenationOptions.CreateConcatenationOptions(b, axis, act).Value);
            Case($"concatenation_{t}_axis3", c => { int a = c.In(q1, S4), b = c.In(q2, [1, 4, 4, 5]); c.Op(BO.CONCATENATION, [a, b], [c.Out(qo, [1, 4, 4, 8])], Cat(3)); });
            Case($"concatenation_{t}_axis1_three", c => { int a = c.In(q1, [1, 2, 4, 3]), b = c.In(q2, [1, 3, 4, 3]), d = c.In(q1, [1, 1, 4, 3]); c.Op(BO.CONCATENATION, [a, b, d], [c.Out(qo, [1, 6, 4, 3])], Cat(1)); });
            Case($"concatenation_{t}_axis3_same_params", c => { int a = c.In(q1, S4), b = c.In(q1, [1, 4, 4, 2]); c.Op(BO.CONCATENATION, [a, b], [c.Out(q1, [1, 4, 4, 5])], Cat(-1)); });

            OW Pack(int n, int axis) => b => (tflite.BuiltinOptions.PackOptions, tflite.PackOptions.CreatePackOptions(b, n, axis).Value);
            OW Unpack(int n, int axis) => b => (tflite.BuiltinOptions.UnpackOptions, tflite.UnpackOptions.CreateUnpackOptions(b, n, axis).Value);
            Case($"pack_{t}_axis0", c => { int a = c.In(q, [4, 3]), b = c.In(q, [4, 3]), d = c.In(q, [4, 3]); c.Op(BO.PACK, [a, b, d], [c.Out(q, [3, 4, 3])], Pack(3, 0)); });
            Case($"pack_{t}_axis1", c => { int a = c.In(q, [4, 3]), b = c.In(q, [4, 3]); c.Op(BO.PACK, [a, b], [c.Out(q, [4, 2, 3])], Pack(2, 1)); });
            Case($"unpack_{t}_axis0", c => { int a = c.In(q, [3, 4, 2]); c.Op(BO.UNPACK, [a], [c.Out(q, [4, 2]), c.Out(q, [4, 2]), c.Out(q, [4, 2])], Unpack(3, 0)); });
            Case($"unpack_{t}_axis1", c => { int a = c.In(q, [3, 4, 2]); c.Op(BO.UNPACK, [a], [c.Out(q, [3, 2]), c.Out(q, [3, 2]), c.Out(q, [3, 2]), c.Out(q, [3, 2])], Unpack(4, 1)); });

            OW Split(int n) => b => (tflite.BuiltinOptions.SplitOptions, tflite.SplitOptions.CreateSplitOptions(b, n).Value);
            OW SplitV(int n) => b => (tflite.BuiltinOptions.SplitVOptions, tflite.SplitVOptions.CreateSplitVOptions(b, n).Value);
            Case($"split_{t}_axis3", c => { int ax = c.ScalarI32(3); int a = c.In(q, [1, 4, 4, 6]); c.Op(BO.SPLIT, [ax, a], [c.Out(q, [1, 4, 4, 2]), c.Out(q, [1, 4, 4, 2]), c.Out(q, [1, 4, 4, 2])], Split(3)); });
            Case($"split_{t}_axis1", c => { int ax = c.ScalarI32(1); int a = c.In(q, [1, 4, 4, 6]); c.Op(BO.SPLIT, [ax, a], [c.Out(q, [1, 2, 4, 6]), c.Out(q, [1, 2, 4, 6])], Split(2)); });
            Case($"split_v_{t}_axis3", c => { int a = c.In(q, [1, 4, 4, 6]); c.Op(BO.SPLIT_V, [a, c.ConstI32(1, 2, 3), c.ScalarI32(3)], [c.Out(q, [1, 4, 4, 1]), c.Out(q, [1, 4, 4, 2]), c.Out(q, [1, 4, 4, 3])], SplitV(3)); });
            Case($"split_v_{t}_axis1_inferred", c => { int a = c.In(q, [1, 6, 2, 3]); c.Op(BO.SPLIT_V, [a, c.ConstI32(2, -1, 1), c.ScalarI32(1)], [c.Out(q, [1, 2, 2, 3]), c.Out(q, [1, 3, 2, 3]), c.Out(q, [1, 1, 2, 3])], SplitV(3)); });

            Case($"slice_{t}", c => { int a = c.In(q, [1, 5, 5, 4]); c.Op(BO.SLICE, [a, c.ConstI32(0, 1, 2, 1), c.ConstI32(1, 3, -1, 2)], [c.Out(q, [1, 3, 3, 2])]); });
            OW SS(int bm, int em, int shrink) => b => (tflite.BuiltinOptions.StridedSliceOptions, tflite.StridedSliceOptions.CreateStridedSliceOptions(b, bm, em, 0, 0, shrink).Value);
            Case($"strided_slice_{t}_stride2", c => { int a = c.In(q, [1, 6, 6, 4]); c.Op(BO.STRIDED_SLICE, [a, c.ConstI32(0, 1, 1, 0), c.ConstI32(1, 5, 6, 4), c.ConstI32(1, 2, 2, 1)], [c.Out(q, [1, 2, 3, 4])], SS(0, 0, 0)); });
            Case($"strided_slice_{t}_masks", c => { int a = c.In(q, [1, 6, 6, 4]); c.Op(BO.STRIDED_SLICE, [a, c.ConstI32(0, 2, 0, 1), c.ConstI32(0, 0, 4, 3), c.ConstI32(1, 1, 1, 1)], [c.Out(q, [1, 6, 4, 2])], SS(0b0011, 0b0011, 0)); });
            Case($"strided_slice_{t}_shrink", c => { int a = c.In(q, [1, 6, 6, 4]); c.Op(BO.STRIDED_SLICE, [a, c.ConstI32(0, 1, 0, 0), c.ConstI32(1, 2, 6, 4), c.ConstI32(1, 1, 1, 1)], [c.Out(q, [6, 4])], SS(0, 0, 0b0011)); });
            Case($"strided_slice_{t}_negative_stride", c => { int a = c.In(q, [1, 6, 6, 4]); c.Op(BO.STRIDED_SLICE, [a, c.ConstI32(0, -1, 0, 0), c.ConstI32(1, 0, 6, 4), c.ConstI32(1, -2, 1, 1)], [c.Out(q, [1, 3, 6, 4])], SS(0, 0b0010, 0)); });

            Case($"pad_{t}", c => { int a = c.In(q, [1, 3, 3, 2]); c.Op(BO.PAD, [a, c.ConstI32([4, 2], 0, 0, 1, 2, 2, 1, 0, 0)], [c.Out(q, [1, 6, 6, 2])]); });
            Case($"padv2_{t}", c =>
            {
                int a = c.In(q, [1, 3, 3, 2]);
                byte[] v = q.Type == TensorType.Float32 ? BitConverter.GetBytes(1.5f) : [q.Type == TensorType.Int8 ? (byte)7 : (byte)200];
                c.Op(BO.PADV2, [a, c.ConstI32([4, 2], 0, 0, 1, 2, 2, 1, 0, 0), c.Const(q, [], v)], [c.Out(q, [1, 6, 6, 2])]);
            });
            Case($"transpose_{t}_0312", c => { int a = c.In(q, [1, 2, 3, 4]); c.Op(BO.TRANSPOSE, [a, c.ConstI32(0, 3, 1, 2)], [c.Out(q, [1, 4, 2, 3])]); });
            Case($"transpose_{t}_rank3", c => { int a = c.In(q, [2, 3, 4]); c.Op(BO.TRANSPOSE, [a, c.ConstI32(2, 0, 1)], [c.Out(q, [4, 2, 3])]); });

            OW G(int axis) => b => (tflite.BuiltinOptions.GatherOptions, tflite.GatherOptions.CreateGatherOptions(b, axis).Value);
            Case($"gather_{t}_axis0", c => { int a = c.In(q, [5, 4]); c.Op(BO.GATHER, [a, c.ConstI32(4, 0, 2)], [c.Out(q, [3, 4])], G(0)); });
            Case($"gather_{t}_axis1_input_indices", c => { int a = c.In(q, [3, 5, 2]); int idx = c.InData(Q.I32, [2, 2], new[] { 1, 4, 0, 4 }); c.Op(BO.GATHER, [a, idx], [c.Out(q, [3, 2, 2, 2])], G(1)); });
            Case($"gather_nd_{t}", c => { int a = c.In(q, [4, 3, 2]); c.Op(BO.GATHER_ND, [a, c.ConstI32([3, 2], 0, 1, 3, 2, 1, 0)], [c.Out(q, [3, 2])]); });
            Case($"gather_nd_{t}_full_index", c => { int a = c.In(q, [4, 3, 2]); c.Op(BO.GATHER_ND, [a, c.ConstI32([2, 3], 0, 1, 1, 3, 2, 0)], [c.Out(q, [2])]); });

            OW D2S(int bs) => b => (tflite.BuiltinOptions.DepthToSpaceOptions, tflite.DepthToSpaceOptions.CreateDepthToSpaceOptions(b, bs).Value);
            OW S2D(int bs) => b => (tflite.BuiltinOptions.SpaceToDepthOptions, tflite.SpaceToDepthOptions.CreateSpaceToDepthOptions(b, bs).Value);
            Case($"depth_to_space_{t}", c => { int a = c.In(q, [1, 2, 2, 12]); c.Op(BO.DEPTH_TO_SPACE, [a], [c.Out(q, [1, 4, 4, 3])], D2S(2)); });
            Case($"space_to_depth_{t}", c => { int a = c.In(q, [1, 4, 4, 3]); c.Op(BO.SPACE_TO_DEPTH, [a], [c.Out(q, [1, 2, 2, 12])], S2D(2)); });

            Case($"reshape_{t}", c => { int a = c.In(q, S4); c.Op(BO.RESHAPE, [a, c.ConstI32(1, 48)], [c.Out(q, [1, 48])]); });
            Case($"reshape_{t}_inferred_dim", c => { int a = c.In(q, [2, 3, 4]); c.Op(BO.RESHAPE, [a, c.ConstI32(6, -1)], [c.Out(q, [6, 4])]); });
            Case($"squeeze_{t}", c =>
            {
                int a = c.In(q, [1, 4, 1, 3]);
                c.Op(BO.SQUEEZE, [a], [c.Out(q, [4, 3])], b => (tflite.BuiltinOptions.SqueezeOptions,
                    tflite.SqueezeOptions.CreateSqueezeOptions(b, tflite.SqueezeOptions.CreateSqueezeDimsVector(b, [0, 2])).Value));
            });
            Case($"expand_dims_{t}", c => { int a = c.In(q, [4, 3]); c.Op(BO.EXPAND_DIMS, [a, c.ScalarI32(1)], [c.Out(q, [4, 1, 3])]); });
        }
        Case("squeeze_f32_all", c => { int a = c.In(Q.F32, [1, 4, 1, 3]); c.Op(BO.SQUEEZE, [a], [c.Out(Q.F32, [4, 3])]); });
        Case("expand_dims_int8_negative_axis", c => { int a = c.In(I8a, [4, 3]); c.Op(BO.EXPAND_DIMS, [a, c.ScalarI32(-1)], [c.Out(I8a, [4, 3, 1])]); });
    }

    // ---------------------------------------------------------------- resize
    private static void Resize()
    {
        var setups = new (string Name, int[] In, int H, int W, bool Align, bool Half)[]
        {
            ("up2x", [1, 4, 4, 3], 8, 8, false, false),
            ("up2x_half_pixel", [1, 4, 4, 3], 8, 8, false, true),
            ("up_align_corners", [1, 4, 4, 3], 7, 7, true, false),
            ("nonint_half_pixel", [1, 5, 5, 3], 7, 3, false, true),
            ("nonint", [1, 5, 5, 3], 7, 3, false, false),
            ("down_align_corners", [1, 5, 5, 3], 3, 4, true, false),
        };
        foreach (var q in new[] { Q.F32, I8a, U8a })
            foreach (var s in setups)
            {
                Case($"resize_bilinear_{T(q)}_{s.Name}", c =>
                {
                    int a = c.In(q, s.In);
                    c.Op(BO.RESIZE_BILINEAR, [a, c.ConstI32(s.H, s.W)], [c.Out(q, [1, s.H, s.W, 3])],
                        b => (tflite.BuiltinOptions.ResizeBilinearOptions, tflite.ResizeBilinearOptions.CreateResizeBilinearOptions(b, s.Align, s.Half).Value));
                });
                Case($"resize_nearest_neighbor_{T(q)}_{s.Name}", c =>
                {
                    int a = c.In(q, s.In);
                    c.Op(BO.RESIZE_NEAREST_NEIGHBOR, [a, c.ConstI32(s.H, s.W)], [c.Out(q, [1, s.H, s.W, 3])],
                        b => (tflite.BuiltinOptions.ResizeNearestNeighborOptions, tflite.ResizeNearestNeighborOptions.CreateResizeNearestNeighborOptions(b, s.Align, s.Half).Value));
                });
            }
    }

    // ---------------------------------------------------------------- conv / depthwise / fully connected
    private enum WK { F32, I8PerChannel, I8PerTensor, U8 }

    /// <summary>Adds a weight tensor, a bias tensor (int32 with scale in*w, or float) and returns an output quantization sized to the accumulator's spread.</summary>
    private static (int W, int B, Q Out) Weights(ProbeCase c, WK kind, Q qin, int[] wshape, int channelDim, int depth, bool bias = true)
    {
        int n = 1; foreach (int d in wshape) n *= d;
        int ch = wshape[channelDim];
        if (kind == WK.F32)
        {
            int wf = c.Const(Q.F32, wshape, c.RandomRaw(Q.F32, n, -0.5f, 0.5f));
            int bf = bias ? c.Const(Q.F32, [ch], c.RandomRaw(Q.F32, ch, -1, 1)) : -1;
            return (wf, bf, Q.F32);
        }
        float[] ws = new float[kind == WK.I8PerChannel ? ch : 1];
        for (int k = 0; k < ws.Length; k++) ws[k] = 0.002f + (float)c.Rng.NextDouble() * 0.018f;
        long wzp = kind == WK.U8 ? 120 : 0;
        byte[] raw = new byte[n];
        for (int k = 0; k < n; k++)
            raw[k] = kind == WK.U8 ? (byte)c.Rng.Next(0, 256) : unchecked((byte)(sbyte)c.Rng.Next(-127, 128));
        var wType = kind == WK.U8 ? TensorType.UInt8 : TensorType.Int8;
        var wzps = new long[ws.Length];
        Array.Fill(wzps, wzp);
        int w = c.W.AddTensor("weights", wType, wshape, raw, ws, wzps, kind == WK.I8PerChannel ? channelDim : 0);
        int b = -1;
        if (bias)
        {
            float[] bs = new float[ws.Length];
            var bv = new int[ch];
            for (int k = 0; k < ws.Length; k++) bs[k] = qin.Scale * ws[k];
            for (int k = 0; k < ch; k++) bv[k] = (int)Math.Round((c.Rng.NextDouble() * 2 - 1) / bs[ws.Length == 1 ? 0 : k]);
            b = c.W.AddTensor("bias", TensorType.Int32, [ch], MemoryMarshal.AsBytes(bv.AsSpan()).ToArray(), bs, new long[bs.Length], 0);
        }
        // Real accumulator spread ~ sqrt(depth) * |x| * |w|; three standard deviations over the output range.
        float meanW = ws.Average();
        float spread = MathF.Sqrt(depth) * 74f * qin.Scale * 73f * meanW;
        float outScale = 3 * spread / 128f;
        Q qo = qin.Type == TensorType.Int8 ? Q.I8(outScale, -4) : Q.U8(outScale, 131);
        return (w, b, qo);
    }

    private static void Convolutions()
    {
        OW Conv(tflite.Padding p, int s, Act act = Act.NONE, int dil = 1) => b =>
            (tflite.BuiltinOptions.Conv2DOptions, tflite.Conv2DOptions.CreateConv2DOptions(b, p, s, s, act, dil, dil).Value);
        OW Dw(tflite.Padding p, int s, int m, Act act = Act.NONE, int dil = 1) => b =>
            (tflite.BuiltinOptions.DepthwiseConv2DOptions, tflite.DepthwiseConv2DOptions.CreateDepthwiseConv2DOptions(b, p, s, s, m, act, dil, dil).Value);

        void ConvCase(string name, WK kind, int[] inShape, int outC, int k, tflite.Padding p, int stride, int dil, Act act, int oh, int ow)
            => Case(name, c =>
            {
                Q qin = kind == WK.F32 ? Q.F32 : kind == WK.U8 ? U8a : I8a;
                int x = c.In(qin, inShape, -2, 2);
                int cin = inShape[3];
                var (w, b, qo) = Weights(c, kind, qin, [outC, k, k, cin], 0, k * k * cin);
                c.Op(BO.CONV_2D, [x, w, b], [c.Out(qo, [1, oh, ow, outC])], Conv(p, stride, act, dil), version: kind == WK.I8PerChannel ? 3 : 1);
            });
        var S = tflite.Padding.SAME; var V = tflite.Padding.VALID;
        foreach (var (kind, tag) in new[] { (WK.I8PerChannel, "int8_perchannel"), (WK.U8, "uint8"), (WK.F32, "f32") })
        {
            ConvCase($"conv2d_{tag}_same", kind, [1, 7, 7, 3], 5, 3, S, 1, 1, Act.NONE, 7, 7);
            ConvCase($"conv2d_{tag}_same_stride2", kind, [1, 8, 8, 3], 5, 3, S, 2, 1, Act.NONE, 4, 4);
            ConvCase($"conv2d_{tag}_valid_stride2", kind, [1, 9, 9, 3], 5, 3, V, 2, 1, Act.NONE, 4, 4);
            ConvCase($"conv2d_{tag}_same_dilation2", kind, [1, 9, 9, 3], 5, 3, S, 1, 2, Act.NONE, 9, 9);
            ConvCase($"conv2d_{tag}_same_relu6", kind, [1, 6, 6, 4], 7, 3, S, 1, 1, Act.RELU6, 6, 6);
            ConvCase($"conv2d_{tag}_1x1", kind, [1, 5, 5, 7], 3, 1, V, 1, 1, Act.NONE, 5, 5);
            ConvCase($"conv2d_{tag}_5x5_same_stride2", kind, [1, 10, 10, 3], 4, 5, S, 2, 1, Act.RELU, 5, 5);
        }
        ConvCase("conv2d_int8_pertensor_same_stride2", WK.I8PerTensor, [1, 8, 8, 3], 5, 3, S, 2, 1, Act.NONE, 4, 4);

        void DwCase(string name, WK kind, int[] inShape, int m, tflite.Padding p, int stride, int dil, Act act, int oh, int ow)
            => Case(name, c =>
            {
                Q qin = kind == WK.F32 ? Q.F32 : kind == WK.U8 ? U8a : I8a;
                int x = c.In(qin, inShape, -2, 2);
                int cout = inShape[3] * m;
                var (w, b, qo) = Weights(c, kind, qin, [1, 3, 3, cout], 3, 9);
                c.Op(BO.DEPTHWISE_CONV_2D, [x, w, b], [c.Out(qo, [1, oh, ow, cout])], Dw(p, stride, m, act, dil), version: kind == WK.I8PerChannel ? 3 : 1);
            });
        foreach (var (kind, tag) in new[] { (WK.I8PerChannel, "int8_perchannel"), (WK.U8, "uint8"), (WK.F32, "f32") })
        {
            DwCase($"depthwise_conv2d_{tag}_m1_same", kind, [1, 6, 6, 4], 1, S, 1, 1, Act.NONE, 6, 6);
            DwCase($"depthwise_conv2d_{tag}_m2_same_stride2", kind, [1, 8, 8, 3], 2, S, 2, 1, Act.NONE, 4, 4);
            DwCase($"depthwise_conv2d_{tag}_m1_valid_stride2_relu6", kind, [1, 9, 9, 5], 1, V, 2, 1, Act.RELU6, 4, 4);
            DwCase($"depthwise_conv2d_{tag}_m1_same_dilation2", kind, [1, 7, 7, 3], 1, S, 1, 2, Act.NONE, 7, 7);
            DwCase($"depthwise_conv2d_{tag}_m1_same_stride2_odd", kind, [1, 7, 7, 5], 1, S, 2, 1, Act.NONE, 4, 4);
        }

        void FcCase(string name, WK kind, int[] inShape, int units, bool keep, bool bias, Act act, int[] outShape)
            => Case(name, c =>
            {
                Q qin = kind == WK.F32 ? Q.F32 : kind == WK.U8 ? U8a : I8a;
                int x = c.In(qin, inShape, -2, 2);
                int depth = inShape[^1];
                var (w, b, qo) = Weights(c, kind, qin, [units, depth], 0, depth, bias);
                c.Op(BO.FULLY_CONNECTED, [x, w, b], [c.Out(qo, outShape)],
                    o => (tflite.BuiltinOptions.FullyConnectedOptions, tflite.FullyConnectedOptions.CreateFullyConnectedOptions(o, act, keep_num_dims: keep).Value),
                    version: kind == WK.I8PerTensor || kind == WK.I8PerChannel ? 4 : 1);
            });
        foreach (var (kind, tag) in new[] { (WK.I8PerTensor, "int8"), (WK.U8, "uint8"), (WK.F32, "f32") })
        {
            FcCase($"fully_connected_{tag}", kind, [2, 10], 6, false, true, Act.NONE, [2, 6]);
            FcCase($"fully_connected_{tag}_keep_num_dims", kind, [2, 3, 10], 6, true, true, Act.NONE, [2, 3, 6]);
            FcCase($"fully_connected_{tag}_flatten_batch", kind, [2, 3, 10], 6, false, true, Act.NONE, [6, 6]);
            FcCase($"fully_connected_{tag}_no_bias_relu", kind, [3, 16], 5, false, false, Act.RELU, [3, 5]);
        }
        FcCase("fully_connected_int8_perchannel", WK.I8PerChannel, [2, 10], 6, false, true, Act.NONE, [2, 6]);
    }
}
