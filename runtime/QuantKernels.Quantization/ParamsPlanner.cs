using QuantKernels.Runtime;

namespace QuantKernels.Quantization;

/// <summary>
/// Chooses the int8 parameters of every activation: tensors that TFLite's same-scale ops (reshape, concat, pooling,
/// pad, ...) tie together form one group whose range is the union of its members' ranges; a group holding the output
/// of LOGISTIC/SOFTMAX/TANH takes TFLite's fixed parameters.
/// </summary>
internal sealed class ParamsPlanner
{
    private readonly int[] _parent;
    private readonly ActivationRange[] _range;
    private readonly QuantParams?[] _fixed;
    private readonly bool[] _member;
    private readonly List<string> _warnings;

    public ParamsPlanner(int tensorCount, List<string> warnings)
    {
        _parent = Enumerable.Range(0, tensorCount).ToArray();
        _range = new ActivationRange[tensorCount];
        Array.Fill(_range, ActivationRange.Empty);
        _fixed = new QuantParams?[tensorCount];
        _member = new bool[tensorCount];
        _warnings = warnings;
    }

    private int Root(int t)
    {
        while (_parent[t] != t) t = _parent[t] = _parent[_parent[t]];
        return t;
    }

    /// <summary>Registers an activation with its observed range.</summary>
    public void Add(int tensor, ActivationRange range)
    {
        int r = Root(tensor);
        _member[tensor] = true;
        _range[r] = _range[r].Union(range);
    }

    /// <summary>Fixes the parameters of <paramref name="tensor"/>'s group.</summary>
    public void Fix(int tensor, QuantParams p, string owner)
    {
        int r = Root(tensor);
        if (_fixed[r] is { } existing && existing != p)
            _warnings.Add($"{owner}: output parameters {p} conflict with {existing} already fixed for the tensors it shares parameters with; keeping {existing}");
        else _fixed[r] = p;
    }

    /// <summary>Ties two tensors to the same parameters.</summary>
    public void Tie(int a, int b)
    {
        int ra = Root(a), rb = Root(b);
        if (ra == rb) return;
        _parent[rb] = ra;
        _range[ra] = _range[ra].Union(_range[rb]);
        if (_fixed[ra] is null) _fixed[ra] = _fixed[rb];
        _member[a] = _member[b] = true;
    }

    /// <summary>The parameters of <paramref name="tensor"/>.</summary>
    /// <exception cref="InvalidOperationException">Nothing was observed for its group (calibration never ran it).</exception>
    public QuantParams ParamsOf(int tensor, ModelTensor source)
    {
        int r = Root(tensor);
        if (_fixed[r] is { } f) return f;
        if (_range[r].IsEmpty)
            throw new InvalidOperationException($"{source}: no calibrated range (run at least one calibration sample)");
        return Int8Math.ActivationParams(_range[r]);
    }

    /// <summary>The calibrated range of <paramref name="tensor"/>'s group.</summary>
    public ActivationRange RangeOf(int tensor) => _range[Root(tensor)];
}
