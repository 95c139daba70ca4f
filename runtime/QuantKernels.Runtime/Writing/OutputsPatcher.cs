using System.Buffers.Binary;

namespace QuantKernels.Runtime.Writing;

/// <summary>
/// Rewrites which tensors a model's main subgraph lists as outputs, without re-serializing anything else: a new
/// int32 vector is appended to the flatbuffer and the subgraph's <c>outputs</c> field is pointed at it. Any TFLite
/// then writes those tensors too, which makes layer-by-layer comparison with the oracle possible.
/// </summary>
public static class OutputsPatcher
{
    /// <summary>Returns a copy of <paramref name="model"/> whose subgraph 0 outputs are <paramref name="outputs"/>.</summary>
    /// <exception cref="ModelFormatException">The model is not valid (it is loaded and validated first).</exception>
    public static byte[] WithOutputs(byte[] model, ReadOnlySpan<int> outputs)
    {
        using var validated = TfLiteModel.FromBytes(model);
        foreach (int o in outputs)
            if ((uint)o >= (uint)validated.Tensors.Count) throw new ArgumentOutOfRangeException(nameof(outputs), o, "tensor index out of range");

        int outputsField = SubgraphOutputsFieldPosition(model);
        int start = (model.Length + 3) & ~3;
        var patched = new byte[start + 4 + 4 * outputs.Length];
        model.CopyTo(patched, 0);
        BinaryPrimitives.WriteInt32LittleEndian(patched.AsSpan(start), outputs.Length);
        for (int i = 0; i < outputs.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(patched.AsSpan(start + 4 + 4 * i), outputs[i]);
        // uoffset_t is relative to the field's own position and unsigned: the appended vector lies after it.
        BinaryPrimitives.WriteUInt32LittleEndian(patched.AsSpan(outputsField), (uint)(start - outputsField));
        return patched;
    }

    /// <summary>Every tensor that is not constant, in index order, optionally excluding some types.</summary>
    public static int[] NonConstantTensors(TfLiteModel model, params TensorType[] excludedTypes)
        => model.Tensors.Where(t => !t.IsConstant && Array.IndexOf(excludedTypes, t.Type) < 0).Select(t => t.Index).ToArray();

    private static int SubgraphOutputsFieldPosition(byte[] b)
    {
        int root = ReadI32(b, 0);
        int subgraphsField = Field(b, root, slot: 2);
        int vector = subgraphsField + ReadI32(b, subgraphsField);
        int firstElement = vector + 4;
        int subgraph = firstElement + ReadI32(b, firstElement);
        int outputs = Field(b, subgraph, slot: 2);
        if (outputs == 0) throw new ModelFormatException("subgraph 0 has no outputs field to patch");
        return outputs;
    }

    /// <summary>Absolute position of field <paramref name="slot"/> of the table at <paramref name="table"/>, or 0 if absent.</summary>
    private static int Field(byte[] b, int table, int slot)
    {
        int vtable = table - ReadI32(b, table);
        int vtableSize = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(vtable));
        int entry = 4 + 2 * slot;
        if (entry >= vtableSize) return 0;
        int offset = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(vtable + entry));
        return offset == 0 ? 0 : table + offset;
    }

    private static int ReadI32(byte[] b, int pos) => BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(pos));
}
