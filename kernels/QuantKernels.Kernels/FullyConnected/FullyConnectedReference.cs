using System.Numerics;
using System.Runtime.CompilerServices;
using QuantKernels.Kernels.Convolution;

namespace QuantKernels.Kernels.FullyConnected;

/// <summary>
/// Scalar reference FULLY_CONNECTED: input [batches, K] (the caller flattens), weights [N, K], output [batches, N].
/// Quantized: acc = bias[n] + sum_k (x - zpIn) * (w - zpW), then <see cref="QuantizedConvParams.Requantize"/>
/// with per-output-row (per-channel) or per-tensor parameters.
/// </summary>
public static class FullyConnectedReference
{
    /// <summary>int8 activations, int8 weights (per-row or per-tensor), int32 bias.</summary>
    /// <param name="batches">Rows of the input and output.</param>
    /// <param name="inputDepth">K: input features per row (weights' second dimension).</param>
    /// <param name="outputDepth">N: output features per row (weights' first dimension).</param>
    /// <param name="input">[batches, K] input.</param>
    /// <param name="weights">[N, K] weights.</param>
    /// <param name="bias">N int32 values, or empty when absent.</param>
    /// <param name="parameters">Requantization parameters from <see cref="QuantizedConvParams.Prepare"/> with N channels.</param>
    /// <param name="output">[batches, N] output.</param>
    public static void Run(int batches, int inputDepth, int outputDepth, ReadOnlySpan<sbyte> input, ReadOnlySpan<sbyte> weights,
        ReadOnlySpan<int> bias, QuantizedConvParams parameters, Span<sbyte> output)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        CheckShapes(batches, inputDepth, outputDepth, input.Length, weights.Length, bias.Length, output.Length);
        parameters.Validate(sbyte.MinValue, sbyte.MaxValue, outputDepth, sbyte.MinValue, sbyte.MaxValue);
        Quantized(batches, inputDepth, outputDepth, input, weights, bias, parameters, output);
    }

    /// <summary>Legacy uint8: uint8 activations, uint8 per-tensor weights with a weight zero point.</summary>
    /// <inheritdoc cref="Run(int, int, int, ReadOnlySpan{sbyte}, ReadOnlySpan{sbyte}, ReadOnlySpan{int}, QuantizedConvParams, Span{sbyte})"/>
    public static void Run(int batches, int inputDepth, int outputDepth, ReadOnlySpan<byte> input, ReadOnlySpan<byte> weights,
        ReadOnlySpan<int> bias, QuantizedConvParams parameters, Span<byte> output)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        CheckShapes(batches, inputDepth, outputDepth, input.Length, weights.Length, bias.Length, output.Length);
        parameters.Validate(byte.MinValue, byte.MaxValue, outputDepth, byte.MinValue, byte.MaxValue);
        Quantized(batches, inputDepth, outputDepth, input, weights, bias, parameters, output);
    }

    /// <summary>float32: out = clamp(sum_k x * w + bias[n], min, max).</summary>
    /// <param name="batches">Rows of the input and output.</param>
    /// <param name="inputDepth">K.</param>
    /// <param name="outputDepth">N.</param>
    /// <param name="input">[batches, K] input.</param>
    /// <param name="weights">[N, K] weights.</param>
    /// <param name="bias">N floats, or empty when absent.</param>
    /// <param name="outputMin">Lower clamp of the fused activation.</param>
    /// <param name="outputMax">Upper clamp of the fused activation.</param>
    /// <param name="output">[batches, N] output.</param>
    public static void Run(int batches, int inputDepth, int outputDepth, ReadOnlySpan<float> input, ReadOnlySpan<float> weights,
        ReadOnlySpan<float> bias, float outputMin, float outputMax, Span<float> output)
    {
        CheckShapes(batches, inputDepth, outputDepth, input.Length, weights.Length, bias.Length, output.Length);
        if (!(outputMin <= outputMax)) throw new ArgumentException($"clamp range [{outputMin}, {outputMax}] is empty", nameof(outputMin));
        for (int b = 0; b < batches; b++)
        {
            ReadOnlySpan<float> row = input.Slice(b * inputDepth, inputDepth);
            for (int n = 0; n < outputDepth; n++)
            {
                ReadOnlySpan<float> w = weights.Slice(n * inputDepth, inputDepth);
                float total = 0f;
                for (int k = 0; k < inputDepth; k++) total += row[k] * w[k];
                if (!bias.IsEmpty) total += bias[n];
                output[b * outputDepth + n] = MathF.Min(MathF.Max(total, outputMin), outputMax);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Quantized<T>(int batches, int inputDepth, int outputDepth, ReadOnlySpan<T> input, ReadOnlySpan<T> weights,
        ReadOnlySpan<int> bias, QuantizedConvParams p, Span<T> output)
        where T : unmanaged, IBinaryInteger<T>
    {
        int zpIn = p.InputZeroPoint, zpW = p.WeightZeroPoint;
        for (int b = 0; b < batches; b++)
        {
            ReadOnlySpan<T> row = input.Slice(b * inputDepth, inputDepth);
            for (int n = 0; n < outputDepth; n++)
            {
                ReadOnlySpan<T> w = weights.Slice(n * inputDepth, inputDepth);
                int acc = 0;
                for (int k = 0; k < inputDepth; k++)
                    acc += (int.CreateTruncating(row[k]) - zpIn) * (int.CreateTruncating(w[k]) - zpW);
                if (!bias.IsEmpty) acc += bias[n];
                output[b * outputDepth + n] = T.CreateTruncating(p.Requantize(acc, n));
            }
        }
    }

    private static void CheckShapes(int batches, int inputDepth, int outputDepth, int inputLength, int weightsLength, int biasLength, int outputLength)
    {
        if (batches < 1) throw new ArgumentException($"batches must be at least 1, got {batches}", nameof(batches));
        if (inputDepth < 1) throw new ArgumentException($"inputDepth must be at least 1, got {inputDepth}", nameof(inputDepth));
        if (outputDepth < 1) throw new ArgumentException($"outputDepth must be at least 1, got {outputDepth}", nameof(outputDepth));
        if ((long)batches * inputDepth != inputLength)
            throw new ArgumentException($"input has {inputLength} elements, [{batches}, {inputDepth}] needs {(long)batches * inputDepth}", "input");
        if ((long)outputDepth * inputDepth != weightsLength)
            throw new ArgumentException($"weights have {weightsLength} elements, [{outputDepth}, {inputDepth}] needs {(long)outputDepth * inputDepth}", "weights");
        if (biasLength != 0 && biasLength != outputDepth)
            throw new ArgumentException($"bias has {biasLength} elements, expected 0 (absent) or {outputDepth}", "bias");
        if ((long)batches * outputDepth != outputLength)
            throw new ArgumentException($"output has {outputLength} elements, [{batches}, {outputDepth}] needs {(long)batches * outputDepth}", "output");
    }
}
