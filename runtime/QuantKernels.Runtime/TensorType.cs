namespace QuantKernels.Runtime;

/// <summary>Element types of TFLite tensors, numbered as TFLite's schema numbers them (and its C API's TfLiteType minus one is NOT this; see native/).</summary>
public enum TensorType
{
    Float32 = 0,
    Float16 = 1,
    Int32 = 2,
    UInt8 = 3,
    Int64 = 4,
    String = 5,
    Bool = 6,
    Int16 = 7,
    Complex64 = 8,
    Int8 = 9,
    Float64 = 10,
    Complex128 = 11,
    UInt64 = 12,
    Resource = 13,
    Variant = 14,
    UInt32 = 15,
    UInt16 = 16,
    Int4 = 17,
    BFloat16 = 18,
}

/// <summary>Facts about <see cref="TensorType"/> values.</summary>
public static class TensorTypes
{
    /// <summary>Bytes per element, or 0 for types this runtime cannot hold in a flat buffer (string, resource, variant, int4).</summary>
    public static int ElementSize(TensorType type) => type switch
    {
        TensorType.Float32 or TensorType.Int32 or TensorType.UInt32 => 4,
        TensorType.Float16 or TensorType.Int16 or TensorType.UInt16 or TensorType.BFloat16 => 2,
        TensorType.UInt8 or TensorType.Int8 or TensorType.Bool => 1,
        TensorType.Int64 or TensorType.UInt64 or TensorType.Float64 or TensorType.Complex64 => 8,
        TensorType.Complex128 => 16,
        _ => 0,
    };

    /// <summary>Lower-case name as TFLite prints it (e.g. "int8").</summary>
    public static string Name(TensorType type) => type.ToString().ToLowerInvariant();
}
