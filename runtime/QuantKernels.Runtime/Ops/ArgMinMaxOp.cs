using System.Numerics;
using QuantKernels.Kernels;
using QuantKernels.Kernels.Layout;

namespace QuantKernels.Runtime.Ops;

/// <summary>
/// ARG_MAX / ARG_MIN along a constant axis; the index type (int32 or int64) is the output tensor's. Quantized
/// inputs compare raw values (same order as the real values for a positive scale); ties pick the lowest index.
/// </summary>
internal sealed class ArgMinMaxOp(bool isMax) : OpKernel
{
    private int[] _inputShape = [];
    private int _axis;
    private IsaPath _path;

    /// <summary>The ISA path chosen at preparation (tests assert it).</summary>
    internal IsaPath Path => _path;

    private string Name => isMax ? "ARG_MAX" : "ARG_MIN";

    public override void Prepare(OpContext context)
    {
        context.RequireCounts(2, 2, 1);
        var input = context.Input(0);
        var output = context.Output(0);
        context.RequireType(input, "input", TensorType.Float32, TensorType.Int8, TensorType.UInt8, TensorType.Int16, TensorType.Int32, TensorType.Int64);
        context.RequireType(output, "output", TensorType.Int32, TensorType.Int64);
        var axisTensor = context.Input(1);
        if (!axisTensor.IsConstant) throw context.Unsupported($"{Name} axis {axisTensor} is computed at run time; only a constant axis is supported");
        var axis = OpHelpers.ReadConstantInts(context, axisTensor, "axis");
        if (axis.Length != 1) throw context.Error($"axis {axisTensor} must hold one value");
        if (input.Rank == 0) throw context.Error($"input {input} is a scalar");
        _axis = OpHelpers.Axis(context, axis[0], input.Rank);
        if (input.Dim(_axis) == 0) throw context.Error($"axis {_axis} of input {input} is empty");
        _inputShape = input.Shape.ToArray();
        var shape = new int[input.Rank - 1];
        ArgMinMax.ComputeOutputShape(_inputShape, _axis, shape);
        context.SetOutputShape(0, shape);
        _path = Dispatch.Select(context.IsaPath);
    }

    public override void Invoke(OpContext context)
    {
        var input = context.Input(0);
        switch (input.Type)
        {
            case TensorType.Float32: Run<float>(context, input); break;
            case TensorType.Int8: Run<sbyte>(context, input); break;
            case TensorType.UInt8: Run<byte>(context, input); break;
            case TensorType.Int16: Run<short>(context, input); break;
            case TensorType.Int32: Run<int>(context, input); break;
            default: Run<long>(context, input); break;
        }
    }

    private void Run<T>(OpContext context, Tensor input) where T : unmanaged, INumber<T>
    {
        var output = context.Output(0);
        if (output.Type == TensorType.Int32)
            ArgMinMaxSimd.Run(_path, input.AsReadOnlySpan<T>(), _inputShape, _axis, isMax, output.AsSpan<int>());
        else
            ArgMinMaxSimd.Run(_path, input.AsReadOnlySpan<T>(), _inputShape, _axis, isMax, output.AsSpan<long>());
    }
}
