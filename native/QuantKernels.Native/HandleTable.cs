namespace QuantKernels.Native;

/// <summary>What a C handle points at; stored in the handle's top bits so a handle of one kind passed where
/// another is expected is rejected instead of misread.</summary>
internal enum HandleKind
{
    Model = 1,
    Options = 2,
    Interpreter = 3,
    Tensor = 4,
    Detector = 5,
}

/// <summary>
/// The objects C holds, addressed by generation-checked handles instead of raw pointers or GCHandles, so that a
/// stale handle (used after its Delete), a handle of the wrong kind, NULL or an arbitrary pointer is reported as an
/// error instead of crashing the process.
/// </summary>
/// <remarks>
/// Handle layout (64-bit): bits 60-63 kind (never 0, so a handle is never NULL, and the address is non-canonical,
/// so a C program that dereferences one faults at once instead of corrupting memory), bits 40-59 the slot's
/// generation, bits 24-39 the slot, bits 0-23 a sub-index (the tensor index for tensor handles, else 0).
/// Deleting an object bumps its slot's generation, so every handle to it (and to its tensors) goes stale.
/// This is process-wide state by necessity: a C ABI has no other place to keep what its handles mean.
/// </remarks>
internal sealed class HandleTable
{
    private const int SlotBits = 16, GenerationBits = 20, SubBits = 24;
    private const int MaxSlots = 1 << SlotBits;
    private const uint GenerationMask = (1u << GenerationBits) - 1;

    /// <summary>Largest sub-index a handle can carry (tensor indexes above it cannot be handed out).</summary>
    public const int MaxSub = (1 << SubBits) - 1;

    private readonly object _lock = new();
    private object?[] _objects = new object?[64];
    private uint[] _generations = new uint[64];
    private readonly Queue<int> _free = new(); // FIFO, and only reused past MinFree, so a slot's generation wraps late
    private const int MinFree = 1024;
    private int _used;

    /// <summary>The one table of this library.</summary>
    public static HandleTable Shared { get; } = new();

    /// <summary>Stores <paramref name="value"/> and returns its handle.</summary>
    /// <exception cref="InvalidOperationException">65536 objects are alive already.</exception>
    public nint Add(HandleKind kind, object value)
    {
        lock (_lock)
        {
            int slot;
            if (_free.Count > MinFree || (_free.Count > 0 && _used == MaxSlots)) slot = _free.Dequeue();
            else
            {
                if (_used == MaxSlots) throw new InvalidOperationException($"too many live handles (at most {MaxSlots})");
                if (_used == _objects.Length)
                {
                    Array.Resize(ref _objects, _objects.Length * 2);
                    Array.Resize(ref _generations, _generations.Length * 2);
                }
                slot = _used++;
            }
            _objects[slot] = value;
            return Encode(kind, _generations[slot], slot, 0);
        }
    }

    /// <summary>A handle of another <paramref name="kind"/> that shares <paramref name="owner"/>'s slot and
    /// generation (a tensor of an interpreter), so it goes stale with the owner.</summary>
    public static nint Derive(nint owner, HandleKind kind, int sub)
    {
        if ((uint)sub > MaxSub) throw new InvalidOperationException($"index {sub} is above the handle limit {MaxSub}");
        ulong h = (ulong)owner;
        return Encode(kind, (uint)(h >> 40) & GenerationMask, (int)((h >> SubBits) & (MaxSlots - 1)), sub);
    }

    /// <summary>Resolves a handle of <paramref name="kind"/> to its object (of <typeparamref name="T"/>) and
    /// sub-index; throws <see cref="HandleException"/> naming what is wrong with it.</summary>
    public T Get<T>(nint handle, HandleKind kind, string what, out int sub) where T : class
    {
        ulong h = (ulong)handle;
        if (h == 0) throw new HandleException($"{what} is NULL");
        var k = (HandleKind)(h >> 60);
        if (k != kind)
            throw new HandleException(Enum.IsDefined(k)
                ? $"{what} is a {k} handle, not a {kind} handle"
                : $"{what} (0x{h:x}) is not a handle this library returned");
        uint generation = (uint)(h >> 40) & GenerationMask;
        int slot = (int)((h >> SubBits) & (MaxSlots - 1));
        sub = (int)(h & MaxSub);
        lock (_lock)
        {
            if (slot >= _used || _generations[slot] != generation || _objects[slot] is not T value)
                throw new HandleException($"{what} (0x{h:x}) is stale: its {(kind == HandleKind.Tensor ? "interpreter" : kind.ToString())} was deleted");
            return value;
        }
    }

    /// <summary>Removes the object of a valid handle and returns it; every handle to it goes stale.</summary>
    public T Remove<T>(nint handle, HandleKind kind, string what) where T : class
    {
        var value = Get<T>(handle, kind, what, out _);
        int slot = (int)(((ulong)handle >> SubBits) & (MaxSlots - 1));
        lock (_lock)
        {
            if (!ReferenceEquals(_objects[slot], value))
                throw new HandleException($"{what} was deleted concurrently");
            _objects[slot] = null;
            _generations[slot] = (_generations[slot] + 1) & GenerationMask;
            _free.Enqueue(slot);
        }
        return value;
    }

    private static nint Encode(HandleKind kind, uint generation, int slot, int sub) =>
        (nint)(((ulong)kind << 60) | ((ulong)generation << 40) | ((ulong)slot << SubBits) | (uint)sub);
}

/// <summary>A C caller passed a NULL, stale or wrong-kind handle.</summary>
internal sealed class HandleException(string message) : Exception(message);
