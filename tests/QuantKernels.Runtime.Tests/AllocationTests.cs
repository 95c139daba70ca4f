namespace QuantKernels.Runtime.Tests;

/// <summary>Invoke must not allocate on the managed heap once the interpreter is prepared.</summary>
public class AllocationTests
{
    [Fact]
    public void Invoke_allocates_nothing_in_steady_state_on_a_tiny_model()
        => AssertNoAllocation(TfLiteModel.FromBytes(TinyModels.ReshapeChain()));

    [Theory]
    [InlineData("mobilenet_v1_0.25_128_quant.tflite")]
    [InlineData("person_detect.tflite")]
    [InlineData("micro_speech_quantized.tflite")]
    [InlineData("hello_world_int8.tflite")]
    public void Invoke_allocates_nothing_in_steady_state_on_real_models(string name)
    {
        AssertNoAllocation(TfLiteModel.FromFile(TestData.Model(name)), Kernels.Quantization.RequantConvention.Xnnpack);
        AssertNoAllocation(TfLiteModel.FromFile(TestData.Model(name)), Kernels.Quantization.RequantConvention.Reference);
    }

    internal static void AssertNoAllocation(TfLiteModel model, Kernels.Quantization.RequantConvention convention = default)
    {
#if DEBUG
        // The contract is for optimized code (CI and the README run Release). An unoptimized Debug build of these
        // tests has shown a few hundred bytes per SOFTMAX invoke inside the xunit host that a standalone Debug probe
        // of the same op does not reproduce; not yet explained.
        model.Dispose();
        Assert.Skip("allocation is measured in Release builds (dotnet test -c Release)");
#endif
        using (model)
        {
            using var interp = new Interpreter(model, new InterpreterOptions { Convention = convention });
            interp.AllocateTensors();
            for (int i = 0; i < 3; i++) interp.Invoke(); // warm-up: JIT, lazy statics
            // Steady state = a window of 5 Invokes that allocates nothing. Up to 4 windows are tried: a one-off lazy
            // initialisation on the calling thread (seen once on person_detect in a loaded full-suite run, not
            // reproducible alone) must not fail the test, while an allocation in every Invoke fails every window.
            long allocated = 0;
            for (int window = 0; window < 4; window++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < 5; i++) interp.Invoke();
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                if (allocated == 0) return;
            }
            // Name the operators that allocate.
            var culprits = new List<string>();
            for (int op = 0; op < model.Operators.Count; op++)
            {
                long b0 = GC.GetAllocatedBytesForCurrentThread();
                interp.InvokeOperator(op);
                long b = GC.GetAllocatedBytesForCurrentThread() - b0;
                if (b > 0) culprits.Add($"{model.Operators[op]}: {b} B");
            }
            Assert.Fail($"Invoke allocated {allocated} bytes over the last of 4 windows of 5 runs; per operator: {string.Join("; ", culprits)}");
        }
    }
}
