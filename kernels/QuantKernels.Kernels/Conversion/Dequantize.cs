using System.Numerics;

namespace QuantKernels.Kernels.Conversion;

/// <summary>
/// DEQUANTIZE: real = scale * (q - zp), computed as TFLite's reference does ((double)scale * (q - zp), then
/// rounded once to float). For 8- and 16-bit q that product is exact in double, so this equals the float32
/// product XNNPACK and TFLite's optimized kernels compute: one correctly rounded result.
/// </summary>
public static class Dequantize
{
    /// <summary>int8/uint8/int16 (any integer) -&gt; float32.</summary>
    /// <param name="input">Quantized input.</param><param name="output">Float output, same length.</param>
    /// <param name="scale">Input scale.</param><param name="zeroPoint">Input zero point.</param>
    public static void Run<T>(ReadOnlySpan<T> input, Span<float> output, float scale, int zeroPoint)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (input.Length != output.Length) throw new ArgumentException($"input has {input.Length} elements, output {output.Length}");
        double s = scale;
        for (int i = 0; i < input.Length; i++)
            output[i] = (float)(s * (long.CreateTruncating(input[i]) - zeroPoint));
    }

    /// <summary>float16 -&gt; float32 (exact widening; TFLite's DEQUANTIZE of fp16 weights).</summary>
    public static void Half(ReadOnlySpan<Half> input, Span<float> output)
    {
        if (input.Length != output.Length) throw new ArgumentException($"input has {input.Length} elements, output {output.Length}");
        for (int i = 0; i < input.Length; i++) output[i] = (float)input[i];
    }
}
