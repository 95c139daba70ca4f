using System.Numerics;
using QuantKernels.Kernels.Layout;

namespace QuantKernels.Kernels.Pooling;

/// <summary>
/// AVERAGE_POOL_2D, NHWC. The average runs over the in-image taps only (padded taps are not counted).
/// Quantized: TFLite's own integer kernel (what the oracle runs, see CONVENTIONS.md): sum the raw
/// quantized values (input and output share scale and zero point), then
/// <c>(sum + (sum &gt; 0 ? n/2 : -n/2)) / n</c> with C truncation, then clamp to the activation range.
/// </summary>
public static class AveragePool2D
{
    /// <summary>Float average pool: sum of in-image taps / tap count, clamped to [actMin, actMax].</summary>
    /// <param name="input">NHWC input.</param><param name="inputShape">Input shape.</param>
    /// <param name="output">NHWC output.</param><param name="outputShape">Output shape (same N, C).</param>
    /// <param name="p">Window geometry.</param>
    /// <param name="actMin">Fused activation lower bound (<see cref="Quantization.ActivationRange.Float"/>).</param>
    /// <param name="actMax">Fused activation upper bound.</param>
    public static void Float(ReadOnlySpan<float> input, Nhwc inputShape, Span<float> output, Nhwc outputShape,
        in Pool2DParams p, float actMin = float.NegativeInfinity, float actMax = float.PositiveInfinity)
    {
        p.Validate(inputShape, outputShape, input.Length, output.Length);
        for (int b = 0; b < outputShape.N; b++)
            for (int oy = 0; oy < outputShape.H; oy++)
                for (int ox = 0; ox < outputShape.W; ox++)
                {
                    p.Window(oy, ox, inputShape, out int y0, out int y1, out int x0, out int x1);
                    int count = (y1 - y0) * (x1 - x0);
                    if (y1 <= y0 || x1 <= x0) throw new ArgumentException($"pool window at output ({oy},{ox}) covers no input pixel");
                    int o = outputShape.Offset(b, oy, ox, 0);
                    for (int c = 0; c < outputShape.C; c++)
                    {
                        float total = 0f;
                        for (int y = y0; y < y1; y++)
                            for (int x = x0; x < x1; x++)
                                total += input[inputShape.Offset(b, y, x, c)];
                        float avg = total / count;
                        output[o + c] = Math.Min(Math.Max(avg, actMin), actMax);
                    }
                }
    }

    /// <summary>
    /// Quantized (int8 or uint8) average pool, TFLite's integer kernel. Input and output must share
    /// scale and zero point (TFLite requires it); <paramref name="actMin"/>/<paramref name="actMax"/> are the
    /// quantized fused-activation bounds (<see cref="Quantization.ActivationRange.Quantized"/>).
    /// </summary>
    public static void Quantized<T>(ReadOnlySpan<T> input, Nhwc inputShape, Span<T> output, Nhwc outputShape,
        in Pool2DParams p, int actMin, int actMax) where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        p.Validate(inputShape, outputShape, input.Length, output.Length);
        CheckRange<T>(actMin, actMax);
        for (int b = 0; b < outputShape.N; b++)
            for (int oy = 0; oy < outputShape.H; oy++)
                for (int ox = 0; ox < outputShape.W; ox++)
                {
                    p.Window(oy, ox, inputShape, out int y0, out int y1, out int x0, out int x1);
                    if (y1 <= y0 || x1 <= x0) throw new ArgumentException($"pool window at output ({oy},{ox}) covers no input pixel");
                    int n = (y1 - y0) * (x1 - x0);
                    int o = outputShape.Offset(b, oy, ox, 0);
                    for (int c = 0; c < outputShape.C; c++)
                    {
                        int acc = 0;
                        for (int y = y0; y < y1; y++)
                            for (int x = x0; x < x1; x++)
                                acc += int.CreateTruncating(input[inputShape.Offset(b, y, x, c)]);
                        // C++ '/' truncates toward zero, as C#'s does; the +-n/2 makes it round half away from zero.
                        acc = acc > 0 ? (acc + n / 2) / n : (acc - n / 2) / n;
                        acc = Math.Min(Math.Max(acc, actMin), actMax);
                        output[o + c] = T.CreateTruncating(acc);
                    }
                }
    }

    internal static void CheckRange<T>(int actMin, int actMax) where T : IBinaryInteger<T>, IMinMaxValue<T>
    {
        int lo = int.CreateTruncating(T.MinValue), hi = int.CreateTruncating(T.MaxValue);
        if (actMin > actMax || actMin < lo || actMax > hi)
            throw new ArgumentException($"activation range [{actMin},{actMax}] is not inside [{lo},{hi}]");
    }
}
