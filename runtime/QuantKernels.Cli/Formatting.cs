using System.Globalization;
using QuantKernels.Runtime;

namespace QuantKernels.Cli;

/// <summary>Text forms of shapes, types and quantization shared by the commands (culture-invariant).</summary>
public static class Formatting
{
    /// <summary>A shape as <c>[1,224,224,3]</c>.</summary>
    public static string Shape(IEnumerable<int> shape) => "[" + string.Join(",", shape) + "]";

    /// <summary>A tensor type and shape as <c>int8[1,96,96,1]</c>.</summary>
    public static string TypeAndShape(TensorType type, IEnumerable<int> shape) => TensorTypes.Name(type) + Shape(shape);

    /// <summary>A float in its shortest round-trip form.</summary>
    public static string Number(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// Quantization summary: <c>scale=0.0078125 zp=128</c> per tensor, <c>per-axis axis=0 scales=32 first scale=0.0123 zp=0</c>
    /// per axis, <c>none</c> when not quantized.
    /// </summary>
    public static string Quantization(QuantizationInfo? q) => q switch
    {
        null => "none",
        { PerAxis: false } => $"scale={Number(q.Scale)} zp={q.ZeroPoint}",
        _ => $"per-axis axis={q.Axis} scales={q.ScaleCount} first scale={Number(q.Scale)} zp={q.ZeroPoint}",
    };

    /// <summary>A byte count with thousands separators, e.g. <c>1,234,567</c>.</summary>
    public static string Bytes(long bytes) => bytes.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Milliseconds with three decimals.</summary>
    public static string Ms(double ms) => ms.ToString("F3", CultureInfo.InvariantCulture);
}
