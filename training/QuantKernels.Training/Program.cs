namespace QuantKernels.Training;

internal static class Program
{
    private static int Main(string[] args)
    {
        // Before anything can load libtorch: its logging reads TORCH_CPP_LOG_LEVEL when the library loads.
        Quantization.OpenMpWaitPolicy.SetPassive();
        return TrainApp.Run(args, Console.Out, Console.Error);
    }
}
