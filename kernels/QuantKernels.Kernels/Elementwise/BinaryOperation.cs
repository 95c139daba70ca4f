namespace QuantKernels.Kernels.Elementwise;

/// <summary>The TFLite binary builtins these kernels implement.</summary>
public enum BinaryOperation
{
    /// <summary>ADD: a + b.</summary>
    Add,
    /// <summary>SUB: a - b.</summary>
    Sub,
    /// <summary>MUL: a * b.</summary>
    Mul,
    /// <summary>DIV: a / b (integers truncate toward zero, as C++ does).</summary>
    Div,
    /// <summary>FLOOR_DIV: floor(a / b).</summary>
    FloorDiv,
    /// <summary>MAXIMUM: a &gt; b ? a : b (TFLite's MaximumOp, so a NaN in b wins).</summary>
    Maximum,
    /// <summary>MINIMUM: a &lt; b ? a : b.</summary>
    Minimum,
}
