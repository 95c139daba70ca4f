using System.Runtime.InteropServices;

namespace QuantKernels.Bench;

/// <summary>
/// P/Invoke declarations for the XNNPACK operator API of Debian's libxnnpack0 (0.0~git20220216.ae108ef, XNNPACK commit
/// ae108ef, Feb 2022), as ../shared/peers/xnnpack/xnnbench.c calls it; signatures follow /usr/include/xnnpack.h of that
/// version. Bench-only: nothing binds until a benchmark calls in, so the project builds and the other benchmarks run on a
/// machine without the library (<see cref="Available"/> says whether it loads; bench/peers/setup.sh installs it).
/// </summary>
internal static unsafe class Xnnpack
{
    private const string Lib = "libXNNPACK.so.0";

    /// <summary>xnn_status_success.</summary>
    public const int Success = 0;

    private static readonly Lazy<string?> s_loadError = new(() =>
    {
        if (!NativeLibrary.TryLoad(Lib, typeof(Xnnpack).Assembly, null, out _))
            return $"{Lib} not found (install Debian libxnnpack0 / libxnnpack-dev: bench/peers/setup.sh)";
        try
        {
            int st = xnn_initialize(null);
            return st == Success ? null : $"xnn_initialize failed with status {st}";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return $"{Lib}: {e.Message}";
        }
    });

    /// <summary>True when the library loads and xnn_initialize succeeds.</summary>
    public static bool Available => s_loadError.Value is null;

    /// <summary>Why XNNPACK benchmarks are skipped, or null when available.</summary>
    public static string? UnavailableReason => s_loadError.Value;

    /// <summary>Throws with a clear message unless the library is usable.</summary>
    public static void EnsureAvailable()
    {
        if (s_loadError.Value is { } why) throw new InvalidOperationException($"XNNPACK benchmark skipped: {why}");
    }

    /// <summary>Throws when an XNNPACK call did not return xnn_status_success.</summary>
    public static void Check(int status, string call)
    {
        if (status != Success) throw new InvalidOperationException($"{call} failed with xnn_status {status}");
    }

    [DllImport(Lib)] public static extern int xnn_initialize(void* allocator);

    [DllImport(Lib)] public static extern int xnn_run_operator(IntPtr op, IntPtr threadpool);

    [DllImport(Lib)] public static extern int xnn_delete_operator(IntPtr op);

    [DllImport(Lib)]
    public static extern int xnn_create_convolution2d_nhwc_qc8(
        uint input_padding_top, uint input_padding_right, uint input_padding_bottom, uint input_padding_left,
        uint kernel_height, uint kernel_width, uint subsampling_height, uint subsampling_width,
        uint dilation_height, uint dilation_width, uint groups,
        nuint group_input_channels, nuint group_output_channels, nuint input_channel_stride, nuint output_channel_stride,
        sbyte input_zero_point, float input_scale, float* kernel_scale, sbyte* kernel, int* bias,
        sbyte output_zero_point, float output_scale, sbyte output_min, sbyte output_max,
        uint flags, IntPtr* convolution_op_out);

    [DllImport(Lib)]
    public static extern int xnn_setup_convolution2d_nhwc_qc8(
        IntPtr convolution_op, nuint batch_size, nuint input_height, nuint input_width,
        sbyte* input, sbyte* output, IntPtr threadpool);
}

/// <summary>
/// One XNNPACK operator for a <see cref="KernelShape"/>, set up once (threadpool NULL = single thread): qc8 convolution
/// (per-channel weights) for conv and depthwise (groups = channels), and, as xnnbench.c does, FC as a qc8 1x1
/// convolution on a 1x1 image, since this XNNPACK version has no fully_connected_nc_qc8.
/// </summary>
internal sealed unsafe class XnnpackOperator : IDisposable
{
    private IntPtr _op;
    private sbyte* _input, _output;

    public XnnpackOperator(KernelShape s)
    {
        Xnnpack.EnsureAvailable();
        bool fc = s.Kind == KernelKind.FullyConnected;
        uint groups = s.Kind == KernelKind.Depthwise ? (uint)s.InC : 1;
        nuint gic = (nuint)(s.InC / (int)groups), goc = (nuint)(s.OutC / (int)groups);
        var (pt, pb) = fc ? (0, 0) : KernelShape.SamePadding(s.H, s.K, s.Stride);
        var (pl, pr) = fc ? (0, 0) : KernelShape.SamePadding(s.W, s.K, s.Stride);
        // XNNPACK reads up to 16 bytes past the end of input rows (XNN_EXTRA_BYTES); over-allocate both buffers.
        nuint inBytes = (nuint)(s.H * s.W * s.InC + 64), outBytes = (nuint)(s.OutH * s.OutW * s.OutC + 64);
        _input = (sbyte*)NativeMemory.AlignedAlloc(inBytes, 64);
        _output = (sbyte*)NativeMemory.AlignedAlloc(outBytes, 64);
        sbyte[] inData = KernelShape.RandomInt8(s.H * s.W * s.InC, seed: 1);
        inData.AsSpan().CopyTo(new Span<sbyte>(_input, inData.Length));

        // Weights in XNNPACK's [groups][goc][kh][kw][gic] order: OHWI for conv, [C][kh][kw][1] for depthwise. The
        // bytes are random, so only the layout's size matters for timing.
        sbyte[] weights = KernelShape.RandomInt8(s.WeightCount, seed: 2, lo: -127, hi: 127);
        float[] scales = new float[s.OutC];
        int[] bias = new int[s.OutC];
        for (int c = 0; c < s.OutC; c++) { scales[c] = KernelShape.WeightScale(c); bias[c] = KernelShape.Bias(c); }
        IntPtr op;
        fixed (sbyte* w = weights)
        fixed (float* ks = scales)
        fixed (int* b = bias)
        {
            Xnnpack.Check(Xnnpack.xnn_create_convolution2d_nhwc_qc8(
                (uint)pt, (uint)pr, (uint)pb, (uint)pl, (uint)s.K, (uint)s.K, (uint)s.Stride, (uint)s.Stride, 1, 1, groups,
                gic, goc, (nuint)s.InC, (nuint)s.OutC,
                KernelShape.InputZeroPoint, KernelShape.InputScale, ks, w, b,
                KernelShape.OutputZeroPoint, KernelShape.OutputScale, -128, 127, 0, &op), "xnn_create_convolution2d_nhwc_qc8");
        }
        _op = op;
        Xnnpack.Check(Xnnpack.xnn_setup_convolution2d_nhwc_qc8(_op, 1, (nuint)s.H, (nuint)s.W, _input, _output, IntPtr.Zero),
            "xnn_setup_convolution2d_nhwc_qc8");
    }

    /// <summary>Runs the operator once.</summary>
    public void Run() => Xnnpack.Check(Xnnpack.xnn_run_operator(_op, IntPtr.Zero), "xnn_run_operator");

    /// <summary>First output byte (keeps the result observable).</summary>
    public sbyte FirstOutput => _output[0];

    public void Dispose()
    {
        if (_op != IntPtr.Zero) { Xnnpack.xnn_delete_operator(_op); _op = IntPtr.Zero; }
        if (_input != null) { NativeMemory.AlignedFree(_input); _input = null; }
        if (_output != null) { NativeMemory.AlignedFree(_output); _output = null; }
    }
}
