using System.Runtime.InteropServices;
using QuantKernels.Kernels.Sparse;

namespace QuantKernels.Runtime.Ops;

internal static partial class BuiltinOps
{
    private static void RegisterDensify(OpResolver r)
    {
        r.AddBuiltin(tflite.BuiltinOperator.DENSIFY, () => new DensifyOp());
    }
}

/// <summary>
/// DENSIFY: expands a constant tensor stored in TFLite's sparsity format (float32, float16, int8, int32) into its
/// dense shape. Its input is constant, so the interpreter computes it once at AllocateTensors and consumers see a
/// dense constant (TFLite likewise densifies once and keeps the result).
/// </summary>
internal sealed class DensifyOp : OpKernel
{
    private SparsityInfo? _sparsity;

    public override void Prepare(OpContext context)
    {
        context.RequireCounts(1, 1, 1);
        var input = context.Input(0);
        var output = context.Output(0);
        if (!input.Source.HasSparsity) throw context.Error($"input {input} has no sparsity parameters");
        if (!input.IsConstant) throw context.Error($"input {input} must be a constant tensor");
        context.RequireType(input, "input", TensorType.Float32, TensorType.Float16, TensorType.Int8, TensorType.Int32);
        if (output.Type != input.Type)
            throw context.Error($"output type {TensorTypes.Name(output.Type)} differs from input type {TensorTypes.Name(input.Type)}");
        // The metadata lives in the model; read and validate it once (its index vectors are views, not copies).
        try
        {
            _sparsity ??= SparsityReader.Read(context.Raw.ByteBuffer, input.Source);
        }
        catch (ModelFormatException e)
        {
            throw new ModelFormatException($"{context.Operator}: {e.Message}", e);
        }
        context.SetOutputShape(0, input.Shape);
    }

    public override void Invoke(OpContext context)
    {
        var s = _sparsity ?? throw new InvalidOperationException("DENSIFY invoked before Prepare");
        var input = context.Input(0);
        var shape = input.Shape;
        ReadOnlySpan<byte> src = input.Bytes;
        Span<byte> dst = context.Output(0).MutableBytes;
        // Densify moves bits only, so the element width picks the instantiation; zero is all-zero bits in every type.
        switch (TensorTypes.ElementSize(input.Type))
        {
            case 4:
                Densify.ToDense(MemoryMarshal.Cast<byte, uint>(src), shape, s.TraversalOrder, s.BlockMap, s.Dimensions, MemoryMarshal.Cast<byte, uint>(dst));
                break;
            case 2:
                Densify.ToDense(MemoryMarshal.Cast<byte, ushort>(src), shape, s.TraversalOrder, s.BlockMap, s.Dimensions, MemoryMarshal.Cast<byte, ushort>(dst));
                break;
            default:
                Densify.ToDense(src, shape, s.TraversalOrder, s.BlockMap, s.Dimensions, dst);
                break;
        }
    }
}
