namespace QuantKernels.Runtime.Ops;

/// <summary>The one list of builtin ops this runtime implements.</summary>
internal static partial class BuiltinOps
{
    public static void RegisterAll(OpResolver r)
    {
        RegisterShapeOps(r);
        RegisterConvOps(r);
        RegisterPoolReduceConvertOps(r);
        RegisterDensify(r);
        RegisterElementwiseOps(r);
        RegisterLayoutOps(r);
        RegisterDetectionPostProcess(r);
    }
}
