#:project ../../runtime/QuantKernels.Runtime/QuantKernels.Runtime.csproj
#:property PublishAot=false
// The managed twin of examples/classify.c's timing, for native/README.md "Measurements": the same steps (load the
// model, create, allocate, copy the input in, invoke, copy the output out), timed the same way.
//   dotnet run -c Release native/bench/managed_classify.cs -- MODEL INPUT.bin ITERS
using System.Diagnostics;
using QuantKernels.Runtime;

long t0 = Stopwatch.GetTimestamp();
using var model = TfLiteModel.FromFile(args[0]);
using var interpreter = new Interpreter(model);
interpreter.AllocateTensors();
interpreter.GetInputTensor(0).CopyFrom(File.ReadAllBytes(args[1]));
interpreter.Invoke();
var output = new byte[interpreter.GetOutputTensor(0).ByteSize];
interpreter.GetOutputTensor(0).CopyTo(output);
Console.Error.WriteLine($"startup-ms {Stopwatch.GetElapsedTime(t0).TotalMilliseconds:F2}");

int iters = int.Parse(args[2]);
var times = new double[iters];
for (int i = 0; i < iters; i++)
{
    long s = Stopwatch.GetTimestamp();
    interpreter.Invoke();
    times[i] = Stopwatch.GetElapsedTime(s).TotalMilliseconds;
}
Array.Sort(times);
Console.Error.WriteLine($"invoke-ms-median {times[iters / 2]:F3} (min {times[0]:F3}, {iters} invokes)");
