using Google.FlatBuffers;

namespace QuantKernels.Runtime.Tests.Densify;

/// <summary>One level of sparsity metadata as a test writes it (int arrays, encoded as <see cref="SegmentsType"/>/<see cref="IndicesType"/>).</summary>
public sealed record Level(bool Csr, int DenseSize, int[]? Segments = null, int[]? Indices = null,
    tflite.SparseIndexVector SegmentsType = tflite.SparseIndexVector.Int32Vector,
    tflite.SparseIndexVector IndicesType = tflite.SparseIndexVector.Int32Vector)
{
    public static Level D(int size) => new(false, size);
    public static Level S(int[] segments, int[] indices) => new(true, 0, segments, indices);
}

/// <summary>Sparsity parameters of the test's weight tensor.</summary>
public sealed record Sparsity(int[] TraversalOrder, int[] BlockMap, Level[] Levels);

/// <summary>
/// Writes a small model around one sparse constant, since TfliteWriter has no sparsity support:
/// tensor 0 'weights' (sparse constant) -DENSIFY-> tensor 1 'dense' -RESHAPE-> tensor 4 'dense_flat';
/// and graph input tensor 2 'x' float32[2,3] -RESHAPE-> tensor 3 'x_flat' [6], so the graph also has work at Invoke.
/// Outputs: dense_flat, x_flat.
/// </summary>
internal static class SparseModels
{
    public const int Weights = 0, Dense = 1, X = 2, XFlat = 3, DenseFlat = 4;

    public static byte[] Build(TensorType type, int[] denseShape, byte[] values, Sparsity sparsity, bool densify = true)
    {
        var b = new FlatBufferBuilder(1024);
        var buffers = new List<Offset<tflite.Buffer>> { tflite.Buffer.CreateBuffer(b) };
        b.StartVector(1, values.Length, 16);
        b.Add<byte>(values);
        buffers.Add(tflite.Buffer.CreateBuffer(b, b.EndVector()));

        var sp = WriteSparsity(b, sparsity);
        long n = 1;
        foreach (int d in denseShape) n *= d;
        var tensors = new[]
        {
            Tensor(b, "weights", type, denseShape, 1, sp),
            Tensor(b, "dense", type, denseShape, 0, default),
            Tensor(b, "x", TensorType.Float32, [2, 3], 0, default),
            Tensor(b, "x_flat", TensorType.Float32, [6], 0, default),
            Tensor(b, "dense_flat", type, [(int)n], 0, default),
        };

        // Without DENSIFY, RESHAPE reads the sparse tensor directly (which the interpreter must refuse).
        var ops = new List<Offset<tflite.Operator>>();
        if (densify) ops.Add(Op(b, 0, [Weights], [Dense]));
        ops.Add(Op(b, 1, [densify ? Dense : Weights], [DenseFlat]));
        ops.Add(Op(b, 1, [X], [XFlat]));
        var codes = new[]
        {
            tflite.OperatorCode.CreateOperatorCode(b, 127, default, 1, tflite.BuiltinOperator.DENSIFY),
            tflite.OperatorCode.CreateOperatorCode(b, (sbyte)tflite.BuiltinOperator.RESHAPE, default, 1, tflite.BuiltinOperator.RESHAPE),
        };
        var subgraph = tflite.SubGraph.CreateSubGraph(b,
            tflite.SubGraph.CreateTensorsVector(b, tensors),
            tflite.SubGraph.CreateInputsVector(b, [X]),
            tflite.SubGraph.CreateOutputsVector(b, [DenseFlat, XFlat]),
            tflite.SubGraph.CreateOperatorsVector(b, ops.ToArray()),
            b.CreateString("main"));
        var model = tflite.Model.CreateModel(b, 3,
            tflite.Model.CreateOperatorCodesVector(b, codes),
            tflite.Model.CreateSubgraphsVector(b, [subgraph]),
            b.CreateString("densify test"),
            tflite.Model.CreateBuffersVector(b, buffers.ToArray()));
        tflite.Model.FinishModelBuffer(b, model);
        return b.SizedByteArray();
    }

    private static Offset<tflite.Tensor> Tensor(FlatBufferBuilder b, string name, TensorType type, int[] shape, uint buffer,
        Offset<tflite.SparsityParameters> sparsity)
    {
        var nameOffset = b.CreateString(name);
        var shapeOffset = tflite.Tensor.CreateShapeVector(b, shape);
        return tflite.Tensor.CreateTensor(b, shapeOffset, (tflite.TensorType)(sbyte)type, buffer, nameOffset, sparsityOffset: sparsity);
    }

    private static Offset<tflite.Operator> Op(FlatBufferBuilder b, uint code, int[] inputs, int[] outputs)
    {
        var ins = tflite.Operator.CreateInputsVector(b, inputs);
        var outs = tflite.Operator.CreateOutputsVector(b, outputs);
        tflite.Operator.StartOperator(b);
        tflite.Operator.AddOpcodeIndex(b, code);
        tflite.Operator.AddInputs(b, ins);
        tflite.Operator.AddOutputs(b, outs);
        return tflite.Operator.EndOperator(b);
    }

    private static Offset<tflite.SparsityParameters> WriteSparsity(FlatBufferBuilder b, Sparsity s)
    {
        var levels = new Offset<tflite.DimensionMetadata>[s.Levels.Length];
        for (int i = 0; i < levels.Length; i++)
        {
            var l = s.Levels[i];
            if (!l.Csr)
            {
                levels[i] = tflite.DimensionMetadata.CreateDimensionMetadata(b, tflite.DimensionType.DENSE, l.DenseSize);
                continue;
            }
            int seg = IndexVector(b, l.SegmentsType, l.Segments);
            int idx = IndexVector(b, l.IndicesType, l.Indices);
            levels[i] = tflite.DimensionMetadata.CreateDimensionMetadata(b, tflite.DimensionType.SPARSE_CSR, 0,
                l.SegmentsType, seg, l.IndicesType, idx);
        }
        var traversal = tflite.SparsityParameters.CreateTraversalOrderVector(b, s.TraversalOrder);
        var blockMap = s.BlockMap.Length > 0 ? tflite.SparsityParameters.CreateBlockMapVector(b, s.BlockMap) : default;
        var dims = tflite.SparsityParameters.CreateDimMetadataVector(b, levels);
        return tflite.SparsityParameters.CreateSparsityParameters(b, traversal, blockMap, dims);
    }

    private static int IndexVector(FlatBufferBuilder b, tflite.SparseIndexVector type, int[]? values)
    {
        if (values is null) return 0;
        switch (type)
        {
            case tflite.SparseIndexVector.Uint16Vector:
                return tflite.Uint16Vector.CreateUint16Vector(b, tflite.Uint16Vector.CreateValuesVector(b, values.Select(v => (ushort)v).ToArray())).Value;
            case tflite.SparseIndexVector.Uint8Vector:
                return tflite.Uint8Vector.CreateUint8Vector(b, tflite.Uint8Vector.CreateValuesVector(b, values.Select(v => (byte)v).ToArray())).Value;
            default:
                return tflite.Int32Vector.CreateInt32Vector(b, tflite.Int32Vector.CreateValuesVector(b, values)).Value;
        }
    }

    public static byte[] Bytes<T>(params T[] values) where T : unmanaged
        => System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
}
