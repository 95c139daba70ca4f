namespace QuantKernels.Runtime.Ops;

/// <summary>Maps builtin operator codes and custom op names to kernel factories.</summary>
public sealed class OpResolver
{
    private readonly Dictionary<tflite.BuiltinOperator, Func<OpKernel>> _builtins = [];
    private readonly Dictionary<string, Func<OpKernel>> _customs = new(StringComparer.Ordinal);

    /// <summary>A resolver with every builtin (and custom) op this runtime implements.</summary>
    public static OpResolver CreateDefault()
    {
        var r = new OpResolver();
        BuiltinOps.RegisterAll(r);
        return r;
    }

    /// <summary>Registers (or replaces) the kernel of a builtin operator.</summary>
    public void AddBuiltin(tflite.BuiltinOperator code, Func<OpKernel> factory) => _builtins[code] = factory;

    /// <summary>Registers (or replaces) a custom operator by its custom code.</summary>
    public void AddCustom(string name, Func<OpKernel> factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(factory);
        _customs[name] = factory;
    }

    /// <summary>True when the operator has a registered kernel.</summary>
    public bool Supports(ModelOperator op) => op.BuiltinCode == tflite.BuiltinOperator.CUSTOM
        ? op.CustomCode is not null && _customs.ContainsKey(op.CustomCode)
        : _builtins.ContainsKey(op.BuiltinCode);

    /// <summary>Creates the kernel for an operator node.</summary>
    /// <exception cref="UnsupportedOperatorException">No kernel is registered for it.</exception>
    public OpKernel Create(ModelOperator op)
    {
        if (op.BuiltinCode == tflite.BuiltinOperator.CUSTOM)
        {
            if (op.CustomCode is not null && _customs.TryGetValue(op.CustomCode, out var c)) return c();
            throw new UnsupportedOperatorException($"{op}: custom op '{op.CustomCode}' is not registered");
        }
        if (_builtins.TryGetValue(op.BuiltinCode, out var f)) return f();
        throw new UnsupportedOperatorException($"{op}: builtin op {op.BuiltinCode} (version {op.Version}) is not supported");
    }
}
