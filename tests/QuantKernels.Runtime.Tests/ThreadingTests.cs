using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Runtime.Tests;

/// <summary>
/// <see cref="InterpreterOptions.Threads"/> &gt; 1: the packed CONV_2D and DEPTHWISE_CONV_2D kernels split their output pixels over the
/// interpreter's worker pool; outputs must be byte-identical to one thread (and to real TFLite), and Invoke must
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
        byte[] one = RunWith(model, 1, input, out _, out _);
        byte[] many = RunWith(model, threads, input, out int splitConvs, out int splitDepthwise);
        Assert.True(splitConvs >= 10, $"only {splitConvs} convolutions were split over {threads} threads");
        Assert.True(splitDepthwise >= 5, $"only {splitDepthwise} depthwise convolutions were split over {threads} threads");
        Assert.Equal(one, many);
        Assert.Equal(expected, many);
    }

    private static byte[] RunWith(TfLiteModel model, int threads, byte[] input, out int splitConvs, out int splitDepthwise)
    {
        using var interp = new Interpreter(model, new InterpreterOptions { Threads = threads, Convention = RequantConvention.Xnnpack });
        interp.AllocateTensors();
        splitConvs = splitDepthwise = 0;
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
