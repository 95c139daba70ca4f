using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace QuantKernels.Bench;

/// <summary>
/// One ONNX Runtime session run as ../shared/peers/ort/OrtBench does: IntraOpNumThreads=1, InterOpNumThreads=1,
/// ORT_ENABLE_ALL, sequential execution, input and output OrtValues allocated once, seeded random input.
/// </summary>
internal sealed class OrtRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly OrtValue _input, _output;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inNames, _outNames;
    private readonly OrtValue[] _inValues, _outValues;

    public OrtRunner(string modelPath)
    {
        if (!File.Exists(modelPath)) throw new FileNotFoundException($"ONNX model missing: {modelPath}", modelPath);
        using var so = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        _session = new InferenceSession(modelPath, so);
        string inName = _session.InputMetadata.Keys.First(), outName = _session.OutputMetadata.Keys.First();
        var im = _session.InputMetadata[inName];
        var om = _session.OutputMetadata[outName];
        long[] ishape = im.Dimensions.Select(d => (long)d).ToArray(), oshape = om.Dimensions.Select(d => (long)d).ToArray();
        long count = ishape.Aggregate(1L, (a, b) => a * b);
        var rnd = new Random(1);
        if (im.ElementDataType == TensorElementType.UInt8)
        {
            var a = new byte[count];
            rnd.NextBytes(a);
            _input = OrtValue.CreateTensorValueFromMemory(a, ishape);
        }
        else
        {
            var a = new sbyte[count];
            for (long i = 0; i < count; i++) a[i] = (sbyte)rnd.Next(-128, 128);
            _input = OrtValue.CreateTensorValueFromMemory(a, ishape);
        }
        _output = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, om.ElementDataType, oshape);
        _inNames = [inName];
        _outNames = [outName];
        _inValues = [_input];
        _outValues = [_output];
    }

    /// <summary>One inference into the pre-allocated output.</summary>
    public void Run() => _session.Run(_runOptions, _inNames, _inValues, _outNames, _outValues);

    public void Dispose()
    {
        _input.Dispose();
        _output.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }
}
