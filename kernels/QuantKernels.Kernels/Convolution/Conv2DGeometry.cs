namespace QuantKernels.Kernels.Convolution;

/// <summary>
/// Shapes and window parameters of one CONV_2D (NHWC input, OHWI filter, NHWC output).
/// The constructor validates consistency; <see cref="Create"/> derives output size and padding from TFLite's
/// SAME/VALID rule.
/// </summary>
public readonly struct Conv2DGeometry
{
    /// <summary>Batches (N of input and output).</summary>
    public int Batches { get; }
    /// <summary>Input height.</summary>
    public int InputHeight { get; }
    /// <summary>Input width.</summary>
    public int InputWidth { get; }
    /// <summary>Input channels.</summary>
    public int InputChannels { get; }
    /// <summary>Filter height.</summary>
    public int FilterHeight { get; }
    /// <summary>Filter width.</summary>
    public int FilterWidth { get; }
    /// <summary>Filter input channels (the I of OHWI); less than <see cref="InputChannels"/> means grouped convolution.</summary>
    public int FilterInputChannels { get; }
    /// <summary>Output height.</summary>
    public int OutputHeight { get; }
    /// <summary>Output width.</summary>
    public int OutputWidth { get; }
    /// <summary>Output channels (the O of OHWI).</summary>
    public int OutputChannels { get; }
    /// <summary>Vertical stride.</summary>
    public int StrideHeight { get; }
    /// <summary>Horizontal stride.</summary>
    public int StrideWidth { get; }
    /// <summary>Vertical dilation.</summary>
    public int DilationHeight { get; }
    /// <summary>Horizontal dilation.</summary>
    public int DilationWidth { get; }
    /// <summary>Padded rows above the image (output row y reads input rows y*stride - PadTop + ky*dilation).</summary>
    public int PadTop { get; }
    /// <summary>Padded columns left of the image.</summary>
    public int PadLeft { get; }

    /// <summary>Number of groups: <see cref="InputChannels"/> / <see cref="FilterInputChannels"/>.</summary>
    public int Groups => InputChannels / FilterInputChannels;

    /// <summary>Input element count.</summary>
    public int InputLength => Batches * InputHeight * InputWidth * InputChannels;
    /// <summary>Filter element count (O*H*W*I).</summary>
    public int FilterLength => OutputChannels * FilterHeight * FilterWidth * FilterInputChannels;
    /// <summary>Output element count.</summary>
    public int OutputLength => Batches * OutputHeight * OutputWidth * OutputChannels;

    /// <summary>Builds a geometry from explicit output size and padding offsets.</summary>
    /// <exception cref="ArgumentException">Non-positive sizes, strides or dilations, negative padding, or input channels
    /// not a multiple of the filter's input channels, or output channels not a multiple of the group count.</exception>
    public Conv2DGeometry(int batches, int inputHeight, int inputWidth, int inputChannels,
        int filterHeight, int filterWidth, int filterInputChannels,
        int outputHeight, int outputWidth, int outputChannels,
        int strideHeight, int strideWidth, int dilationHeight, int dilationWidth, int padTop, int padLeft)
    {
        Positive(batches, nameof(batches)); Positive(inputHeight, nameof(inputHeight)); Positive(inputWidth, nameof(inputWidth));
        Positive(inputChannels, nameof(inputChannels)); Positive(filterHeight, nameof(filterHeight)); Positive(filterWidth, nameof(filterWidth));
        Positive(filterInputChannels, nameof(filterInputChannels)); Positive(outputHeight, nameof(outputHeight));
        Positive(outputWidth, nameof(outputWidth)); Positive(outputChannels, nameof(outputChannels));
        Positive(strideHeight, nameof(strideHeight)); Positive(strideWidth, nameof(strideWidth));
        Positive(dilationHeight, nameof(dilationHeight)); Positive(dilationWidth, nameof(dilationWidth));
        if (padTop < 0) throw new ArgumentException($"padTop must be non-negative, got {padTop}", nameof(padTop));
        if (padLeft < 0) throw new ArgumentException($"padLeft must be non-negative, got {padLeft}", nameof(padLeft));
        if (inputChannels % filterInputChannels != 0)
            throw new ArgumentException($"input channels {inputChannels} are not a multiple of the filter's input channels {filterInputChannels}", nameof(filterInputChannels));
        int groups = inputChannels / filterInputChannels;
        if (outputChannels % groups != 0)
            throw new ArgumentException($"output channels {outputChannels} are not a multiple of the group count {groups}", nameof(outputChannels));
        Batches = batches; InputHeight = inputHeight; InputWidth = inputWidth; InputChannels = inputChannels;
        FilterHeight = filterHeight; FilterWidth = filterWidth; FilterInputChannels = filterInputChannels;
        OutputHeight = outputHeight; OutputWidth = outputWidth; OutputChannels = outputChannels;
        StrideHeight = strideHeight; StrideWidth = strideWidth; DilationHeight = dilationHeight; DilationWidth = dilationWidth;
        PadTop = padTop; PadLeft = padLeft;
    }

    /// <summary>Builds a geometry, deriving output size and padding with <see cref="Padding.Compute"/>.</summary>
    public static Conv2DGeometry Create(int batches, int inputHeight, int inputWidth, int inputChannels,
        int outputChannels, int filterHeight, int filterWidth, int filterInputChannels,
        int strideHeight, int strideWidth, int dilationHeight, int dilationWidth, PaddingType padding)
    {
        var (outH, padTop) = Padding.Compute(inputHeight, filterHeight, strideHeight, dilationHeight, padding);
        var (outW, padLeft) = Padding.Compute(inputWidth, filterWidth, strideWidth, dilationWidth, padding);
        return new Conv2DGeometry(batches, inputHeight, inputWidth, inputChannels, filterHeight, filterWidth, filterInputChannels,
            outH, outW, outputChannels, strideHeight, strideWidth, dilationHeight, dilationWidth, padTop, padLeft);
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
