namespace QuantKernels.Runtime.FlexBuffers;

/// <summary>What a flexbuffer map value holds, as far as this reader decodes it.</summary>
public enum FlexBufferValueKind
{
    /// <summary>A null value.</summary>
    Null,
    /// <summary>A signed integer (inline or indirect).</summary>
    Int,
    /// <summary>An unsigned integer (inline or indirect).</summary>
    UInt,
    /// <summary>A float or double (inline or indirect).</summary>
    Float,
    /// <summary>A boolean.</summary>
    Bool,
    /// <summary>A string, blob, vector or nested map: present but not decoded.</summary>
    Other,
}

/// <summary>One scalar value of a flexbuffer map.</summary>
public readonly record struct FlexBufferValue(FlexBufferValueKind Kind, long Int, ulong UInt, double Float)
{
    /// <summary>The value as a 64-bit integer (floats truncate toward zero, as flexbuffers' AsInt64 does); null when it is not a number or bool.</summary>
    public long? AsInt64() => Kind switch
    {
        FlexBufferValueKind.Int or FlexBufferValueKind.Bool => Int,
        FlexBufferValueKind.UInt => (long)UInt,
        FlexBufferValueKind.Float => double.IsNaN(Float) ? 0 : (long)Math.Clamp(Float, long.MinValue, long.MaxValue),
        _ => null,
    };

    /// <summary>The value as a double; null when it is not a number or bool.</summary>
    public double? AsDouble() => Kind switch
    {
        FlexBufferValueKind.Int or FlexBufferValueKind.Bool => Int,
        FlexBufferValueKind.UInt => UInt,
        FlexBufferValueKind.Float => Float,
        _ => null,
    };

    /// <summary>The value as a bool (non-zero is true); null when it is not a number or bool.</summary>
    public bool? AsBool() => Kind switch
    {
        FlexBufferValueKind.Int or FlexBufferValueKind.Bool => Int != 0,
        FlexBufferValueKind.UInt => UInt != 0,
        FlexBufferValueKind.Float => Float != 0,
        _ => null,
    };
}
