using System.Runtime.InteropServices;
using QuantKernels.Runtime;
using QuantKernels.Runtime.Writing;
using Google.FlatBuffers;
using BO = tflite.BuiltinOperator;

namespace QuantKernels.OracleProbes;

/// <summary>Element type plus (for int8/uint8) per-tensor quantization of one probe tensor.</summary>
internal readonly record struct Q(TensorType Type, float Scale = 0, long Zp = 0)
{
    public static Q F32 => new(TensorType.Float32);
    public static Q I32 => new(TensorType.Int32);
    public static Q I8(float s, long zp) => new(TensorType.Int8, s, zp);
    public static Q U8(float s, long zp) => new(TensorType.UInt8, s, zp);
    public bool Quantized => Type is TensorType.Int8 or TensorType.UInt8 && Scale > 0;
}

/// <summary>
/// One single-op probe model under construction: graph inputs get seeded pseudo-random data (quantized inputs
/// span the whole integer range and always contain both extremes; floats lie in a caller-chosen range).
/// </summary>
internal sealed class ProbeCase
{
    public string Name { get; }
    public TfliteWriter W { get; } = new();
    public List<byte[]> InputData { get; } = [];
    private readonly List<int> _inputs = [];
    private readonly List<int> _outputs = [];
    private readonly Random _rng;

    public ProbeCase(string name)
    {
        Name = name;
        // Stable seed per case name (string.GetHashCode is randomized per process).
        uint h = 2166136261;
        foreach (char c in name) h = (h ^ c) * 16777619;
        _rng = new Random((int)(h & 0x7fffffff));
    }

    public Random Rng => _rng;

    private int Add(string name, Q q, int[] shape, byte[]? data = null) => q.Quantized
        ? W.AddQuantizedTensor(name, q.Type, shape, q.Scale, q.Zp, data)
        : W.AddTensor(name, q.Type, shape, data);

    private static int Count(int[] shape) { int n = 1; foreach (int d in shape) n *= d; return n; }

    /// <summary>A graph input with random data; floats uniform in [lo, hi], int32 uniform in [lo, hi] (integers).</summary>
    public int In(Q q, int[] shape, float lo = -4f, float hi = 4f)
    {
        int n = Count(shape);
        byte[] data;
        switch (q.Type)
        {
            case TensorType.Float32:
            {
                var f = new float[n];
                for (int i = 0; i < n; i++) f[i] = lo + (float)_rng.NextDouble() * (hi - lo);
                data = MemoryMarshal.AsBytes(f.AsSpan()).ToArray();
                break;
            }
            case TensorType.Int32:
            {
                var v = new int[n];
                for (int i = 0; i < n; i++) v[i] = _rng.Next((int)lo, (int)hi + 1);
                data = MemoryMarshal.AsBytes(v.AsSpan()).ToArray();
                break;
            }
            case TensorType.Int8:
            case TensorType.UInt8:
            {
                data = new byte[n];
                _rng.NextBytes(data);
                // Both ends of the range always appear (0x80/0x7f for int8, 0x00/0xff for uint8).
                bool s = q.Type == TensorType.Int8;
                if (n > 0) data[0] = s ? (byte)0x80 : (byte)0x00;
                if (n > 1) data[n - 1] = s ? (byte)0x7f : (byte)0xff;
                if (n > 3) data[n / 2] = (byte)q.Zp; // the zero point itself
                break;
            }
            default: throw new NotSupportedException(q.Type.ToString());
        }
        int t = Add($"in{_inputs.Count}", q, shape);
        _inputs.Add(t);
        InputData.Add(data);
        return t;
    }

    /// <summary>A 256-element int8/uint8 graph input holding every byte value once, in a seeded shuffled order.</summary>
    public int InAllValues(Q q, int[] shape)
    {
        if (Count(shape) != 256) throw new ArgumentException("shape must hold 256 elements");
        var data = new byte[256];
        for (int i = 0; i < 256; i++) data[i] = (byte)i;
        _rng.Shuffle(data);
        int t = Add($"in{_inputs.Count}", q, shape);
        _inputs.Add(t);
        InputData.Add(data);
        return t;
    }

    /// <summary>A graph input with explicit data.</summary>
    public int InData<T>(Q q, int[] shape, T[] values) where T : unmanaged
    {
        int t = Add($"in{_inputs.Count}", q, shape);
        _inputs.Add(t);
        InputData.Add(MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
        return t;
    }

    /// <summary>A graph output.</summary>
    public int Out(Q q, int[] shape)
    {
        int t = Add($"out{_outputs.Count}", q, shape);
        _outputs.Add(t);
        return t;
    }

    /// <summary>An intermediate (non-graph) tensor.</summary>
    public int Mid(string name, Q q, int[] shape) => Add(name, q, shape);

    public int ConstI32(int[] shape, params int[] values) => W.AddConstant<int>($"ci{_constCount++}", TensorType.Int32, shape, values);
    public int ConstI32(params int[] values) => ConstI32([values.Length], values);
    public int ScalarI32(int v) => ConstI32([], v);
    private int _constCount;

    public int ConstF32(int[] shape, float[] values) => W.AddConstant<float>($"cf{_constCount++}", TensorType.Float32, shape, values);

    public int Const(Q q, int[] shape, byte[] raw) => q.Quantized
        ? W.AddTensor($"cq{_constCount++}", q.Type, shape, raw, [q.Scale], [q.Zp])
        : W.AddTensor($"cq{_constCount++}", q.Type, shape, raw);

    /// <summary>Random raw data for a constant of this type (floats in [lo,hi]; quantized full range).</summary>
    public byte[] RandomRaw(Q q, int n, float lo = -1, float hi = 1)
    {
        if (q.Type == TensorType.Float32)
        {
            var f = new float[n];
            for (int i = 0; i < n; i++) f[i] = lo + (float)_rng.NextDouble() * (hi - lo);
            return MemoryMarshal.AsBytes(f.AsSpan()).ToArray();
        }
        var b = new byte[n];
        _rng.NextBytes(b);
        return b;
    }

    public void Op(BO code, int[] inputs, int[] outputs, TfliteWriter.OptionsWriter? options = null, int version = 1)
        => W.AddOperator(code, inputs, outputs, options, version);

    /// <summary>A float input whose magnitudes lie in [lo, hi] with random signs (divisors away from zero).</summary>
    public int InNonZero(int[] shape, float lo, float hi)
    {
        int n = Count(shape);
        var f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (lo + (float)_rng.NextDouble() * (hi - lo)) * (_rng.Next(2) == 0 ? -1 : 1);
        return InData(Q.F32, shape, f);
    }

    /// <summary>An int32 input whose magnitudes lie in [lo, hi] with random signs.</summary>
    public int InNonZeroI32(int[] shape, int lo, int hi)
    {
        int n = Count(shape);
        var v = new int[n];
        for (int i = 0; i < n; i++) v[i] = _rng.Next(lo, hi + 1) * (_rng.Next(2) == 0 ? -1 : 1);
        return InData(Q.I32, shape, v);
    }

    public (byte[] Model, List<byte[]> Inputs) Build()
    {
        W.SetInputs([.. _inputs]);
        W.SetOutputs([.. _outputs]);
        W.Description = "QuantKernels oracle probe " + Name;
        return (W.Build(), InputData);
    }
}
