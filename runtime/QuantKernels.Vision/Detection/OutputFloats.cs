using QuantKernels.Runtime;

namespace QuantKernels.Vision;

/// <summary>Reads a model output as floats: float32 in place, uint8/int8 dequantized into a reused buffer.</summary>
internal sealed class OutputFloats
{
    private float[] _buffer = [];

    /// <summary>The tensor's values as floats (valid until the next call).</summary>
    public ReadOnlySpan<float> Read(Tensor t)
    {
        switch (t.Type)
        {
            case TensorType.Float32:
                return t.AsReadOnlySpan<float>();
            case TensorType.UInt8:
            case TensorType.Int8:
            {
                int n = checked((int)t.ElementCount);
                if (_buffer.Length < n) _buffer = new float[n];
                float scale = t.Scale;
                int zp = t.ZeroPoint;
                var dst = _buffer.AsSpan(0, n);
                if (t.Type == TensorType.UInt8)
                {
                    var src = t.AsReadOnlySpan<byte>();
                    for (int i = 0; i < n; i++) dst[i] = (src[i] - zp) * scale;
                }
                else
                {
                    var src = t.AsReadOnlySpan<sbyte>();
                    for (int i = 0; i < n; i++) dst[i] = (src[i] - zp) * scale;
                }
                return dst;
            }
            default:
                throw new ModelFormatException($"{t}: detection outputs must be float32, uint8 or int8");
        }
    }
}
