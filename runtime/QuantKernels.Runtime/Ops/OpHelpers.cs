using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Runtime.Ops;

/// <summary>Shared pieces of op preparation: fused activations, quantized ranges, broadcasting, constant reads.</summary>
internal static class OpHelpers
{
    /// <summary>Maps the schema's activation enum to the kernels' one; unknown values are a model error.</summary>
    public static FusedActivation Fused(OpContext context, tflite.ActivationFunctionType activation) => activation switch
    {
        tflite.ActivationFunctionType.NONE => FusedActivation.None,
        tflite.ActivationFunctionType.RELU => FusedActivation.Relu,
        tflite.ActivationFunctionType.RELU_N1_TO_1 => FusedActivation.ReluN1To1,
        tflite.ActivationFunctionType.RELU6 => FusedActivation.Relu6,
        tflite.ActivationFunctionType.TANH => FusedActivation.Tanh,
        tflite.ActivationFunctionType.SIGN_BIT => FusedActivation.SignBit,
        _ => throw context.Error($"unknown fused activation {(int)activation}"),
    };

    /// <summary>The integer range of a quantized type.</summary>
    public static (int Min, int Max) TypeRange(TensorType type) => type switch
    {
        TensorType.Int8 => (sbyte.MinValue, sbyte.MaxValue),
        TensorType.UInt8 => (byte.MinValue, byte.MaxValue),
        TensorType.Int16 => (short.MinValue, short.MaxValue),
        TensorType.Int32 => (int.MinValue, int.MaxValue),
        _ => throw new ArgumentException($"{TensorTypes.Name(type)} is not a quantized integer type"),
    };

    /// <summary>The clamp range of a fused activation on a quantized output, as TFLite computes it.</summary>
    public static (int Min, int Max) QuantizedActivationRange(OpContext context, FusedActivation activation, Tensor output)
    {
        var (qmin, qmax) = TypeRange(output.Type);
        RequireQuantized(context, output, "output");
        if (activation is FusedActivation.Tanh or FusedActivation.SignBit)
            throw context.Unsupported($"fused activation {activation} on a quantized output");
        return ActivationRange.Quantized(activation, output.Scale, output.ZeroPoint, qmin, qmax);
    }

    /// <summary>Requires per-tensor quantization with a positive scale.</summary>
    public static void RequireQuantized(OpContext context, Tensor t, string role)
    {
        if (!t.Quantization.IsQuantized || !(t.Scale > 0))
            throw context.Error($"{role} {t} must be quantized with a positive scale");
        if (t.Type is TensorType.Int8 or TensorType.UInt8 or TensorType.Int16)
        {
            var (min, max) = TypeRange(t.Type);
            foreach (long zp in t.Quantization.ZeroPoints)
                if (zp < min || zp > max) throw context.Error($"{role} {t} has zero point {zp}, outside its type's range [{min}, {max}]");
        }
    }

    /// <summary>True for int8/uint8 (and int16) quantized activations.</summary>
    public static bool IsQuantizedType(TensorType t) => t is TensorType.Int8 or TensorType.UInt8 or TensorType.Int16;

    /// <summary>Requires the tensor to be constant (its data known at Prepare).</summary>
    public static void RequireConstant(OpContext context, Tensor t, string role)
    {
        if (!t.IsConstant) throw context.Unsupported($"{role} {t} must be constant");
    }

    /// <summary>Reads a constant int32 or int64 tensor as int32 values.</summary>
    public static int[] ReadConstantInts(OpContext context, Tensor t, string role)
    {
        RequireConstant(context, t, role);
        return t.Type switch
        {
            TensorType.Int32 => t.AsReadOnlySpan<int>().ToArray(),
            TensorType.Int64 => Array.ConvertAll(t.AsReadOnlySpan<long>().ToArray(), v =>
                v is < int.MinValue or > int.MaxValue ? throw context.Error($"{role} {t} value {v} does not fit in int32") : (int)v),
            _ => throw context.Error($"{role} {t} must be int32 or int64"),
        };
    }

    /// <summary>NumPy/TFLite broadcast of two shapes (aligned at the last dimension).</summary>
    public static int[] BroadcastShape(OpContext context, ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
                throw context.Error($"shapes [{string.Join(",", a.ToArray())}] and [{string.Join(",", b.ToArray())}] cannot be broadcast (dimension {i}: {da} vs {db})");
            result[i] = da == 1 ? db : da;
        }
        return result;
    }

    /// <summary>Normalizes a possibly negative axis against a rank.</summary>
    public static int Axis(OpContext context, int axis, int rank, string role = "axis")
    {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw context.Error($"{role} {axis} is outside rank {rank}");
        return a;
    }

    /// <summary>The per-channel scales of a weights tensor as a float array (one per channel, or repeated per-tensor).</summary>
    public static float[] ChannelScales(OpContext context, Tensor weights, int channels, int axis)
    {
        var q = weights.Quantization;
        if (!q.IsQuantized) throw context.Error($"weights {weights} are not quantized");
        var scales = new float[channels];
        if (q.Scales.Count == 1)
        {
            Array.Fill(scales, q.Scales[0]);
        }
        else
        {
            if (q.Scales.Count != channels || q.QuantizedDimension != axis)
                throw context.Error($"weights {weights} have {q.Scales.Count} scales on axis {q.QuantizedDimension}; expected {channels} on axis {axis} or one");
            for (int c = 0; c < channels; c++) scales[c] = q.Scales[c];
        }
        foreach (float s in scales)
            if (!(s > 0)) throw context.Error($"weights {weights} have a non-positive scale {s}");
        return scales;
    }
}
