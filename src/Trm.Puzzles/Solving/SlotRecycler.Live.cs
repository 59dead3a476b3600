using Trm.Model;
using Trm.Puzzles;

namespace Trm.Solving;

/// <summary>
/// A live source of requests for <see cref="SlotRecycler.Serve"/> (a server's queue): taking never blocks a running batch;
/// waiting happens only when every slot is empty.
/// </summary>
public interface ISlotFeed
{
    /// <summary>The next waiting request, or null when none waits. Never blocks.</summary>
    LiveRequest? TryTake();

    /// <summary>Blocks until a request may be waiting (true) or the feed is closed and <see cref="SlotRecycler.Serve"/> should return (false).</summary>
    bool WaitForWork();
}

/// <summary>
/// One request of a live feed: its tokens, its own halting rule (each slot stops by its request's policy), a token that frees
/// its slot after the current step when its caller goes away, and what to call after each of its steps (its step number and
/// answer), when it finishes, and when it leaves unfinished because it was cancelled. Callbacks run on the thread that runs the model: they must be quick and must not block.
/// </summary>
public sealed record LiveRequest(PuzzleRequest Request, HaltingPolicy Policy, CancellationToken Cancelled, Action<FinishedPuzzle> OnFinished,
    Action<int, SolveStep>? OnStep = null, Action? OnDropped = null)
{
    /// <summary>Test-time noise on its latents before every step, drawn from a random stream seeded with <see cref="PuzzleRequest.NoiseSeed"/>
    /// (one noisy trajectory per request); null: none.</summary>
    public LatentNoise? Noise { get; init; }

    /// <summary>Whether its <see cref="FinishedPuzzle.Steps"/> hold every step (the refinement) or none.</summary>
    public bool KeepSteps { get; init; } = true;

    /// <summary>Whether its <see cref="FinishedPuzzle.LogitChanges"/> are measured (for choosing the trajectory that settled most).</summary>
    public bool MeasureChange { get; init; }
}

public static partial class SlotRecycler
{
    /// <summary>
    /// Continuous batching over a live feed: after every supervision step, finished or cancelled requests leave their slots and
    /// waiting ones take them; the batch runs only as wide as its occupied slots (at most <paramref name="slots"/>), so one
    /// request alone costs a batch of one. Returns when the feed says it is closed.
    /// </summary>
    /// <param name="seqLen">Every request's token count (the server checked it, and that the engine takes each request's noise).</param>
    public static void Serve(IStepEngine engine, ISlotFeed feed, int slots, int seqLen)
    {
        if (slots < 1) throw new ArgumentOutOfRangeException(nameof(slots), "at least one slot is needed");
        Recycle(engine, feed, slots, seqLen, fixedWidth: false);
    }
}
