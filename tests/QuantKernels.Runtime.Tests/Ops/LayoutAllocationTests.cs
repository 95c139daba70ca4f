using QuantKernels.Kernels.Quantization;
using QuantKernels.Runtime.Writing;
using static tflite.BuiltinOperator;

namespace QuantKernels.Runtime.Tests.OpTests;

/// <summary>A chain through every layout op must run without managed allocation and give the hand-computed result.</summary>
public class LayoutAllocationTests
{
    /// <summary>
    /// x int8[1,2,2,2] (scale 0.5, zp 0) -> TRANSPOSE [0,3,1,2] -> PAD -> SLICE -> STRIDED_SLICE -> CONCATENATION
    /// (with a requantized constant) -> SPLIT -> PACK -> UNPACK -> SPLIT_V -> GATHER -> GATHER_ND -> RESIZE_*
    /// -> DEPTH_TO_SPACE -> SPACE_TO_DEPTH -> PADV2 -> ARG_MAX / ARG_MIN.
    /// </summary>
    private static byte[] Chain()
    {
        var w = new TfliteWriter();
        int Q(string name, int[] shape) => w.AddQuantizedTensor(name, TensorType.Int8, shape, 0.5f, 0);
        int I32(string name, params int[] v) => w.AddConstant(name, TensorType.Int32, [v.Length], v);

        int x = Q("x", [1, 2, 2, 2]);
        int t = Q("t", [1, 2, 2, 2]);
        w.AddOperator(TRANSPOSE, [x, I32("perm", 0, 3, 1, 2)], [t]);
        int p = Q("p", [1, 2, 4, 4]);
        w.AddOperator(PAD, [t, w.AddConstant("pads", TensorType.Int32, [4, 2], new[] { 0, 0, 0, 0, 1, 1, 1, 1 })], [p]);
        int s = Q("s", [1, 2, 2, 4]);
        w.AddOperator(SLICE, [p, I32("b", 0, 0, 1, 0), I32("sz", -1, -1, 2, -1)], [s]);
        int ss = Q("ss", [1, 2, 2, 2]);
        w.AddOperator(STRIDED_SLICE, [s, I32("sb", 0, 0, 0, 0), I32("se", 1, 2, 2, 4), I32("st", 1, 1, 1, 2)], [ss]);
        int k = w.AddQuantizedTensor("k", TensorType.Int8, [1, 2, 2, 2], 1f, 0, [1, 2, 3, 4, 5, 6, 7, 8]);
        int c = Q("c", [1, 2, 2, 4]);
        w.AddOperator(CONCATENATION, [ss, k], [c], b => (tflite.BuiltinOptions.ConcatenationOptions, tflite.ConcatenationOptions.CreateConcatenationOptions(b, 3).Value));
        int c0 = Q("c0", [1, 2, 2, 2]), c1 = Q("c1", [1, 2, 2, 2]);
        w.AddOperator(SPLIT, [w.AddConstant("ax", TensorType.Int32, [], new[] { 3 }), c], [c0, c1], b => (tflite.BuiltinOptions.SplitOptions, tflite.SplitOptions.CreateSplitOptions(b, 2).Value));
        int pk = Q("pk", [2, 1, 2, 2, 2]);
        w.AddOperator(PACK, [c0, c1], [pk], b => (tflite.BuiltinOptions.PackOptions, tflite.PackOptions.CreatePackOptions(b, 2, 0).Value));
        int u0 = Q("u0", [1, 2, 2, 2]), u1 = Q("u1", [1, 2, 2, 2]);
        w.AddOperator(UNPACK, [pk], [u0, u1], b => (tflite.BuiltinOptions.UnpackOptions, tflite.UnpackOptions.CreateUnpackOptions(b, 2, 0).Value));
        int v0 = Q("v0", [1, 1, 2, 2]), v1 = Q("v1", [1, 1, 2, 2]);
        w.AddOperator(SPLIT_V, [u1, I32("sizes", 1, -1), w.AddConstant("ax2", TensorType.Int32, [], new[] { 1 })], [v0, v1]);
        int g = Q("g", [1, 1, 2, 2]);
        w.AddOperator(GATHER, [v1, I32("gi", 1, 0)], [g], b => (tflite.BuiltinOptions.GatherOptions, tflite.GatherOptions.CreateGatherOptions(b, 2).Value));
        int gn = Q("gn", [1, 2, 2]);
        w.AddOperator(GATHER_ND, [g, w.AddConstant("gni", TensorType.Int32, [1, 2], new[] { 0, 0 })], [gn]);
        int r = Q("r", [1, 2, 2, 2]);
        w.AddOperator(RESHAPE, [gn, I32("rs", 1, 2, 1, 2)], [r]);
        int rb = Q("rb", [1, 4, 2, 2]);
        w.AddOperator(RESIZE_BILINEAR, [r, I32("rbs", 4, 2)], [rb]);
        int rn = Q("rn", [1, 4, 4, 2]);
        w.AddOperator(RESIZE_NEAREST_NEIGHBOR, [rb, I32("rns", 4, 4)], [rn]);
        int sd = Q("sd", [1, 2, 2, 8]);
        w.AddOperator(SPACE_TO_DEPTH, [rn], [sd], b => (tflite.BuiltinOptions.SpaceToDepthOptions, tflite.SpaceToDepthOptions.CreateSpaceToDepthOptions(b, 2).Value));
        int ds = Q("ds", [1, 4, 4, 2]);
        w.AddOperator(DEPTH_TO_SPACE, [sd], [ds], b => (tflite.BuiltinOptions.DepthToSpaceOptions, tflite.DepthToSpaceOptions.CreateDepthToSpaceOptions(b, 2).Value));
        int pv = Q("pv", [1, 4, 4, 3]);
        w.AddOperator(PADV2, [ds, w.AddConstant("pads2", TensorType.Int32, [4, 2], new[] { 0, 0, 0, 0, 0, 0, 0, 1 }),
            w.AddQuantizedTensor("pval", TensorType.Int8, [], 0.5f, 0, [unchecked((byte)-7)])], [pv]);
        int amax = w.AddTensor("amax", TensorType.Int32, [1, 4, 4]);
        int amin = w.AddTensor("amin", TensorType.Int64, [1, 4, 4]);
        int last = I32("last", 3);
        w.AddOperator(ARG_MAX, [pv, last], [amax]);
        w.AddOperator(ARG_MIN, [pv, last], [amin]);
        w.SetInputs(x);
        w.SetOutputs(amax, amin, c);
        return w.Build();
    }

    [Theory]
    [InlineData(RequantConvention.Xnnpack)]
    [InlineData(RequantConvention.Reference)]
    public void A_chain_of_layout_ops_allocates_nothing_at_invoke(RequantConvention convention)
        => AllocationTests.AssertNoAllocation(TfLiteModel.FromBytes(Chain()), convention);

    [Fact]
    public void The_chain_computes_the_expected_concatenation_and_arg_min()
    {
        // Reference convention: the requantizing concatenation is TFLite's reference kernel (current TFLite on CPU
        // copies the bytes of differently quantized inputs, see ConcatenationOp).
        using var model = TfLiteModel.FromBytes(Chain());
        using var interp = new Interpreter(model, new InterpreterOptions { Convention = RequantConvention.Reference });
        interp.AllocateTensors();
        // x[0,h,w,c] = 10h + 4w + c + 1 -> transpose to NCHW-like [1,c,h,w].
        interp.GetInputTensor(0).CopyFrom<sbyte>([1, 2, 5, 6, 11, 12, 15, 16]);
        interp.Invoke();
        // t = [[1,5],[11,15]] (c=0), [[2,6],[12,16]] (c=1); padded by 1 on h,w and sliced rows 1..2 of the padded
        // h -> the real rows, all 4 columns: [0,a,b,0]; strided cols 0 and 2 -> [0, b]... (per row): c0 rows [0,5],[0,15];
        // c1 rows [0,6],[0,16]. Concatenated with k (scale 1 -> 0.5: doubled) on the last axis.
        var c = interp.GetOutputTensor(2).ToArray<sbyte>();
        Assert.Equal(new sbyte[] { 0, 5, 2, 4, 0, 15, 6, 8, 0, 6, 10, 12, 0, 16, 14, 16 }, c);
        // PADV2 appends -7 as channel 2 everywhere: it is always the minimum.
        var amin = interp.GetOutputTensor(1).ToArray<long>();
        Assert.All(amin, v => Assert.Equal(2L, v));
    }
}
