using QuantKernels.Kernels.Convolution;

namespace QuantKernels.Kernels.Depthwise;

/// <summary>
/// Shapes and window parameters of one DEPTHWISE_CONV_2D: NHWC input [N,H,W,C], filter [1,FH,FW,C*M],
/// NHWC output [N,OH,OW,C*M] where output channel = ic * M + m.
/// </summary>
public readonly struct DepthwiseConv2DGeometry
{
    /// <summary>Batches.</summary>
    public int Batches { get; }
    /// <summary>Input height.</summary>
    public int InputHeight { get; }
    /// <summary>Input width.</summary>
    public int InputWidth { get; }
    /// <summary>Input channels C.</summary>
    public int InputChannels { get; }
    /// <summary>Depth multiplier M.</summary>
    public int DepthMultiplier { get; }
    /// <summary>Filter height.</summary>
    public int FilterHeight { get; }
    /// <summary>Filter width.</summary>
    public int FilterWidth { get; }
    /// <summary>Output height.</summary>
    public int OutputHeight { get; }
    /// <summary>Output width.</summary>
    public int OutputWidth { get; }
    /// <summary>Vertical stride.</summary>
    public int StrideHeight { get; }
    /// <summary>Horizontal stride.</summary>
    public int StrideWidth { get; }
    /// <summary>Vertical dilation.</summary>
    public int DilationHeight { get; }
    /// <summary>Horizontal dilation.</summary>
    public int DilationWidth { get; }
    /// <summary>Padded rows above the image.</summary>
    public int PadTop { get; }
    /// <summary>Padded columns left of the image.</summary>
    public int PadLeft { get; }

    /// <summary>Output channels: C * M.</summary>
    public int OutputChannels => InputChannels * DepthMultiplier;
    /// <summary>Input element count.</summary>
    public int InputLength => Batches * InputHeight * InputWidth * InputChannels;
    /// <summary>Filter element count (FH*FW*C*M).</summary>
    public int FilterLength => FilterHeight * FilterWidth * OutputChannels;
    /// <summary>Output element count.</summary>
    public int OutputLength => Batches * OutputHeight * OutputWidth * OutputChannels;

    /// <summary>Builds a geometry from explicit output size and padding offsets.</summary>
    /// <exception cref="ArgumentException">Non-positive sizes, multiplier, strides or dilations, or negative padding.</exception>
    public DepthwiseConv2DGeometry(int batches, int inputHeight, int inputWidth, int inputChannels, int depthMultiplier,
        int filterHeight, int filterWidth, int outputHeight, int outputWidth,
        int strideHeight, int strideWidth, int dilationHeight, int dilationWidth, int padTop, int padLeft)
    {
        Positive(batches, nameof(batches)); Positive(inputHeight, nameof(inputHeight)); Positive(inputWidth, nameof(inputWidth));
        Positive(inputChannels, nameof(inputChannels)); Positive(depthMultiplier, nameof(depthMultiplier));
        Positive(filterHeight, nameof(filterHeight)); Positive(filterWidth, nameof(filterWidth));
        Positive(outputHeight, nameof(outputHeight)); Positive(outputWidth, nameof(outputWidth));
        Positive(strideHeight, nameof(strideHeight)); Positive(strideWidth, nameof(strideWidth));
        Positive(dilationHeight, nameof(dilationHeight)); Positive(dilationWidth, nameof(dilationWidth));
        if (padTop < 0) throw new ArgumentException($"padTop must be non-negative, got {padTop}", nameof(padTop));
        if (padLeft < 0) throw new ArgumentException($"padLeft must be non-negative, got {padLeft}", nameof(padLeft));
        Batches = batches; InputHeight = inputHeight; InputWidth = inputWidth; InputChannels = inputChannels;
        DepthMultiplier = depthMultiplier; FilterHeight = filterHeight; FilterWidth = filterWidth;
        OutputHeight = outputHeight; OutputWidth = outputWidth;
        StrideHeight = strideHeight; StrideWidth = strideWidth; DilationHeight = dilationHeight; DilationWidth = dilationWidth;
        PadTop = padTop; PadLeft = padLeft;
    }

    /// <summary>Builds a geometry, deriving output size and padding with <see cref="Padding.Compute"/>.</summary>
    public static DepthwiseConv2DGeometry Create(int batches, int inputHeight, int inputWidth, int inputChannels, int depthMultiplier,
        int filterHeight, int filterWidth, int strideHeight, int strideWidth, int dilationHeight, int dilationWidth, PaddingType padding)
    {
        var (outH, padTop) = Padding.Compute(inputHeight, filterHeight, strideHeight, dilationHeight, padding);
        var (outW, padLeft) = Padding.Compute(inputWidth, filterWidth, strideWidth, dilationWidth, padding);
        return new DepthwiseConv2DGeometry(batches, inputHeight, inputWidth, inputChannels, depthMultiplier, filterHeight, filterWidth,
            outH, outW, strideHeight, strideWidth, dilationHeight, dilationWidth, padTop, padLeft);
    }

    internal void CheckSpans(int inputLength, int filterLength, int biasLength, int outputLength)
    {
        if (Batches == 0) throw new ArgumentException("geometry is uninitialised (default struct)", "geometry");
        if (inputLength != InputLength) throw new ArgumentException($"input has {inputLength} elements, shape needs {InputLength}", "input");
        if (filterLength != FilterLength) throw new ArgumentException($"filter has {filterLength} elements, shape needs {FilterLength}", "filter");
        if (biasLength != 0 && biasLength != OutputChannels)
            throw new ArgumentException($"bias has {biasLength} elements, expected 0 (absent) or {OutputChannels}", "bias");
        if (outputLength != OutputLength) throw new ArgumentException($"output has {outputLength} elements, shape needs {OutputLength}", "output");
    }

    private static void Positive(int v, string name)
    {
        if (v < 1) throw new ArgumentException($"{name} must be at least 1, got {v}", name);
    }
}
