using System.Numerics;
using QuantKernels.Kernels.Layout;

namespace QuantKernels.Kernels.Pooling;

/// <summary>MAX_POOL_2D, NHWC: maximum over the in-image taps, then the fused activation clamp.</summary>
public static class MaxPool2D
{
    /// <summary>Float max pool clamped to [actMin, actMax]. Parameters as in <see cref="AveragePool2D.Float"/>.</summary>
    public static void Float(ReadOnlySpan<float> input, Nhwc inputShape, Span<float> output, Nhwc outputShape,
        in Pool2DParams p, float actMin = float.NegativeInfinity, float actMax = float.PositiveInfinity)
    {
        p.Validate(inputShape, outputShape, input.Length, output.Length);
        for (int b = 0; b < outputShape.N; b++)
            for (int oy = 0; oy < outputShape.H; oy++)
                for (int ox = 0; ox < outputShape.W; ox++)
                {
                    p.Window(oy, ox, inputShape, out int y0, out int y1, out int x0, out int x1);
                    if (y1 <= y0 || x1 <= x0) throw new ArgumentException($"pool window at output ({oy},{ox}) covers no input pixel");
                    int o = outputShape.Offset(b, oy, ox, 0);
                    for (int c = 0; c < outputShape.C; c++)
                    {
                        float max = float.MinValue; // TFLite starts from std::numeric_limits<float>::lowest()
                        for (int y = y0; y < y1; y++)
                            for (int x = x0; x < x1; x++)
                                max = Math.Max(max, input[inputShape.Offset(b, y, x, c)]);
                        output[o + c] = Math.Min(Math.Max(max, actMin), actMax);
                    }
                }
    }

    /// <summary>Quantized (int8/uint8) max pool: max of raw values (shared params), clamped to [actMin, actMax].</summary>
    public static void Quantized<T>(ReadOnlySpan<T> input, Nhwc inputShape, Span<T> output, Nhwc outputShape,
        in Pool2DParams p, int actMin, int actMax) where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        p.Validate(inputShape, outputShape, input.Length, output.Length);
        AveragePool2D.CheckRange<T>(actMin, actMax);
        for (int b = 0; b < outputShape.N; b++)
            for (int oy = 0; oy < outputShape.H; oy++)
                for (int ox = 0; ox < outputShape.W; ox++)
                {
                    p.Window(oy, ox, inputShape, out int y0, out int y1, out int x0, out int x1);
                    if (y1 <= y0 || x1 <= x0) throw new ArgumentException($"pool window at output ({oy},{ox}) covers no input pixel");
                    int o = outputShape.Offset(b, oy, ox, 0);
                    for (int c = 0; c < outputShape.C; c++)
                    {
                        int max = int.MinValue;
                        for (int y = y0; y < y1; y++)
                            for (int x = x0; x < x1; x++)
                                max = Math.Max(max, int.CreateTruncating(input[inputShape.Offset(b, y, x, c)]));
                        output[o + c] = T.CreateTruncating(Math.Min(Math.Max(max, actMin), actMax));
                    }
                }
    }
}
