using System.Diagnostics;
using QuantKernels.Runtime.Ops;
using QuantKernels.Runtime.Planning;

namespace QuantKernels.Runtime;

/// <summary>
/// Runs a <see cref="TfLiteModel"/>: <see cref="AllocateTensors"/> prepares every operator (output shapes, packed
/// weights, quantization parameters) and plans one arena for all intermediate tensors; <see cref="Invoke"/> then
/// runs the graph without allocating managed memory.
/// </summary>
/// <example>
/// <code>
/// using var model = TfLiteModel.FromFile("model.tflite");
/// using var interpreter = new Interpreter(model);
/// interpreter.AllocateTensors();
/// interpreter.GetInputTensor(0).CopyFrom(input);
/// interpreter.Invoke();
/// interpreter.GetOutputTensor(0).CopyTo(output);
/// </code>
/// </example>
public sealed class Interpreter : IDisposable
{
    private readonly TfLiteModel _model;
    private readonly InterpreterOptions _options;
    private readonly Tensor[] _tensors;
    private readonly OpKernel[] _kernels;
    private readonly OpContext[] _contexts;
    private readonly WorkerPool? _pool; // Threads - 1 workers, null for one thread
    private readonly bool[] _folded;
    private byte[] _arena = [];
    private bool _allocated;
    private bool _disposed;

    /// <summary>Creates an interpreter for <paramref name="model"/>; the model must outlive it.</summary>
    /// <exception cref="UnsupportedOperatorException">The model uses an operator this runtime does not implement.</exception>
    public Interpreter(TfLiteModel model, InterpreterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.ThrowIfDisposed();
        _model = model;
        _options = options ?? new InterpreterOptions();
        if (_options.Threads < 1) throw new ArgumentOutOfRangeException(nameof(options), _options.Threads, "Threads must be at least 1");

        _pool = _options.Threads > 1 ? new WorkerPool(_options.Threads) : null;
        _tensors = new Tensor[model.Tensors.Count];
        for (int i = 0; i < _tensors.Length; i++) _tensors[i] = new Tensor(model.Tensors[i]);

        int n = model.Operators.Count;
        _kernels = new OpKernel[n];
        _contexts = new OpContext[n];
        _folded = new bool[n];
        for (int i = 0; i < n; i++)
        {
            var op = model.Operators[i];
            _kernels[i] = _options.Resolver.Create(op);
            var ins = new Tensor?[op.Inputs.Count];
            for (int k = 0; k < ins.Length; k++) ins[k] = op.Inputs[k] < 0 ? null : _tensors[op.Inputs[k]];
            // A sparse tensor's bytes are its stored values, not its dense shape; only DENSIFY reads them.
            for (int k = 0; k < ins.Length; k++)
                if (ins[k] is { Source.HasSparsity: true } sparse && op.BuiltinCode != tflite.BuiltinOperator.DENSIFY)
                    throw new UnsupportedOperatorException($"{op}: input {k} {sparse} is stored sparse; only DENSIFY can read sparse tensors");
            var outs = new Tensor[op.Outputs.Count];
            for (int k = 0; k < outs.Length; k++) outs[k] = _tensors[op.Outputs[k]];
            _contexts[i] = new OpContext(op, ins, outs, _options, _pool);
        }
    }

    /// <summary>The model this interpreter runs.</summary>
    public TfLiteModel Model => _model;

    /// <summary>The options it was created with.</summary>
    public InterpreterOptions Options => _options;

    /// <summary>Number of graph inputs.</summary>
    public int InputCount => _model.Inputs.Count;

    /// <summary>Number of graph outputs.</summary>
    public int OutputCount => _model.Outputs.Count;

    /// <summary>All tensors, by model index.</summary>
    public IReadOnlyList<Tensor> Tensors => _tensors;

    /// <summary>Bytes of the arena holding every intermediate tensor (after <see cref="AllocateTensors"/>).</summary>
    public long ArenaBytes => _arena.LongLength;

    /// <summary>Bytes of tensors computed once at preparation because all their inputs are constant.</summary>
    public long FoldedConstantBytes { get; private set; }

    /// <summary>Graph input <paramref name="i"/>.</summary>
    public Tensor GetInputTensor(int i) => _tensors[_model.Inputs[CheckIndex(i, InputCount, "input")]];

    /// <summary>Graph output <paramref name="i"/>.</summary>
    public Tensor GetOutputTensor(int i) => _tensors[_model.Outputs[CheckIndex(i, OutputCount, "output")]];

    /// <summary>Tensor by model index.</summary>
    public Tensor GetTensor(int index) => _tensors[CheckIndex(index, _tensors.Length, "tensor")];

    /// <summary>Tensor by name, or null if no tensor has that name.</summary>
    public Tensor? FindTensor(string name)
    {
        foreach (var t in _tensors) if (t.Name == name) return t;
        return null;
    }

    /// <summary>Changes the shape of graph input <paramref name="i"/>; call <see cref="AllocateTensors"/> afterwards.</summary>
    public void ResizeInputTensor(int i, ReadOnlySpan<int> shape)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        GetInputTensor(i).SetShape(shape);
        _allocated = false;
    }

    /// <summary>
    /// Prepares every operator in order (shapes, parameters, packed weights), computes operators whose inputs are
    /// all constant once, and plans the arena.
    /// </summary>
    /// <exception cref="ModelFormatException">An operator's tensors or options are invalid for it.</exception>
    public void AllocateTensors()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _model.ThrowIfDisposed();
        int n = _kernels.Length;
        for (int i = 0; i < n; i++)
        {
            var ctx = _contexts[i];
            if (_folded[i]) continue; // evaluated at an earlier AllocateTensors; its outputs are constants now
            RunGuarded(i, "prepare", () => _kernels[i].Prepare(ctx));
            if (AllInputsConstant(ctx))
            {
                // Constant subgraphs (e.g. DEQUANTIZE of fp16 weights) run once here; consumers then see constants
                // and can pack them at their own Prepare.
                for (int k = 0; k < ctx.OutputCount; k++)
                {
                    var t = ctx.Output(k);
                    // Pinned like the arena: native callers (native/, TfLiteTensorData) hold raw pointers to tensor data.
                    t.Bind(GC.AllocateArray<byte>(Math.Max(t.ByteSize, 1), pinned: true), 0);
                    FoldedConstantBytes += t.ByteSize;
                }
                RunGuarded(i, "evaluate", () => _kernels[i].Invoke(ctx));
                for (int k = 0; k < ctx.OutputCount; k++) ctx.Output(k).MakeConstant();
                _folded[i] = true;
            }
        }
        PlanArena();
        _allocated = true;
    }

    private static bool AllInputsConstant(OpContext ctx)
    {
        if (ctx.InputCount == 0) return false;
        bool any = false;
        for (int k = 0; k < ctx.InputCount; k++)
        {
            var t = ctx.OptionalInput(k);
            if (t is null) continue;
            if (!t.IsConstant) return false;
            any = true;
        }
        return any;
    }

    private void PlanArena()
    {
        int n = _kernels.Length;
        int count = _tensors.Length;
        var first = new int[count];
        var last = new int[count];
        Array.Fill(first, int.MaxValue);
        Array.Fill(last, -1);
        void Touch(int t, int step)
        {
            if (_tensors[t].IsConstant) return;
            first[t] = Math.Min(first[t], step);
            last[t] = Math.Max(last[t], step);
        }
        foreach (int t in _model.Inputs) Touch(t, 0);
        for (int i = 0; i < n; i++)
        {
            if (_folded[i]) continue;
            var op = _model.Operators[i];
            foreach (int t in op.Inputs) if (t >= 0) Touch(t, i);
            foreach (int t in op.Outputs) Touch(t, i);
        }
        foreach (int t in _model.Outputs) Touch(t, n);
        if (_options.PreserveAllTensors)
            for (int t = 0; t < count; t++) if (last[t] >= 0) { first[t] = 0; last[t] = n; }

        var ids = new List<int>();
        for (int t = 0; t < count; t++) if (last[t] >= 0) ids.Add(t);
        var requests = new ArenaPlanner.Request[ids.Count];
        for (int k = 0; k < ids.Count; k++) requests[k] = new(_tensors[ids[k]].ByteSize, first[ids[k]], last[ids[k]]);
        var offsets = new long[ids.Count];
        long size = ArenaPlanner.Plan(requests, offsets);
        if (size > _options.MaxArenaBytes || size > Array.MaxLength)
            throw new ModelFormatException($"{_model.Source}: the tensors need a {size}-byte arena, over the {_options.MaxArenaBytes}-byte limit (InterpreterOptions.MaxArenaBytes)");
        if (_arena.LongLength != size) _arena = GC.AllocateUninitializedArray<byte>((int)size, pinned: true);
        _arena.AsSpan().Clear();
        for (int k = 0; k < ids.Count; k++) _tensors[ids[k]].Bind(_arena, (int)offsets[k]);
    }

    /// <summary>Runs the graph once. Inputs must have been filled; outputs are read afterwards.</summary>
    /// <exception cref="InvalidOperationException"><see cref="AllocateTensors"/> has not been called since the last change.</exception>
    public void Invoke()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_allocated) throw new InvalidOperationException("AllocateTensors must be called before Invoke (and after ResizeInputTensor)");
        var kernels = _kernels;
        var contexts = _contexts;
        for (int i = 0; i < kernels.Length; i++)
        {
            if (_folded[i]) continue;
            try
            {
                kernels[i].Invoke(contexts[i]);
            }
            catch (Exception e) when (e is not ModelFormatException and not OutOfMemoryException)
            {
                throw new InvalidOperationException($"{_model.Operators[i]} failed: {e.Message}", e);
            }
        }
    }

    /// <summary>
    /// Runs the graph once like <see cref="Invoke"/>, adding each operator's elapsed <see cref="Stopwatch"/> ticks to
    /// <paramref name="operatorTicks"/>[i] (one entry per operator of <see cref="TfLiteModel.Operators"/>; folded
    /// operators add nothing). For per-operator profiling (<c>qk bench --per-op</c>); allocates nothing.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="operatorTicks"/> has fewer entries than the model has operators.</exception>
    public void InvokeProfiled(Span<long> operatorTicks)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_allocated) throw new InvalidOperationException("AllocateTensors must be called before Invoke (and after ResizeInputTensor)");
        if (operatorTicks.Length < _kernels.Length)
            throw new ArgumentException($"operatorTicks has {operatorTicks.Length} entries, the model has {_kernels.Length} operators", nameof(operatorTicks));
        for (int i = 0; i < _kernels.Length; i++)
        {
            if (_folded[i]) continue;
            long start = Stopwatch.GetTimestamp();
            try
            {
                _kernels[i].Invoke(_contexts[i]);
            }
            catch (Exception e) when (e is not ModelFormatException and not OutOfMemoryException)
            {
                throw new InvalidOperationException($"{_model.Operators[i]} failed: {e.Message}", e);
            }
            operatorTicks[i] += Stopwatch.GetTimestamp() - start;
        }
    }

    /// <summary>The kernel instance of operator <paramref name="i"/> (tests inspect which ISA path it prepared).</summary>
    internal OpKernel KernelOf(int i) => _kernels[i];

    /// <summary>The worker pool (null with one thread), for tests.</summary>
    internal WorkerPool? Pool => _pool;

    /// <summary>Runs one operator (for per-operator profiling and allocation tests); folded operators do nothing.</summary>
    internal void InvokeOperator(int i)
    {
        if (!_allocated) throw new InvalidOperationException("AllocateTensors must be called first");
        if (!_folded[i]) _kernels[i].Invoke(_contexts[i]);
    }

    private void RunGuarded(int i, string phase, Action action)
    {
        try
        {
            action();
        }
        catch (ModelFormatException)
        {
            throw;
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or InvalidOperationException
                                      or OverflowException or NotSupportedException or DivideByZeroException)
        {
            // Kernels validate their arguments; reaching here means the model's tensors or options do not fit the op.
            throw new ModelFormatException($"{_model.Operators[i]}: cannot {phase}: {e.Message}", e);
        }
    }

    private static int CheckIndex(int i, int count, string what)
    {
        if ((uint)i >= (uint)count) throw new ArgumentOutOfRangeException(nameof(i), i, $"{what} index must be in 0..{count - 1}");
        return i;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _disposed = true;
        _arena = [];
        _pool?.Dispose();
    }
}
