using Op = tflite.BuiltinOperator;

namespace QuantKernels.Quantization;

/// <summary>What an operator input is to the quantizer.</summary>
internal enum InputRole
{
    /// <summary>An int8 activation (or a float constant quantized like one).</summary>
    Activation,
    /// <summary>Weights, symmetric int8, per channel along <see cref="OpRule.WeightAxis"/>.</summary>
    Weights,
    /// <summary>Bias, int32 at input_scale * weight_scale (input 0 and input 1 of the op).</summary>
    Bias,
    /// <summary>A non-float constant (shape, axes, paddings) copied as it is.</summary>
    Raw,
}

/// <summary>How an operator's int8 output parameters are chosen.</summary>
internal enum OutputKind
{
    /// <summary>From the output's calibrated range.</summary>
    Calibrated,
    /// <summary>Shared with every activation input (TFLite's same-scale ops: reshape, concat, pooling, pad).</summary>
    SameAsInputs,
    /// <summary>Fixed by TFLite (<see cref="OpRule.Fixed"/>).</summary>
    Fixed,
}

/// <summary>How one builtin operator is quantized: its input roles, output parameters and int8 op version.</summary>
internal sealed record OpRule(InputRole[] Inputs, OutputKind Output, int Version, int WeightAxis = 0, QuantParams Fixed = default)
{
    /// <summary>Role of input <paramref name="i"/> (inputs past the table are activations).</summary>
    public InputRole RoleOf(int i) => i < Inputs.Length ? Inputs[i] : InputRole.Activation;

    private static readonly InputRole[] A = [InputRole.Activation];
    private static readonly InputRole[] AA = [InputRole.Activation, InputRole.Activation];
    private static readonly InputRole[] AR = [InputRole.Activation, InputRole.Raw];

    // Versions are those TFLite's converter writes for the int8 form of each op (op_version.cc).
    private static readonly Dictionary<Op, OpRule> Rules = new()
    {
        [Op.CONV_2D] = new([InputRole.Activation, InputRole.Weights, InputRole.Bias], OutputKind.Calibrated, 3, WeightAxis: 0),
        [Op.DEPTHWISE_CONV_2D] = new([InputRole.Activation, InputRole.Weights, InputRole.Bias], OutputKind.Calibrated, 3, WeightAxis: 3),
        [Op.FULLY_CONNECTED] = new([InputRole.Activation, InputRole.Weights, InputRole.Bias], OutputKind.Calibrated, 4, WeightAxis: -1),
        [Op.ADD] = new(AA, OutputKind.Calibrated, 2),
        [Op.SUB] = new(AA, OutputKind.Calibrated, 2),
        [Op.MUL] = new(AA, OutputKind.Calibrated, 2),
        [Op.MAXIMUM] = new(AA, OutputKind.SameAsInputs, 2),
        [Op.MINIMUM] = new(AA, OutputKind.SameAsInputs, 2),
        [Op.CONCATENATION] = new(A, OutputKind.SameAsInputs, 2),
        [Op.RESHAPE] = new(AR, OutputKind.SameAsInputs, 1),
        [Op.SQUEEZE] = new(A, OutputKind.SameAsInputs, 1),
        [Op.EXPAND_DIMS] = new(AR, OutputKind.SameAsInputs, 1),
        [Op.AVERAGE_POOL_2D] = new(A, OutputKind.SameAsInputs, 2),
        [Op.MAX_POOL_2D] = new(A, OutputKind.SameAsInputs, 2),
        [Op.PAD] = new(AR, OutputKind.SameAsInputs, 2),
        [Op.RESIZE_BILINEAR] = new(AR, OutputKind.SameAsInputs, 2),
        [Op.RESIZE_NEAREST_NEIGHBOR] = new(AR, OutputKind.SameAsInputs, 2),
        [Op.MEAN] = new(AR, OutputKind.Calibrated, 2),
        [Op.RELU] = new(A, OutputKind.Calibrated, 2),
        [Op.RELU6] = new(A, OutputKind.Calibrated, 2),
        [Op.HARD_SWISH] = new(A, OutputKind.Calibrated, 1),
        [Op.LOGISTIC] = new(A, OutputKind.Fixed, 2, Fixed: QuantParams.Probability),
        [Op.SOFTMAX] = new(A, OutputKind.Fixed, 2, Fixed: QuantParams.Probability),
        [Op.TANH] = new(A, OutputKind.Fixed, 2, Fixed: QuantParams.Tanh),
    };

    /// <summary>The rule for <paramref name="code"/>, or null when the quantizer does not handle it.</summary>
    public static OpRule? Find(Op code) => Rules.GetValueOrDefault(code);

    /// <summary>Names of the operators the quantizer handles, for messages.</summary>
    public static string SupportedNames => string.Join(", ", Rules.Keys.Select(k => k.ToString()).Order());
}
