using Google.FlatBuffers;

namespace QuantKernels.Runtime;

/// <summary>
/// Reads and validates a TFLite flatbuffer into <see cref="ModelContents"/>. Every count read from the file is
/// checked against the file size before it drives a loop or an allocation; every index is range-checked; every
/// low-level read failure of the generated accessors becomes a <see cref="ModelFormatException"/> naming what was
/// being read.
/// </summary>
internal static class ModelReader
{
    /// <summary>The only schema version TFLite itself accepts.</summary>
    private const int SchemaVersion = 3;

    /// <summary>Largest tensor this runtime will plan (bytes); larger declared shapes are rejected as malformed.</summary>
    internal const long MaxTensorBytes = int.MaxValue;

    public static ModelContents Read(byte[] bytes, string source)
    {
        if (bytes.Length < 8)
            throw new ModelFormatException($"{source}: {bytes.Length} bytes is too short to be a TFLite model");
        var ctx = new ReadContext(bytes, source);
        try
        {
            return ReadModel(ctx);
        }
        catch (ModelFormatException)
        {
            throw;
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or InvalidOperationException
                                      or OverflowException or System.Text.DecoderFallbackException)
        {
            // The generated accessors bounds-check every read through ByteBuffer; a failure means an offset in the
            // file points outside it.
            throw new ModelFormatException($"{source}: malformed flatbuffer while reading {ctx.Where}: {e.Message}", e);
        }
    }

    private sealed class ReadContext(byte[] bytes, string source)
    {
        public readonly byte[] Bytes = bytes;
        public readonly string Source = source;
        public string Where = "the root table";

        public ModelFormatException Error(string what) => new($"{Source}: {what}");

        /// <summary>A vector of <paramref name="count"/> elements of <paramref name="elementSize"/> bytes must fit in the file.</summary>
        public void CheckCount(int count, int elementSize, string what)
        {
            if (count < 0 || (long)count * elementSize > Bytes.Length)
                throw Error($"{what}: count {count} does not fit in a {Bytes.Length}-byte file");
        }
    }

    private static ModelContents ReadModel(ReadContext ctx)
    {
        var bb = new ByteBuffer(ctx.Bytes);
        int root = bb.GetInt(0);
        if (root < 8 || root > ctx.Bytes.Length - 4)
            throw ctx.Error($"root table offset {root} is outside the file");
        var model = tflite.Model.GetRootAsModel(bb);

        int version = (int)model.Version;
        if (version != SchemaVersion)
            throw ctx.Error($"schema version {model.Version}; only version {SchemaVersion} is supported (is this a .tflite file?)");

        ctx.Where = "the description";
        string? description = model.Description;

        ctx.Where = "the buffers table";
        int bufferCount = model.BuffersLength;
        ctx.CheckCount(bufferCount, 4, "buffers");
        var buffers = new ReadOnlyMemory<byte>[bufferCount];
        for (int i = 0; i < bufferCount; i++)
        {
            ctx.Where = $"buffer {i}";
            buffers[i] = ReadBuffer(ctx, model, i);
        }

        ctx.Where = "the operator codes";
        int codeCount = model.OperatorCodesLength;
        ctx.CheckCount(codeCount, 4, "operator codes");
        var codes = new (tflite.BuiltinOperator Code, string? Custom, int Version)[codeCount];
        for (int i = 0; i < codeCount; i++)
        {
            ctx.Where = $"operator code {i}";
            var oc = model.OperatorCodes(i) ?? throw ctx.Error($"operator code {i} is null");
            // Files written before the builtin code became an int32 keep it in the deprecated int8 field;
            // 127 (PLACEHOLDER_FOR_GREATER_OP_CODES) means "read the new field".
            int deprecated = oc.DeprecatedBuiltinCode;
            int code = deprecated == 127 ? (int)oc.BuiltinCode : Math.Max(deprecated, (int)oc.BuiltinCode);
            if (code < 0) throw ctx.Error($"operator code {i}: negative builtin code {code}");
            string? custom = (tflite.BuiltinOperator)code == tflite.BuiltinOperator.CUSTOM ? oc.CustomCode : null;
            codes[i] = ((tflite.BuiltinOperator)code, custom, oc.Version);
        }

        ctx.Where = "the subgraphs";
        int subgraphCount = model.SubgraphsLength;
        ctx.CheckCount(subgraphCount, 4, "subgraphs");
        if (subgraphCount < 1) throw ctx.Error("the model has no subgraph");
        var sg = model.Subgraphs(0) ?? throw ctx.Error("subgraph 0 is null");

        var tensors = ReadTensors(ctx, sg, buffers);
        long weightBytes = 0;
        foreach (var t in tensors) weightBytes += t.Data.Length;

        ctx.Where = "subgraph 0 inputs";
        int[] inputs = ReadIndexVector(ctx, sg.InputsLength, sg.Inputs, tensors.Length, "subgraph 0 inputs", allowOmitted: false);
        ctx.Where = "subgraph 0 outputs";
        int[] outputs = ReadIndexVector(ctx, sg.OutputsLength, sg.Outputs, tensors.Length, "subgraph 0 outputs", allowOmitted: false);

        var operators = ReadOperators(ctx, sg, codes, tensors.Length);
        CheckGraphOrder(ctx, tensors, operators, inputs, outputs);
        return new ModelContents(version, description, tensors, operators, inputs, outputs, subgraphCount, weightBytes);
    }

    private static ReadOnlyMemory<byte> ReadBuffer(ReadContext ctx, tflite.Model model, int i)
    {
        var buffer = model.Buffers(i);
        if (buffer is null) return ReadOnlyMemory<byte>.Empty;
        var b = buffer.Value;
        ulong offset = b.Offset, size = b.Size;
        if (offset > 1)
        {
            // Large-model layout: data lives after the flatbuffer, addressed from the file start.
            if (offset > (ulong)ctx.Bytes.Length || size > (ulong)ctx.Bytes.Length - offset)
                throw ctx.Error($"buffer {i}: external data at offset {offset} size {size} is outside the {ctx.Bytes.Length}-byte file");
            return new ReadOnlyMemory<byte>(ctx.Bytes, (int)offset, (int)size);
        }
        int length = b.DataLength;
        ctx.CheckCount(length, 1, $"buffer {i} data");
        if (length == 0) return ReadOnlyMemory<byte>.Empty;
        var segment = b.GetDataBytes() ?? throw ctx.Error($"buffer {i}: data vector unreadable");
        if (segment.Array != ctx.Bytes) throw ctx.Error($"buffer {i}: data vector unreadable");
        return new ReadOnlyMemory<byte>(ctx.Bytes, segment.Offset, segment.Count);
    }

    private static ModelTensor[] ReadTensors(ReadContext ctx, tflite.SubGraph sg, ReadOnlyMemory<byte>[] buffers)
    {
        ctx.Where = "subgraph 0 tensors";
        int count = sg.TensorsLength;
        ctx.CheckCount(count, 4, "subgraph 0 tensors");
        var tensors = new ModelTensor[count];
        for (int i = 0; i < count; i++)
        {
            ctx.Where = $"tensor {i}";
            var t = sg.Tensors(i) ?? throw ctx.Error($"tensor {i} is null");
            string name = t.Name ?? "";
            string label = $"tensor {i} '{name}'";

            var schemaType = t.Type;
            if (!Enum.IsDefined(typeof(TensorType), (int)schemaType))
                throw ctx.Error($"{label}: unknown tensor type {(int)schemaType}");
            var type = (TensorType)(int)schemaType;

            ctx.Where = $"{label} shape";
            int rank = t.ShapeLength;
            ctx.CheckCount(rank, 4, $"{label} shape");
            if (rank > 8) throw ctx.Error($"{label}: rank {rank} exceeds the supported maximum of 8");
            var shape = new int[rank];
            long elements = 1;
            for (int d = 0; d < rank; d++)
            {
                shape[d] = t.Shape(d);
                if (shape[d] < 0) throw ctx.Error($"{label}: dimension {d} is {shape[d]} (dynamic shapes must be resolved before running)");
                elements *= shape[d];
                if (elements > MaxTensorBytes) throw ctx.Error($"{label}: shape [{string.Join(",", shape[..(d + 1)])}...] has more than {MaxTensorBytes} elements");
            }

            int[]? signature = null;
            int sigLength = t.ShapeSignatureLength;
            if (sigLength > 0)
            {
                ctx.CheckCount(sigLength, 4, $"{label} shape signature");
                if (sigLength != rank) throw ctx.Error($"{label}: shape signature has rank {sigLength} but shape has rank {rank}");
                signature = new int[sigLength];
                for (int d = 0; d < sigLength; d++) signature[d] = t.ShapeSignature(d);
            }

            ctx.Where = $"{label} quantization";
            var quant = ReadQuantization(ctx, t, label, shape);

            ctx.Where = $"{label} buffer";
            uint bufferIndex = t.Buffer;
            if (bufferIndex >= (uint)Math.Max(buffers.Length, 1) && !(bufferIndex == 0 && buffers.Length == 0))
                throw ctx.Error($"{label}: buffer index {bufferIndex} is out of range (the model has {buffers.Length} buffers)");
            var data = buffers.Length == 0 ? ReadOnlyMemory<byte>.Empty : buffers[bufferIndex];
            bool sparse = t.Sparsity is not null;
            if (!data.IsEmpty && !sparse)
            {
                int elementSize = TensorTypes.ElementSize(type);
                if (elementSize == 0)
                    throw ctx.Error($"{label}: constant data of type {TensorTypes.Name(type)} is not supported");
                long expected = elements * elementSize;
                if (data.Length != expected)
                    throw ctx.Error($"{label}: buffer {bufferIndex} holds {data.Length} bytes but shape [{string.Join(",", shape)}] of {TensorTypes.Name(type)} needs {expected}");
            }
            tensors[i] = new ModelTensor(i, name, type, shape, signature, quant, (int)bufferIndex, data, t.IsVariable, sparse);
        }
        return tensors;
    }

    private static QuantizationParameters ReadQuantization(ReadContext ctx, tflite.Tensor t, string label, int[] shape)
    {
        var q = t.Quantization;
        if (q is null) return QuantizationParameters.None;
        var qp = q.Value;
        int scaleCount = qp.ScaleLength;
        int zpCount = qp.ZeroPointLength;
        ctx.CheckCount(scaleCount, 4, $"{label} quantization scales");
        ctx.CheckCount(zpCount, 8, $"{label} quantization zero points");
        if (scaleCount == 0) return QuantizationParameters.None;
        if (zpCount != scaleCount && zpCount > 1)
            throw ctx.Error($"{label}: {scaleCount} quantization scales but {zpCount} zero points");
        var scales = new float[scaleCount];
        for (int i = 0; i < scaleCount; i++)
        {
            scales[i] = qp.Scale(i);
            if (!float.IsFinite(scales[i]) || scales[i] < 0)
                throw ctx.Error($"{label}: quantization scale {i} is {scales[i]}; scales must be finite and non-negative");
        }
        var zeroPoints = new long[Math.Max(zpCount, 1)];
        for (int i = 0; i < zpCount; i++)
        {
            zeroPoints[i] = qp.ZeroPoint(i);
            if (zeroPoints[i] < int.MinValue || zeroPoints[i] > int.MaxValue)
                throw ctx.Error($"{label}: quantization zero point {i} ({zeroPoints[i]}) does not fit in int32");
        }
        int axis = qp.QuantizedDimension;
        if (scaleCount > 1)
        {
            if (axis < 0) throw ctx.Error($"{label}: quantized_dimension {axis} is negative");
            if (axis >= shape.Length)
            {
                // TFLite Micro accepts per-channel 1-D bias tensors that carry the weights' quantized_dimension
                // (person_detect.tflite has 3); the only axis a 1-D tensor has is 0, so read it as that.
                if (shape.Length == 1 && shape[0] == scaleCount) axis = 0;
                else throw ctx.Error($"{label}: quantized_dimension {axis} is outside rank {shape.Length}");
            }
            if (shape[axis] != scaleCount)
                throw ctx.Error($"{label}: {scaleCount} per-axis scales but dimension {axis} has size {shape[axis]}");
        }
        return new QuantizationParameters(scales, zeroPoints, scaleCount > 1 ? axis : 0);
    }

    private static int[] ReadIndexVector(ReadContext ctx, int length, Func<int, int> get, int tensorCount, string what, bool allowOmitted)
    {
        ctx.CheckCount(length, 4, what);
        var result = new int[length];
        for (int i = 0; i < length; i++)
        {
            int index = get(i);
            if (index == -1 && allowOmitted) { result[i] = -1; continue; }
            if (index < 0 || index >= tensorCount)
                throw ctx.Error($"{what}: entry {i} is tensor index {index}, outside 0..{tensorCount - 1}");
            result[i] = index;
        }
        return result;
    }

    private static ModelOperator[] ReadOperators(ReadContext ctx, tflite.SubGraph sg,
        (tflite.BuiltinOperator Code, string? Custom, int Version)[] codes, int tensorCount)
    {
        ctx.Where = "subgraph 0 operators";
        int count = sg.OperatorsLength;
        ctx.CheckCount(count, 4, "subgraph 0 operators");
        var ops = new ModelOperator[count];
        for (int i = 0; i < count; i++)
        {
            ctx.Where = $"operator {i}";
            var op = sg.Operators(i) ?? throw ctx.Error($"operator {i} is null");
            uint codeIndex = op.OpcodeIndex;
            if (codeIndex >= (uint)codes.Length)
                throw ctx.Error($"operator {i}: opcode index {codeIndex} is out of range (the model has {codes.Length} operator codes)");
            var code = codes[codeIndex];
            string label = $"operator {i} ({(code.Code == tflite.BuiltinOperator.CUSTOM ? code.Custom : code.Code.ToString())})";
            ctx.Where = $"{label} inputs";
            int[] inputs = ReadIndexVector(ctx, op.InputsLength, op.Inputs, tensorCount, $"{label} inputs", allowOmitted: true);
            ctx.Where = $"{label} outputs";
            int[] outputs = ReadIndexVector(ctx, op.OutputsLength, op.Outputs, tensorCount, $"{label} outputs", allowOmitted: false);
            ctx.Where = $"{label} options";
            // Touch the options table so a dangling options offset fails here, at load, not at prepare.
            var optionsType = op.BuiltinOptionsType;
            if (optionsType != tflite.BuiltinOptions.NONE) _ = op.BuiltinOptions<tflite.Conv2DOptions>()?.ByteBuffer;
            ReadOnlyMemory<byte> custom = ReadOnlyMemory<byte>.Empty;
            int customLength = op.CustomOptionsLength;
            ctx.CheckCount(customLength, 1, $"{label} custom options");
            if (customLength > 0)
            {
                var seg = op.GetCustomOptionsBytes() ?? throw ctx.Error($"{label}: custom options unreadable");
                custom = new ReadOnlyMemory<byte>(ctx.Bytes, seg.Offset, seg.Count);
            }
            ops[i] = new ModelOperator(i, code.Code, code.Custom, code.Version, inputs, outputs, op, custom);
        }
        return ops;
    }

    /// <summary>
    /// Every tensor an operator reads must exist by then: constant, a graph input, a variable, or written by an
    /// earlier operator. Every tensor is written at most once, and never a constant or a graph input.
    /// </summary>
    private static void CheckGraphOrder(ReadContext ctx, ModelTensor[] tensors, ModelOperator[] ops, int[] inputs, int[] outputs)
    {
        var available = new bool[tensors.Length];
        var written = new bool[tensors.Length];
        foreach (var t in tensors) if (t.IsConstant || t.IsVariable) available[t.Index] = true;
        foreach (int i in inputs)
        {
            if (tensors[i].IsConstant) continue;
            available[i] = true;
        }
        foreach (var op in ops)
        {
            foreach (int i in op.Inputs)
            {
                if (i >= 0 && !available[i])
                    throw ctx.Error($"{op}: reads {tensors[i]} before any operator writes it (operators are not in execution order, or the tensor is never produced)");
            }
            foreach (int o in op.Outputs)
            {
                if (tensors[o].IsConstant) throw ctx.Error($"{op}: writes {tensors[o]}, which holds constant data");
                if (written[o]) throw ctx.Error($"{op}: writes {tensors[o]}, which an earlier operator already writes");
                if (Array.IndexOf(inputs, o) >= 0) throw ctx.Error($"{op}: writes {tensors[o]}, which is a graph input");
                written[o] = true;
                available[o] = true;
            }
        }
        foreach (int o in outputs)
            if (!available[o]) throw ctx.Error($"subgraph 0 output {tensors[o]} is never produced");
    }
}
