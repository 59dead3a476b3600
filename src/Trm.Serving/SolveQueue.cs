using Trm.Solving;

namespace Trm.Serving;

/// <summary>
/// The bounded queue every caller's requests wait in, and the live feed the model's worker takes them from between supervision
/// steps (<see cref="ISlotFeed"/>). A puzzle's requests enter together or not at all.
/// </summary>
public sealed class SolveQueue(int capacity) : ISlotFeed
{
    readonly object gate = new();
    readonly Queue<LiveRequest> waiting = new();
    bool closed;

    public int Capacity => capacity;

    public int Depth { get { lock (gate) return waiting.Count; } }

    /// <summary>Adds all of <paramref name="requests"/>, or none when they do not fit (false) or the queue is closed.</summary>
    public bool TryAdd(IReadOnlyList<LiveRequest> requests)
    {
        lock (gate)
        {
            if (closed || waiting.Count + requests.Count > capacity) return false;
            foreach (var request in requests) waiting.Enqueue(request);
            Monitor.PulseAll(gate);
            return true;
        }
    }

    public LiveRequest? TryTake()
    {
        lock (gate) return waiting.TryDequeue(out var request) ? request : null;
    }

    public bool WaitForWork()
    {
        lock (gate)
        {
            while (waiting.Count == 0 && !closed) Monitor.Wait(gate);
            return waiting.Count > 0;
        }
    }

    /// <summary>Takes no more requests; the worker finishes those waiting and running, then stops.</summary>
    public void Close()
    {
        lock (gate)
        {
            closed = true;
            Monitor.PulseAll(gate);
        }
    }
}
