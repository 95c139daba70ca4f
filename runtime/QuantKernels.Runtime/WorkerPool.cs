using System.Runtime.ExceptionServices;

namespace QuantKernels.Runtime;

/// <summary>Work an op splits into parts that may run concurrently (see <see cref="WorkerPool.Run"/>).</summary>
internal interface IParallelWork
{
    /// <summary>Runs part <paramref name="part"/> of <paramref name="parts"/>; distinct parts touch distinct outputs and scratch.</summary>
    void RunPart(int part, int parts);
}

/// <summary>
/// A fork-join pool of <c>Threads - 1</c> background threads owned by one <see cref="Interpreter"/> (disposed with it):
/// the calling thread runs part 0, worker i runs part i. Nothing is allocated per <see cref="Run"/> (Parallel.For would
/// allocate closures and tasks): a job is an object the op already owns, published through fields, and the workers
/// spin briefly after each job (ops follow each other within microseconds) before sleeping on a monitor.
/// Not reentrant: one <see cref="Run"/> at a time, as an interpreter invokes one op at a time.
/// </summary>
internal sealed class WorkerPool : IDisposable
{
    /// <summary>Spin iterations a worker waits for the next job before it sleeps (roughly tens of microseconds).</summary>
    private const int SpinIterations = 2000;

    private readonly Thread[] _threads;
    private readonly long[] _workerAllocated; // bytes each worker allocated while running jobs (for tests)
    private readonly object _gate = new();
    private IParallelWork? _work;
    private int _parts;
    private volatile int _generation;
    private int _pending;
    private int _sleepers;
    private volatile bool _disposed;
    private Exception? _error;

    /// <summary>Creates <paramref name="threads"/> - 1 workers (none for 1).</summary>
    public WorkerPool(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Threads = threads;
        _threads = new Thread[threads - 1];
        _workerAllocated = new long[threads - 1];
        for (int i = 0; i < _threads.Length; i++)
        {
            int part = i + 1;
            _threads[i] = new Thread(() => WorkerLoop(part)) { IsBackground = true, Name = $"QuantKernels worker {part}" };
            _threads[i].Start();
        }
    }

    /// <summary>Threads including the caller's.</summary>
    public int Threads { get; }

    /// <summary>Managed bytes the workers allocated while running jobs since they started (0 is the contract).</summary>
    public long WorkerAllocatedBytes
    {
        get
        {
            long sum = 0;
            for (int i = 0; i < _workerAllocated.Length; i++) sum += Volatile.Read(ref _workerAllocated[i]);
            return sum;
        }
    }

    /// <summary>Runs parts 0..<paramref name="parts"/>-1 of <paramref name="work"/> (at most <see cref="Threads"/>) and
    /// returns when all are done; the first exception of any part is rethrown here.</summary>
    public void Run(IParallelWork work, int parts)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (parts < 1 || parts > Threads) throw new ArgumentOutOfRangeException(nameof(parts), parts, $"must be 1..{Threads}");
        if (parts == 1) { work.RunPart(0, 1); return; }
        _work = work;
        _parts = parts;
        _error = null;
        Volatile.Write(ref _pending, Threads - 1); // every worker checks in, idle ones (part >= parts) at once
        Interlocked.Increment(ref _generation);
        if (Volatile.Read(ref _sleepers) > 0)
            lock (_gate) Monitor.PulseAll(_gate);
        try { work.RunPart(0, parts); }
        catch (Exception e) { Interlocked.CompareExchange(ref _error, e, null); }
        var spin = new SpinWait();
        while (Volatile.Read(ref _pending) != 0) spin.SpinOnce(sleep1Threshold: -1);
        _work = null;
        if (_error is { } error) ExceptionDispatchInfo.Throw(error);
    }

    private void WorkerLoop(int part)
    {
        int seen = 0;
        while (true)
        {
            int gen = WaitForJob(seen);
            if (_disposed) return;
            seen = gen;
            var work = _work!;
            int parts = _parts;
            if (part < parts)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                try { work.RunPart(part, parts); }
                catch (Exception e) { Interlocked.CompareExchange(ref _error, e, null); }
                _workerAllocated[part - 1] += GC.GetAllocatedBytesForCurrentThread() - before;
            }
            Interlocked.Decrement(ref _pending);
        }
    }

    private int WaitForJob(int seen)
    {
        for (int i = 0; i < SpinIterations; i++)
        {
            int gen = _generation;
            if (gen != seen || _disposed) return gen;
            Thread.SpinWait(20);
        }
        lock (_gate)
        {
            Interlocked.Increment(ref _sleepers);
            try
            {
                while (_generation == seen && !_disposed) Monitor.Wait(_gate);
            }
            finally { Interlocked.Decrement(ref _sleepers); }
            return _generation;
        }
    }

    /// <summary>Waits until every worker thread has exited (after <see cref="Dispose"/>); false on timeout.</summary>
    public bool WaitForWorkersToExit(TimeSpan timeout)
    {
        foreach (var t in _threads)
            if (!t.Join(timeout)) return false;
        return true;
    }

    /// <summary>Stops the workers (they exit after their current job).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        lock (_gate) Monitor.PulseAll(_gate);
    }
}
