namespace QuantKernels.Kernels.Detection;

/// <summary>
/// The box coder's scale factors: an encoding (ty, tx, th, tw) is divided by (Y, X, H, W) before it is applied
/// to its anchor (SSD models use 10, 10, 5, 5).
/// </summary>
public readonly record struct BoxCoderScales(float Y, float X, float H, float W);
