namespace QuantKernels.Runtime;

/// <summary>
/// A <c>.tflite</c> file is malformed or uses something this runtime cannot run. The message names the
/// subgraph, tensor, operator or buffer concerned and what is wrong with it.
/// </summary>
public class ModelFormatException : Exception
{
    /// <summary>Creates the exception with a message naming the offending element.</summary>
    public ModelFormatException(string message) : base(message) { }

    /// <summary>Creates the exception wrapping the low-level failure that revealed the problem.</summary>
    public ModelFormatException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The model uses an operator (or an operator variant) this runtime does not implement.</summary>
public sealed class UnsupportedOperatorException : ModelFormatException
{
    /// <summary>Creates the exception with a message naming the operator.</summary>
    public UnsupportedOperatorException(string message) : base(message) { }
}
