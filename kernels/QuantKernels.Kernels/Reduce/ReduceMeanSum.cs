using System.Numerics;
using QuantKernels.Kernels.Layout;

namespace QuantKernels.Kernels.Reduce;

/// <summary>
/// MEAN and SUM over arbitrary axes (TFLite REDUCE semantics). keep_dims only changes the output
/// shape (<see cref="ReduceShape.ComputeOutputShape"/>), not the data order, so the kernels take the
/// input shape and axes only. An empty axis list copies the input.
/// </summary>
public static class ReduceMeanSum
{
    /// <summary>Float SUM: each output is the sum of its reduced elements in row-major order.</summary>
    /// <param name="input">Input tensor.</param><param name="inputShape">Its shape.</param>
    /// <param name="axes">Axes to reduce (negative allowed, duplicates ignored).</param>
    /// <param name="output">Output, length = product of kept dims.</param>
    public static void SumFloat(ReadOnlySpan<float> input, ReadOnlySpan<int> inputShape, ReadOnlySpan<int> axes, Span<float> output)
        => Float(input, inputShape, axes, output, mean: false);

    /// <summary>Float MEAN: sum / count (TFLite reference: float sum, then one division).</summary>
    public static void MeanFloat(ReadOnlySpan<float> input, ReadOnlySpan<int> inputShape, ReadOnlySpan<int> axes, Span<float> output)
        => Float(input, inputShape, axes, output, mean: true);

    private static void Float(ReadOnlySpan<float> input, ReadOnlySpan<int> inputShape, ReadOnlySpan<int> axes, Span<float> output, bool mean)
    {
        TensorShape.CheckLength(input.Length, inputShape, nameof(input));
        Span<int> scratch = stackalloc int[32];
        var w = new ReduceWalker(inputShape, axes, scratch);
        if (output.Length != w.OutputCount) throw new ArgumentException($"output holds {output.Length} elements, the reduction produces {w.OutputCount}", nameof(output));
        for (int o = 0; o < w.OutputCount; o++)
        {
            int baseOff = w.OuterOffset(o);
            float sum = 0f;
            for (int i = 0; i < w.InnerCount; i++) sum += input[baseOff + w.InnerOffset(i)];
            output[o] = mean ? (w.InnerCount == 0 ? 0f : sum / w.InnerCount) : sum;
        }
    }

    /// <summary>
    /// Quantized (int8/uint8/int16) MEAN or SUM with parameters from <see cref="QuantizedReduceParams.Prepare"/>
    /// (whose IsSum and Count must match this reduction). Raw values are summed in int32, as TFLite does.
    /// </summary>
    public static void Quantized<T>(ReadOnlySpan<T> input, ReadOnlySpan<int> inputShape, ReadOnlySpan<int> axes, Span<T> output,
        in QuantizedReduceParams p) where T : unmanaged, IBinaryInteger<T>
    {
        TensorShape.CheckLength(input.Length, inputShape, nameof(input));
        Span<int> scratch = stackalloc int[32];
        var w = new ReduceWalker(inputShape, axes, scratch);
        if (output.Length != w.OutputCount) throw new ArgumentException($"output holds {output.Length} elements, the reduction produces {w.OutputCount}", nameof(output));
        if (axes.Length == 0)
        {
            input.CopyTo(output); // TFLite: no axes means ReduceIsCopy, even with differing params
            return;
        }
        if (p.Count != w.InnerCount) throw new ArgumentException($"params were prepared for count {p.Count}, this reduction folds {w.InnerCount}", nameof(p));
        for (int o = 0; o < w.OutputCount; o++)
        {
            int baseOff = w.OuterOffset(o);
            int sum = 0;
            for (int i = 0; i < w.InnerCount; i++) sum = unchecked(sum + int.CreateTruncating(input[baseOff + w.InnerOffset(i)]));
            output[o] = T.CreateTruncating(p.Apply(sum));
        }
    }

    /// <summary>
    /// TFLite's own quantized SUM kernel as it runs on CPU (and in the oracle; testdata/oracle-ops/FINDINGS.md):
    /// with identical input/output quantization the stored values are summed and narrowed; otherwise
    /// <c>round_half_away(rawSum * scale + bias) + outZeroPoint</c> with <c>bias = -inZeroPoint*scale*count</c>.
    /// Both narrow WITHOUT saturation (wrap modulo 2^bits), which is what TFLite does.
    /// </summary>
    public static void QuantizedSumTflite<T>(ReadOnlySpan<T> input, ReadOnlySpan<int> inputShape, ReadOnlySpan<int> axes, Span<T> output,
        bool identicalParams, float scale, float bias, int outZeroPoint) where T : unmanaged, IBinaryInteger<T>
    {
        TensorShape.CheckLength(input.Length, inputShape, nameof(input));
        Span<int> scratch = stackalloc int[32];
        var w = new ReduceWalker(inputShape, axes, scratch);
        if (output.Length != w.OutputCount) throw new ArgumentException($"output holds {output.Length} elements, the reduction produces {w.OutputCount}", nameof(output));
        for (int o = 0; o < w.OutputCount; o++)
        {
            int baseOff = w.OuterOffset(o);
            int sum = 0;
            for (int i = 0; i < w.InnerCount; i++) sum = unchecked(sum + int.CreateTruncating(input[baseOff + w.InnerOffset(i)]));
            int v = identicalParams ? sum : (int)MathF.Round(sum * scale + bias, MidpointRounding.AwayFromZero) + outZeroPoint;
            output[o] = T.CreateTruncating(v);
        }
    }
}
