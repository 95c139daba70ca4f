namespace QuantKernels.Runtime.Ops;

/// <summary>An op body generic over its element type (instantiated once per element width).</summary>
internal interface IElementGeneric
{
    /// <summary>Runs the op with elements viewed as <typeparamref name="T"/>.</summary>
    void Run<T>(OpContext context) where T : unmanaged;
}

/// <summary>
/// Picks the instantiation of an <see cref="IElementGeneric"/> body for a tensor's element type. Data movement never
/// interprets values, so elements are moved as same-width unsigned integers (bit-exact for float and bool too):
/// four instantiations cover every type instead of a switch in every op.
/// </summary>
internal static class ElementDispatch
{
    /// <summary>The element types the layout ops move: every type their generic kernels can carry.</summary>
    public static readonly TensorType[] DataTypes =
        [TensorType.Float32, TensorType.Int8, TensorType.UInt8, TensorType.Int16, TensorType.Int32, TensorType.Int64, TensorType.Bool];

    /// <summary>
    /// The body instantiated for <paramref name="data"/>'s element width, as a delegate built once at Prepare
    /// (calling it at Invoke allocates nothing).
    /// </summary>
    public static Action<OpContext> ByWidth(IElementGeneric body, OpContext context, Tensor data, string role)
    {
        context.RequireType(data, role, DataTypes);
        return TensorTypes.ElementSize(data.Type) switch
        {
            1 => body.Run<byte>,
            2 => body.Run<ushort>,
            4 => body.Run<uint>,
            8 => body.Run<ulong>,
            _ => throw context.Unsupported($"{role} {data} has an element size this op does not move"),
        };
    }

    /// <summary>Requires <paramref name="t"/> to have the same element type as <paramref name="data"/>.</summary>
    public static void RequireSameType(OpContext context, Tensor data, Tensor t, string role)
    {
        if (t.Type != data.Type)
            throw context.Error($"{role} {t} has type {TensorTypes.Name(t.Type)}, expected {TensorTypes.Name(data.Type)} like {data}");
    }
}

/// <summary>
/// Base of type-agnostic layout ops: Prepare calls <see cref="SelectElementType"/>, Invoke runs the body chosen for
/// the element width.
/// </summary>
internal abstract class DataMovementOp : OpKernel, IElementGeneric
{
    private Action<OpContext>? _run;

    /// <summary>Chooses the body for <paramref name="data"/>'s element type and requires every output to share it.</summary>
    protected void SelectElementType(OpContext context, Tensor data, string role = "input")
    {
        _run = ElementDispatch.ByWidth(this, context, data, role);
        for (int i = 0; i < context.OutputCount; i++)
            ElementDispatch.RequireSameType(context, data, context.Output(i), $"output {i}");
    }

    public override void Invoke(OpContext context) => _run!(context);

    public abstract void Run<T>(OpContext context) where T : unmanaged;
}
