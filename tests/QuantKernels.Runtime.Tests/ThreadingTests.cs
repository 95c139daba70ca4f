using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Runtime.Tests;

/// <summary>
/// <see cref="InterpreterOptions.Threads"/> &gt; 1: the packed CONV_2D and DEPTHWISE_CONV_2D kernels split their output pixels, and
/// FULLY_CONNECTED its output channels, over the interpreter's worker pool; outputs must be byte-identical to one thread (and to real TFLite), and Invoke must
/// allocate nothing, on the calling thread or on the workers.
/// </summary>
public class ThreadingTests
{
    private const string Model = "tf2_mobilenet_v2_1.0_224_ptq";

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Threads_give_byte_identical_outputs_that_match_the_oracle(int threads)
    {
        string dir = TestData.Expected(Model);
        byte[] input = File.ReadAllBytes(Path.Combine(dir, "input_0.bin"));
        byte[] expected = File.ReadAllBytes(Path.Combine(dir, "output_0.bin"));
        using var model = TfLiteModel.FromFile(TestData.Model(Model + ".tflite"));
        byte[] one = RunWith(model, 1, input, out _, out _, out _);
        byte[] many = RunWith(model, threads, input, out int splitConvs, out int splitDepthwise, out int splitFc);
        bool splitClassifier;
        using (var interp = new Interpreter(model, new InterpreterOptions { Threads = threads }))
        {
            interp.AllocateTensors();
            splitClassifier = Enumerable.Range(0, model.Operators.Count).Any(i => interp.KernelOf(i) is Ops.Conv2DOp { SplitsChannels: true, Parts: > 1 });
        }
        Assert.True(splitConvs >= 10, $"only {splitConvs} convolutions were split over {threads} threads");
        Assert.Equal(0, splitFc); // the model's classifier is a 1x1 CONV_2D on a 1x1 image: split over its channels
        bool arm = Kernels.Dispatch.Default is Kernels.IsaPath.AdvSimd or Kernels.IsaPath.AdvSimdDp; // that packing runs it whole
        Assert.True(splitClassifier != arm, $"the 1x1-image classifier conv split over its output channels: {splitClassifier}");
        Assert.True(splitDepthwise >= 5, $"only {splitDepthwise} depthwise convolutions were split over {threads} threads");
        Assert.Equal(one, many);
        Assert.Equal(expected, many);
    }

    private static byte[] RunWith(TfLiteModel model, int threads, byte[] input, out int splitConvs, out int splitDepthwise, out int splitFc)
    {
        using var interp = new Interpreter(model, new InterpreterOptions { Threads = threads, Convention = RequantConvention.Xnnpack });
        interp.AllocateTensors();
        splitConvs = splitDepthwise = splitFc = 0;
        for (int i = 0; i < model.Operators.Count; i++)
        {
            if (interp.KernelOf(i) is Ops.Conv2DOp { Parts: > 1 } conv)
            {
                Assert.InRange(conv.Parts, 2, 4 * threads);
                splitConvs++;
            }
            if (interp.KernelOf(i) is Ops.DepthwiseConv2DOp { Parts: > 1 } dw)
            {
                Assert.InRange(dw.Parts, 2, 4 * threads);
                splitDepthwise++;
            }
            if (interp.KernelOf(i) is Ops.FullyConnectedOp { Parts: > 1 } fc)
            {
                Assert.InRange(fc.Parts, 2, threads);
                splitFc++;
            }
        }
        byte[] first = [];
        for (int run = 0; run < 3; run++) // repeated invokes: worker scratch must not carry state between them
        {
            interp.GetInputTensor(0).CopyFrom(input); // the arena reuses the input's bytes for intermediates
            interp.Invoke();
            byte[] output = interp.GetOutputTensor(0).Bytes.ToArray();
            if (run == 0) first = output;
            else Assert.Equal(first, output);
        }
        return first;
    }

    /// <summary>FULLY_CONNECTED 1024 -> 1000 over 6 rows splits its output channels over the threads and gives the
    /// one-thread bytes; with one row (1M MACs, a classifier head) it stays on the calling thread.</summary>
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Fully_connected_splits_its_channels_and_matches_one_thread(int threads)
    {
        const int k = 1024, n = 1000, rows = 6;
        var rng = new Random(5);
        using (var single = FcModel(1, k, n, rng))
        {
            RunWith(single, threads, new byte[k], out _, out _, out int splitSingle);
            Assert.Equal(0, splitSingle); // 1M MACs: not worth waking a worker
        }
        using var model = FcModel(rows, k, n, rng);
        byte[] input = Enumerable.Range(0, rows * k).Select(_ => (byte)rng.Next(256)).ToArray();
        byte[] one = RunWith(model, 1, input, out _, out _, out int splitOne);
        byte[] many = RunWith(model, threads, input, out _, out _, out int splitMany);
        Assert.Equal(0, splitOne);
        bool arm = Kernels.Dispatch.Default is Kernels.IsaPath.AdvSimd or Kernels.IsaPath.AdvSimdDp; // runs whole there
        Assert.Equal(arm ? 0 : 1, splitMany);
        Assert.Equal(one, many);
        Assert.Contains(many, v => v != many[0]);
    }

    /// <summary>A one-op int8 FULLY_CONNECTED model: [rows, k] x [n, k] per-channel weights + bias -> [rows, n].</summary>
    private static TfLiteModel FcModel(int rows, int k, int n, Random rng)
    {
        var w = new Writing.TfliteWriter { Description = "fc threading" };
        float[] wScales = Enumerable.Range(0, n).Select(c => 0.01f + 0.0001f * (c % 13)).ToArray();
        int x = w.AddQuantizedTensor("x", TensorType.Int8, [rows, k], 0.05f, -3);
        int f = w.AddConstant<sbyte>("w", TensorType.Int8, [n, k], Enumerable.Range(0, n * k).Select(_ => (sbyte)rng.Next(-127, 128)).ToArray(),
            wScales, new long[n], 0);
        int b = w.AddConstant<int>("b", TensorType.Int32, [n], Enumerable.Range(0, n).Select(_ => rng.Next(-5000, 5000)).ToArray(),
            wScales.Select(s => 0.05f * s).ToArray(), new long[n], 0);
        int y = w.AddQuantizedTensor("y", TensorType.Int8, [rows, n], 0.5f, 5);
        w.AddOperator(tflite.BuiltinOperator.FULLY_CONNECTED, [x, f, b], [y], fb =>
            (tflite.BuiltinOptions.FullyConnectedOptions, tflite.FullyConnectedOptions.CreateFullyConnectedOptions(fb).Value), version: 4);
        w.SetInputs(x);
        w.SetOutputs(y);
        return TfLiteModel.FromBytes(w.Build(), "fc threading");
    }

    [Fact]
    public void One_thread_has_no_pool_and_splits_nothing()
    {
        using var model = TfLiteModel.FromFile(TestData.Model(Model + ".tflite"));
        using var interp = new Interpreter(model);
        interp.AllocateTensors();
        Assert.Null(interp.Pool);
        for (int i = 0; i < model.Operators.Count; i++)
        {
            if (interp.KernelOf(i) is Ops.Conv2DOp conv) Assert.Equal(1, conv.Parts);
            if (interp.KernelOf(i) is Ops.DepthwiseConv2DOp dw) Assert.Equal(1, dw.Parts);
            if (interp.KernelOf(i) is Ops.FullyConnectedOp fc) Assert.Equal(1, fc.Parts);
        }
    }

    [Fact]
    public void Invoke_with_two_threads_allocates_nothing_on_any_thread()
    {
#if DEBUG
        Assert.Skip("allocation is measured in Release builds (dotnet test -c Release)");
#endif
        using var model = TfLiteModel.FromFile(TestData.Model(Model + ".tflite"));
        using var interp = new Interpreter(model, new InterpreterOptions { Threads = 2 });
        interp.AllocateTensors();
        for (int i = 0; i < 3; i++) interp.Invoke(); // warm-up: JIT, lazy statics, the workers' first waits
        var pool = interp.Pool!;
        long workersBefore = pool.WorkerAllocatedBytes;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++) interp.Invoke();
        long caller = GC.GetAllocatedBytesForCurrentThread() - before;
        long workers = pool.WorkerAllocatedBytes - workersBefore;
        Assert.True(caller == 0, $"Invoke allocated {caller} bytes on the calling thread over 5 runs");
        Assert.True(workers == 0, $"the workers allocated {workers} bytes over 5 runs");
    }

    [Fact]
    public void Disposing_the_interpreter_stops_its_workers()
    {
        using var model = TfLiteModel.FromFile(TestData.Model(Model + ".tflite"));
        var interp = new Interpreter(model, new InterpreterOptions { Threads = 2 });
        interp.AllocateTensors();
        interp.Invoke();
        var pool = interp.Pool!;
        interp.Dispose();
        Assert.Throws<ObjectDisposedException>(() => pool.Run(new NoWork(), 2));
        Assert.True(pool.WaitForWorkersToExit(TimeSpan.FromSeconds(5)), "workers still running after Dispose");
    }

    [Fact]
    public void Pool_runs_every_part_once_and_rethrows_worker_errors()
    {
        using var pool = new WorkerPool(3);
        var count = new CountParts();
        for (int i = 0; i < 200; i++) pool.Run(count, 1 + i % 9); // fewer, as many, and more parts than threads
        Assert.Equal(Enumerable.Range(0, 200).Sum(i => 1 + i % 9), count.Total);
        Assert.Equal(200, count.Part0);
        Assert.Equal(0, count.BadWorker);
        Assert.Throws<InvalidOperationException>(() => pool.Run(new ThrowOnPart(2), 5));
        pool.Run(count, 3); // still usable after an error
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Run(count, 0));
    }

    private sealed class NoWork : IParallelWork
    {
        public void RunPart(int part, int parts, int worker) { }
    }

    private sealed class CountParts : IParallelWork
    {
        public int Total, Part0, BadWorker;
        public void RunPart(int part, int parts, int worker)
        {
            Assert.InRange(part, 0, parts - 1);
            if ((uint)worker >= 3) Interlocked.Increment(ref BadWorker);
            Interlocked.Increment(ref Total);
            if (part == 0) Interlocked.Increment(ref Part0);
        }
    }

    private sealed class ThrowOnPart(int bad) : IParallelWork
    {
        public void RunPart(int part, int parts, int worker)
        {
            if (part == bad) throw new InvalidOperationException($"part {part}");
        }
    }
}
