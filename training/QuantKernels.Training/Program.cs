namespace QuantKernels.Training;

internal static class Program
{
    private static int Main(string[] args) => TrainApp.Run(args, Console.Out, Console.Error);
}
