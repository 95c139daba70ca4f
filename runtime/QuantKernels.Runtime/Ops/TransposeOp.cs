using QuantKernels.Kernels.Layout;

namespace QuantKernels.Runtime.Ops;

/// <summary>TRANSPOSE with a constant permutation (rank &lt;= 6).</summary>
internal sealed class TransposeOp : DataMovementOp
{
    private int[] _inputShape = [];
    private int[] _perm = [];

    public override void Prepare(OpContext context)
    {
        context.RequireCounts(2, 2, 1);
        var input = context.Input(0);
        SelectElementType(context, input);
        _perm = OpHelpers.ReadConstantInts(context, context.Input(1), "TRANSPOSE perm");
        int rank = input.Rank;
        if (rank > Transpose.MaxRank) throw context.Unsupported($"input {input} has rank {rank}; at most {Transpose.MaxRank} is supported");
        if (_perm.Length != rank) throw context.Error($"perm has {_perm.Length} entries for input {input} of rank {rank}");
        Span<bool> seen = stackalloc bool[rank];
        for (int k = 0; k < rank; k++)
        {
            // TFLite accepts negative entries counted from the end.
            int p = _perm[k] < 0 ? _perm[k] + rank : _perm[k];
            if (p < 0 || p >= rank || seen[p]) throw context.Error($"perm [{string.Join(",", _perm)}] is not a permutation of 0..{rank - 1}");
            seen[p] = true;
            _perm[k] = p;
        }
        _inputShape = input.Shape.ToArray();
        var shape = new int[rank];
        Transpose.ComputeOutputShape(_inputShape, _perm, shape);
        context.SetOutputShape(0, shape);
    }

    public override void Run<T>(OpContext context)
        => Transpose.Run(context.Input(0).AsReadOnlySpan<T>(), _inputShape, _perm, context.Output(0).AsSpan<T>());
}
