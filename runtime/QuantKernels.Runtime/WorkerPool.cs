using System.Runtime.ExceptionServices;

namespace QuantKernels.Runtime;

/// <summary>Work an op splits into parts that may run concurrently (see <see cref="WorkerPool.Run"/>).</summary>
internal interface IParallelWork
{
    /// <summary>Runs part <paramref name="part"/> of <paramref name="parts"/> with the scratch of <paramref name="worker"/>
    /// (0 for the calling thread, 1..Threads-1 for the pool's threads); distinct parts touch distinct outputs.</summary>
    void RunPart(int part, int parts, int worker);
}

/// <summary>
/// A fork-join pool of <c>Threads - 1</c> background threads owned by one <see cref="Interpreter"/> (disposed with it).
/// Nothing is allocated per <see cref="Run"/> (Parallel.For would allocate closures and tasks): a job is an object the op
/// already owns, published through fields. Parts are claimed from a shared counter by the caller and the workers alike,
/// so on a loaded machine a worker that is not scheduled in time costs little: the others run the parts it has not
/// claimed (ops split into a few parts per thread for that reason). The thread's index (caller 0, workers 1..) picks
/// the kernels' scratch; each part is claimed once. Workers spin for a short while after each
/// job (ops follow each other within microseconds), then sleep on a monitor.
/// Not reentrant: one <see cref="Run"/> at a time, as an interpreter invokes one op at a time.
/// </summary>
internal sealed class WorkerPool : IDisposable
{
    /// <summary>How long an idle worker spins for the next job before it sleeps.</summary>
    private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 20_000; // 50 us

    private readonly Thread[] _threads;
    private readonly long[] _workerAllocated; // bytes each worker allocated while running parts (for tests)
    private readonly object _gate = new();
    private IParallelWork? _work;
    private int _parts;
    private long _state; // generation << 32 | next unclaimed part
    private int _completed;
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
            int index = i;
            _threads[i] = new Thread(() => WorkerLoop(index)) { IsBackground = true, Name = $"QuantKernels worker {i + 1}" };
            _threads[i].Start();
        }
    }

    /// <summary>Threads including the caller's.</summary>
    public int Threads { get; }

    /// <summary>Managed bytes the workers allocated while running parts since they started (0 is the contract).</summary>
    public long WorkerAllocatedBytes
    {
        get
        {
            long sum = 0;
            for (int i = 0; i < _workerAllocated.Length; i++) sum += Volatile.Read(ref _workerAllocated[i]);
            return sum;
        }
    }

    /// <summary>Runs parts 0..<paramref name="parts"/>-1 of <paramref name="work"/> over the threads and
    /// returns when all are done; the first exception of any part is rethrown here.</summary>
    public void Run(IParallelWork work, int parts)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        if (parts == 1 || Threads == 1)
        {
            for (int p = 0; p < parts; p++) work.RunPart(p, parts, 0);
            return;
        }
        _work = work;
        _parts = parts;
        _error = null;
        Volatile.Write(ref _completed, 0);
        long gen = (Volatile.Read(ref _state) >> 32) + 1;
        Interlocked.Exchange(ref _state, gen << 32); // publishes the fields above
        if (Volatile.Read(ref _sleepers) > 0)
            lock (_gate) Monitor.PulseAll(_gate);
        RunParts(work, parts, gen, 0);
        var spin = new SpinWait();
        while (Volatile.Read(ref _completed) != parts) spin.SpinOnce(sleep1Threshold: -1);
        _work = null;
        if (_error is { } error) ExceptionDispatchInfo.Throw(error);
    }

    /// <summary>Claims and runs parts of generation <paramref name="gen"/> until none is left (or the generation moved on).</summary>
    private void RunParts(IParallelWork work, int parts, long gen, int worker)
    {
        while (true)
        {
            long s = Volatile.Read(ref _state);
            if (s >> 32 != gen) return;
            int part = (int)(s & 0xFFFFFFFF);
            if (part >= parts) return;
            if (Interlocked.CompareExchange(ref _state, s + 1, s) != s) continue;
            try { work.RunPart(part, parts, worker); }
            catch (Exception e) { Interlocked.CompareExchange(ref _error, e, null); }
            Interlocked.Increment(ref _completed);
        }
    }

    private void WorkerLoop(int index)
    {
        long seen = 0;
        while (true)
        {
            long gen = WaitForJob(seen);
            if (_disposed) return;
            seen = gen;
            // _work/_parts may already belong to a later generation; RunParts then finds the generation changed and
            // claims nothing (a part of generation gen is only claimable while gen's work is still published).
            var work = Volatile.Read(ref _work);
            int parts = _parts;
            if (work is null) continue;
            long before = GC.GetAllocatedBytesForCurrentThread();
            RunParts(work, parts, gen, index + 1);
            _workerAllocated[index] += GC.GetAllocatedBytesForCurrentThread() - before;
        }
    }

    private long WaitForJob(long seen)
    {
        long deadline = System.Diagnostics.Stopwatch.GetTimestamp() + SpinTicks;
        while (System.Diagnostics.Stopwatch.GetTimestamp() < deadline)
        {
            long gen = Volatile.Read(ref _state) >> 32;
            if (gen != seen || _disposed) return gen;
            Thread.SpinWait(10);
        }
        lock (_gate)
        {
            Interlocked.Increment(ref _sleepers);
            try
            {
                while ((Volatile.Read(ref _state) >> 32) == seen && !_disposed) Monitor.Wait(_gate);
            }
            finally { Interlocked.Decrement(ref _sleepers); }
            return Volatile.Read(ref _state) >> 32;
        }
    }

    /// <summary>Waits until every worker thread has exited (after <see cref="Dispose"/>); false on timeout.</summary>
    public bool WaitForWorkersToExit(TimeSpan timeout)
    {
        foreach (var t in _threads)
            if (!t.Join(timeout)) return false;
        return true;
    }

    /// <summary>Stops the workers (they exit after their current part).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        lock (_gate) Monitor.PulseAll(_gate);
    }
}
