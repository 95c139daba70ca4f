using QuantKernels.Training.Quantization;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantKernels.Training.Model;

/// <summary>
/// SSD-lite detector: a MobileNet-v1-style backbone (3x3 stem, depthwise-separable blocks, ReLU6) with 3x3 box and
/// class heads on 2-4 feature maps. Input NCHW float in [0, 1] (pixels / 255); output the raw box encodings [N, A, 4]
/// and class logits [N, A, 1 + classes] (column 0 is background), each fake-quantized with one shared range, so the
/// exported CONCATENATIONs need no requantization.
/// </summary>
public sealed class SsdLite : nn.Module<Tensor, (Tensor Boxes, Tensor Logits)>
{
    // (base channels, stride) of the depthwise-separable blocks; the feature maps are the last block at each stride.
    private static readonly (int Channels, int Stride)[] Blocks =
        [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (1024, 2), (256, 2)];

    private readonly RangeObserver _input;
    private readonly QConv _stem;
    private readonly List<QConv> _backbone = [];
    private readonly int[] _featureAfter; // index into _backbone after which a feature map is taken
    private readonly List<QConv> _boxHeads = [], _classHeads = [];
    private readonly RangeObserver _boxOut, _classOut;

    /// <summary>Builds the model for <paramref name="config"/>; <paramref name="state"/> holds its quantization switches.</summary>
    public SsdLite(ModelConfig config, QuantState state) : base("ssdlite")
    {
        config.Validate();
        Config = config;
        State = state;
        // The input is pixels / 255, so int8 with scale 1/255 and zero point -128 represents every pixel exactly.
        _input = new RangeObserver("input", state, new QuantRange(1f / 255, -128));
        register_module("input", _input);
        int c = config.Channels(32);
        _stem = new QConv("stem", state, 3, c, 3, 2, 1, batchNorm: true, relu6: true, observeOutput: true);
        register_module("stem", _stem);
        int stride = 2;
        var features = new List<int>();
        int needed = config.FeatureStrides[^1];
        foreach (var (baseChannels, s) in Blocks)
        {
            if (stride * s > needed) break;
            int outC = config.Channels(baseChannels);
            int i = _backbone.Count;
            _backbone.Add(new QConv($"b{i}_dw", state, c, c, 3, s, c, batchNorm: true, relu6: true, observeOutput: true));
            _backbone.Add(new QConv($"b{i}_pw", state, c, outC, 1, 1, 1, batchNorm: true, relu6: true, observeOutput: true));
            stride *= s;
            c = outC;
            if (config.FeatureStrides.Contains(stride))
            {
                if (features.Count > 0 && config.FeatureStrides[features.Count - 1] == stride) features[^1] = _backbone.Count - 1;
                else features.Add(_backbone.Count - 1);
            }
        }
        _featureAfter = features.ToArray();
        if (_featureAfter.Length != config.FeatureMaps) throw new InvalidOperationException("backbone does not reach every feature stride");
        for (int i = 0; i < _backbone.Count; i++) register_module(_backbone[i].GetName(), _backbone[i]);
        int k = config.Anchors.AnchorsPerCell;
        for (int f = 0; f < _featureAfter.Length; f++)
        {
            int fc = _backbone[_featureAfter[f]].OutChannels;
            _boxHeads.Add(new QConv($"box{f}", state, fc, k * 4, 3, 1, 1, batchNorm: false, relu6: false, observeOutput: false));
            _classHeads.Add(new QConv($"cls{f}", state, fc, k * (config.NumClasses + 1), 3, 1, 1, batchNorm: false, relu6: false, observeOutput: false));
            // Prior probability 0.01 for every object class; background (column 0 of each anchor) starts at 0.99.
            int perAnchor = config.NumClasses + 1;
            _boxHeads[f].InitHead(_ => 0f);
            _classHeads[f].InitHead(c => c % perAnchor == 0 ? 4.595f : -4.595f);
            register_module($"box{f}", _boxHeads[f]);
            register_module($"cls{f}", _classHeads[f]);
        }
        _boxOut = new RangeObserver("box_out", state, QuantPart.BoxOutput);
        // Fixed class-logit range (ModelConfig.ClassLogitMin); gradients pass outside it, so a positive anchor whose
        // logit sits below the range still learns.
        _classOut = new RangeObserver("class_out", state, QuantPart.ClassOutput)
        {
            FixedRange = QuantRange.FromMinMax(config.ClassLogitMin, config.ClassLogitMax),
            GradientOutsideRange = true,
        };
        register_module("box_out", _boxOut);
        register_module("class_out", _classOut);
        Anchors = config.Anchors.Generate(config.FeatureSides);
        // Each convolution knows its input's range, to put its bias on the int32 grid the export uses.
        _stem.InputObserver = _input;
        var previous = _stem.Output;
        foreach (var layer in _backbone) { layer.InputObserver = previous; previous = layer.Output; }
        for (int f = 0; f < _featureAfter.Length; f++)
        {
            _boxHeads[f].InputObserver = _classHeads[f].InputObserver = _backbone[_featureAfter[f]].Output;
            _boxHeads[f].ConcatOutput = _boxOut;
            _classHeads[f].ConcatOutput = _classOut;
        }
    }

    /// <summary>The configuration.</summary>
    public ModelConfig Config { get; }

    /// <summary>The quantization switches.</summary>
    public QuantState State { get; }

    /// <summary>Anchors [A, 4] (ycenter, xcenter, h, w), in head output order.</summary>
    public float[,] Anchors { get; }

    /// <summary>Input observer (fixed range).</summary>
    internal RangeObserver InputObserver => _input;

    /// <summary>Stem convolution.</summary>
    internal QConv Stem => _stem;

    /// <summary>Backbone convolutions in order (depthwise, pointwise, ...).</summary>
    internal IReadOnlyList<QConv> Backbone => _backbone;

    /// <summary>Backbone indices whose outputs feed heads.</summary>
    internal IReadOnlyList<int> FeatureAfter => _featureAfter;

    /// <summary>Box heads per feature map.</summary>
    internal IReadOnlyList<QConv> BoxHeads => _boxHeads;

    /// <summary>Class heads per feature map.</summary>
    internal IReadOnlyList<QConv> ClassHeads => _classHeads;

    /// <summary>Shared range of the box encodings.</summary>
    internal RangeObserver BoxOutput => _boxOut;

    /// <summary>Shared range of the class logits.</summary>
    internal RangeObserver ClassOutput => _classOut;

    /// <inheritdoc />
    public override (Tensor Boxes, Tensor Logits) forward(Tensor x)
    {
        x = _stem.forward(_input.forward(x));
        var boxes = new List<Tensor>();
        var logits = new List<Tensor>();
        int f = 0;
        for (int i = 0; i < _backbone.Count; i++)
        {
            x = _backbone[i].forward(x);
            if (f < _featureAfter.Length && _featureAfter[f] == i)
            {
                // NCHW -> NHWC -> [N, H*W*k, D]: the order TFLite's RESHAPE of the NHWC head output gives.
                boxes.Add(_boxHeads[f].forward(x).permute(0, 2, 3, 1).reshape(x.shape[0], -1, 4));
                logits.Add(_classHeads[f].forward(x).permute(0, 2, 3, 1).reshape(x.shape[0], -1, Config.NumClasses + 1));
                f++;
            }
        }
        return (_boxOut.forward(cat(boxes, 1)), _classOut.forward(cat(logits, 1)));
    }
}
