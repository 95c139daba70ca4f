using QuantKernels.Kernels.Elementwise;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Kernels.Activations;

/// <summary>Prepared parameters of a quantized SOFTMAX (from <see cref="Softmax.Prepare{T}"/>).</summary>
public readonly struct QuantizedSoftmaxParams
{
    /// <summary>Convention the kernel runs.</summary>
    public RequantConvention Convention { get; init; }
    /// <summary>Output scale (1/256 as TFLite requires).</summary>
    public float OutputScale { get; init; }
    /// <summary>Output zero point (-128 int8, 0 uint8).</summary>
    public int OutputZeroPoint { get; init; }
    /// <summary>Reference: input_beta_multiplier from PreprocessSoftmaxScaling.</summary>
    public int InputMultiplier { get; init; }
    /// <summary>Reference: input_beta_left_shift.</summary>
    public int InputLeftShift { get; init; }
    /// <summary>Reference: diff_min = -CalculateInputRadius(5, left_shift).</summary>
    public int DiffMin { get; init; }
}

/// <summary>
/// SOFTMAX over the last axis.
/// <list type="bullet">
/// <item>Float: TFLite reference: exp((x - max) * beta) / sum.</item>
/// <item>Quantized, <see cref="RequantConvention.Xnnpack"/> (what the oracle runs: TFLite's own optimized kernel):
/// table[255 - d] = expf(-s_in * beta * d) built once (PopulateSoftmaxLookupTable), per row
/// sum = Σ table[255 - max + x] in float32 (sequential), inv = 1 / (sum * s_out), q = table * inv rounded
/// (int8: std::round half away, + z_out; uint8 on x86/wasm: (int)(p + 0.5f), ignoring z_out), clamped.</item>
/// <item>Quantized, <see cref="RequantConvention.Reference"/>: TFLite's reference integer softmax (gemmlowp
/// fixed point, 5 integer bits for scaled differences, 12 for the sum, diff_min cut-off).</item>
/// </list>
/// </summary>
public static class Softmax
{
    /// <summary>Length of the float lookup table the Xnnpack convention needs.</summary>
    public const int TableSize = 256;

    private const int ScaledDiffIntegerBits = 5;
    private const int AccumulationIntegerBits = 12;

    /// <summary>Float softmax over the last axis of length <paramref name="depth"/>.</summary>
    /// <param name="input">Input, a multiple of <paramref name="depth"/> elements.</param>
    /// <param name="output">Output, same length.</param>
    /// <param name="depth">Size of the last axis.</param>
    /// <param name="beta">Softmax beta from the op's options.</param>
    public static void Float(ReadOnlySpan<float> input, Span<float> output, int depth, float beta = 1f)
    {
        CheckRows(input.Length, output.Length, depth);
        for (int r = 0; r < input.Length; r += depth)
        {
            var x = input.Slice(r, depth);
            var y = output.Slice(r, depth);
            float max = float.NegativeInfinity;
            foreach (float v in x) max = Math.Max(max, v);
            float sum = 0f;
            for (int i = 0; i < depth; i++) { float e = MathF.Exp((x[i] - max) * beta); y[i] = e; sum += e; }
            for (int i = 0; i < depth; i++) y[i] /= sum;
        }
    }

    private static void CheckRows(int inLength, int outLength, int depth)
    {
        if (depth <= 0) throw new ArgumentOutOfRangeException(nameof(depth), depth, "last axis must be positive");
        if (inLength != outLength) throw new ArgumentException($"input has {inLength} elements but output has {outLength}");
        if (inLength % depth != 0) throw new ArgumentException($"{inLength} elements are not a whole number of rows of {depth}");
    }

    /// <summary>
    /// Prepares a quantized softmax. For the Xnnpack convention fills <paramref name="table"/> (256 floats, caller-owned,
    /// kept for the op's lifetime); the Reference convention ignores it (pass an empty span).
    /// </summary>
    /// <param name="convention">Which TFLite kernel to reproduce.</param>
    /// <param name="inScale">Input scale.</param>
    /// <param name="beta">Softmax beta.</param>
    /// <param name="outScale">Output scale (TFLite requires 1/256).</param>
    /// <param name="outZeroPoint">Output zero point (TFLite requires -128 for int8, 0 for uint8).</param>
    /// <param name="table">Float table for the Xnnpack convention.</param>
    public static QuantizedSoftmaxParams Prepare<T>(RequantConvention convention, float inScale, float beta, float outScale, int outZeroPoint, Span<float> table) where T : unmanaged
    {
        Q8.Check<T>();
        Q8.CheckScale(inScale, nameof(inScale));
        Q8.CheckScale(outScale, nameof(outScale));
        Q8.CheckZeroPoint<T>(outZeroPoint, nameof(outZeroPoint));
        if (convention == RequantConvention.Xnnpack)
        {
            if (table.Length != TableSize) throw new ArgumentException($"table must hold {TableSize} floats", nameof(table));
            float scale = -inScale * beta;
            for (int v = 0; v <= 255; v++) table[255 - v] = MathF.Exp(scale * v);
            return new QuantizedSoftmaxParams { Convention = convention, OutputScale = outScale, OutputZeroPoint = outZeroPoint };
        }
        // PreprocessSoftmaxScaling(beta, input_scale, 5): real = min(beta * s_in * 2^26, 2^31 - 1), QuantizeMultiplierGreaterThanOne.
        double real = Math.Min((double)beta * inScale * (1L << (31 - ScaledDiffIntegerBits)), (1L << 31) - 1.0);
        (int m, int shift) = FixedPoint.QuantizeMultiplier(real);
        if (shift < 0) throw new ArgumentException("beta * input scale is too small for the reference integer softmax (needs a left shift >= 0)");
        // CalculateInputRadius(5, shift): floor((2^5 - 1) * 2^26 / 2^shift).
        double maxInputRescaled = 1.0 * ((1 << ScaledDiffIntegerBits) - 1) * (1L << (31 - ScaledDiffIntegerBits)) / (1L << shift);
        int diffMin = -(int)Math.Floor(maxInputRescaled);
        return new QuantizedSoftmaxParams
        {
            Convention = convention, OutputScale = outScale, OutputZeroPoint = outZeroPoint,
            InputMultiplier = m, InputLeftShift = shift, DiffMin = diffMin,
        };
    }

    /// <summary>Quantized softmax over the last axis (T as in Prepare).</summary>
    /// <param name="p">Parameters from <see cref="Prepare{T}"/>.</param>
    /// <param name="table">The table Prepare filled (Xnnpack convention; ignored for Reference).</param>
    /// <param name="input">Quantized input.</param>
    /// <param name="output">Quantized output (same length).</param>
    /// <param name="depth">Size of the last axis.</param>
    public static void Quantized<T>(in QuantizedSoftmaxParams p, ReadOnlySpan<float> table, ReadOnlySpan<T> input, Span<T> output, int depth) where T : unmanaged
    {
        Q8.Check<T>();
        CheckRows(input.Length, output.Length, depth);
        if (p.Convention == RequantConvention.Xnnpack)
        {
            if (table.Length != TableSize) throw new ArgumentException($"table must hold {TableSize} floats", nameof(table));
            for (int r = 0; r < input.Length; r += depth) LutRow(p, table, input.Slice(r, depth), output.Slice(r, depth));
        }
        else
        {
            for (int r = 0; r < input.Length; r += depth) ReferenceRow(p, input.Slice(r, depth), output.Slice(r, depth));
        }
    }

    private static void LutRow<T>(in QuantizedSoftmaxParams p, ReadOnlySpan<float> table, ReadOnlySpan<T> x, Span<T> y) where T : unmanaged
    {
        int min = Q8.Min<T>(), max = Q8.Max<T>();
        int rowMax = min;
        foreach (T v in x) rowMax = Math.Max(rowMax, Q8.ToInt(v));
        int offset = 255 - rowMax;
        float sum = 0f;
        foreach (T v in x) sum += table[offset + Q8.ToInt(v)];
        float inv = 1f / (sum * p.OutputScale);
        for (int i = 0; i < x.Length; i++)
        {
            float prob = table[offset + Q8.ToInt(x[i])] * inv;
            int q = typeof(T) == typeof(byte)
                ? (int)(prob + 0.5f)                                                   // QuantizeSoftmaxOutput<uint8_t> (non-aarch64)
                : (int)MathF.Round(prob, MidpointRounding.AwayFromZero) + p.OutputZeroPoint;
            y[i] = Q8.FromInt<T>(Math.Clamp(q, min, max));
        }
    }

    private static void ReferenceRow<T>(in QuantizedSoftmaxParams p, ReadOnlySpan<T> x, Span<T> y) where T : unmanaged
    {
        int min = Q8.Min<T>(), max = Q8.Max<T>();
        int rowMax = min;
        foreach (T v in x) rowMax = Math.Max(rowMax, Q8.ToInt(v));
        int sumOfExps = 0; // F12
        foreach (T v in x)
        {
            int diff = Q8.ToInt(v) - rowMax;
            if (diff >= p.DiffMin)
            {
                int e = GemmlowpExp.ExpOnNegativeValuesF5(ScaleDiff(diff, p));
                sumOfExps += GemmlowpExp.MulByPot(e, -AccumulationIntegerBits); // Rescale F0 -> F12
            }
        }
        int shiftedScale = GemmlowpExp.Reciprocal(sumOfExps, AccumulationIntegerBits, out int bitsOverUnit);
        int outputBits = 8;
        for (int i = 0; i < x.Length; i++)
        {
            int diff = Q8.ToInt(x[i]) - rowMax;
            int q;
            if (diff >= p.DiffMin)
            {
                int e = GemmlowpExp.ExpOnNegativeValuesF5(ScaleDiff(diff, p));
                int unsat = FixedPoint.RoundingDivideByPot(FixedPoint.SaturatingRoundingDoublingHighMul(shiftedScale, e), bitsOverUnit + 31 - outputBits);
                q = Math.Clamp(unsat + min, min, max);
            }
            else q = min;
            y[i] = Q8.FromInt<T>(q);
        }
    }

    // MultiplyByQuantizedMultiplierGreaterThanOne: SRDHM(x * 2^left_shift, M).
    private static int ScaleDiff(int diff, in QuantizedSoftmaxParams p)
        => FixedPoint.SaturatingRoundingDoublingHighMul(diff * (1 << p.InputLeftShift), p.InputMultiplier);
}
