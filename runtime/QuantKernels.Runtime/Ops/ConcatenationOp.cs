using System.Numerics;
using QuantKernels.Kernels.Layout;
using QuantKernels.Kernels.Quantization;

namespace QuantKernels.Runtime.Ops;

/// <summary>
/// CONCATENATION along the options' axis, any element type. Quantized inputs whose (scale, zero point) differ from
/// the output's are rescaled (TFLite's ConcatenationWithScaling); equal parameters copy. A fused RELU-family
/// activation clamps float32/int8/uint8 outputs.
/// </summary>
/// <remarks>
/// Both extend TFLite's concatenation.cc, whose Prepare rejects any fused activation other than NONE and int8 inputs
/// whose parameters differ from the output's (it rescales only uint8); models TFLite runs behave identically.
/// </remarks>
internal sealed class ConcatenationOp : DataMovementOp
{
    private int _axis;
    private int[][] _inputShapes = [];
    private int[] _offsets = [];
    private int[] _outputShape = [];
    private bool[] _requantize = [];
    private bool _anyRequantize;
    private bool _clamp;
    private float _floatMin, _floatMax;
    private int _quantMin, _quantMax;

    public override void Prepare(OpContext context)
    {
        context.RequireCounts(1, int.MaxValue, 1);
        var first = context.Input(0);
        var output = context.Output(0);
        SelectElementType(context, first);
        var o = context.Options<tflite.ConcatenationOptions>(tflite.BuiltinOptions.ConcatenationOptions);
        int rank = first.Rank;
        if (rank == 0) throw context.Error($"input {first} is a scalar; concatenation needs rank >= 1");
        _axis = OpHelpers.Axis(context, o?.Axis ?? 0, rank);
        var activation = OpHelpers.Fused(context, o?.FusedActivationFunction ?? tflite.ActivationFunctionType.NONE);

        int n = context.InputCount;
        _inputShapes = new int[n][];
        _offsets = new int[n];
        _requantize = new bool[n];
        _anyRequantize = false;
        var shape = first.Shape.ToArray();
        shape[_axis] = 0;
        bool quantizedOutput = OpHelpers.IsQuantizedType(output.Type) && output.Quantization.IsQuantized;
        for (int i = 0; i < n; i++)
        {
            var input = context.Input(i);
            ElementDispatch.RequireSameType(context, first, input, $"input {i}");
            _inputShapes[i] = input.Shape.ToArray();
            _offsets[i] = shape[_axis];
            Concatenation.AccumulateShape(input.Shape, _axis, shape);
            // The Xnnpack convention is what current TFLite computes on CPU: it copies the stored bytes of inputs whose
            // parameters differ (testdata/oracle-ops concatenation_uint8_* probes); TFLite's reference kernel rescales.
            if (quantizedOutput && context.Convention == Kernels.Quantization.RequantConvention.Reference
                && input.Quantization.IsQuantized && (input.Scale != output.Scale || input.ZeroPoint != output.ZeroPoint))
            {
                OpHelpers.RequireQuantized(context, input, $"input {i}");
                OpHelpers.RequireQuantized(context, output, "output");
                _requantize[i] = true;
                _anyRequantize = true;
            }
        }
        _outputShape = shape;
        context.SetOutputShape(0, shape);

        _clamp = activation != FusedActivation.None;
        if (_clamp)
        {
            if (activation is not (FusedActivation.Relu or FusedActivation.Relu6 or FusedActivation.ReluN1To1))
                throw context.Unsupported($"fused activation {activation}");
            if (first.Type == TensorType.Float32) (_floatMin, _floatMax) = ActivationRange.Float(activation);
            else if (first.Type is TensorType.Int8 or TensorType.UInt8) (_quantMin, _quantMax) = OpHelpers.QuantizedActivationRange(context, activation, output);
            else throw context.Unsupported($"fused activation {activation} on a {TensorTypes.Name(first.Type)} output");
        }
    }

    public override void Invoke(OpContext context)
    {
        var output = context.Output(0);
        switch (output.Type)
        {
            case TensorType.Int8 when _anyRequantize: CopyQuantized<sbyte>(context); break;
            case TensorType.UInt8 when _anyRequantize: CopyQuantized<byte>(context); break;
            case TensorType.Int16 when _anyRequantize: CopyQuantized<short>(context); break;
            default: base.Invoke(context); break;
        }
        if (!_clamp) return;
        switch (output.Type)
        {
            case TensorType.Float32: Clamp(output.AsSpan<float>(), _floatMin, _floatMax); break;
            case TensorType.Int8: Clamp(output.AsSpan<sbyte>(), (sbyte)_quantMin, (sbyte)_quantMax); break;
            case TensorType.UInt8: Clamp(output.AsSpan<byte>(), (byte)_quantMin, (byte)_quantMax); break;
        }
    }

    public override void Run<T>(OpContext context)
    {
        var output = context.Output(0).AsSpan<T>();
        for (int i = 0; i < _inputShapes.Length; i++)
            Concatenation.CopyInput(context.Input(i).AsReadOnlySpan<T>(), _inputShapes[i], _axis, output, _outputShape, _offsets[i]);
    }

    private void CopyQuantized<T>(OpContext context) where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        var outputTensor = context.Output(0);
        var output = outputTensor.AsSpan<T>();
        for (int i = 0; i < _inputShapes.Length; i++)
        {
            var input = context.Input(i);
            if (_requantize[i])
                Concatenation.CopyInputRequantized(input.AsReadOnlySpan<T>(), _inputShapes[i], _axis, output, _outputShape, _offsets[i],
                    input.Scale, input.ZeroPoint, outputTensor.Scale, outputTensor.ZeroPoint);
            else
                Concatenation.CopyInput(input.AsReadOnlySpan<T>(), _inputShapes[i], _axis, output, _outputShape, _offsets[i]);
        }
    }

    private static void Clamp<T>(Span<T> values, T min, T max) where T : INumber<T>
    {
        for (int i = 0; i < values.Length; i++) values[i] = T.Clamp(values[i], min, max);
    }
}
