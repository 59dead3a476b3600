using Trm.Model;
using Trm.Puzzles;

namespace Trm.Solving;

/// <summary>
/// A puzzle that left the batch: its position in the request stream, the answer of its last step,
/// the steps it ran, that step's q_halt logit, (when asked) every step's answer and confidence, why it stopped, and (when
/// measured) the logits' change at each step after the first.
/// </summary>
public sealed record FinishedPuzzle(long Index, int[] Answer, int StepsUsed, float QHaltLogit, IReadOnlyList<SolveStep> Steps, StopReason Stopped,
    IReadOnlyList<double> LogitChanges);

/// <summary>
/// Runs puzzles through a number of batch slots of an <see cref="IStepEngine"/>: after every supervision step, a puzzle that its
/// <see cref="HaltingPolicy"/> halts (adaptive: sigmoid(q_halt) above its threshold, or its step cap) leaves its slot and the next
/// waiting puzzle takes it (its row restarts from the initial latents, as the ACT carry resets a halted slot in training). With
/// <see cref="HaltingPolicy.Fixed"/> every puzzle runs the cap, which at halt_max_steps is the reference's evaluation. One loop
/// serves a list (<see cref="Run"/>: a fixed batch width) and a live feed (<see cref="Serve"/>: only the occupied slots run); the
/// engine computes, the loop counts steps, halts, records and calls back, on plain arrays.
/// </summary>
public static partial class SlotRecycler
{
    /// <param name="requests">Pulled lazily as slots free up, so a test set can stream through.</param>
    /// <param name="onFinished">Called in the order puzzles finish (within a step, in slot order).</param>
    /// <param name="keepSteps">Record every step's answer (the refinement trajectory), not only the last.</param>
    /// <param name="noise">Test-time noise on the latents before every step, drawn per slot from a random stream seeded with its
    /// request's <see cref="PuzzleRequest.NoiseSeed"/>; null: none (the plain solve).</param>
    /// <param name="measureChange">Measure how much each slot's logits moved at every step (root mean square of the difference).</param>
    public static void Run(IStepEngine engine, IEnumerable<PuzzleRequest> requests, int slots, HaltingPolicy policy, bool keepSteps,
        Action<FinishedPuzzle> onFinished, LatentNoise? noise = null, bool measureChange = false)
    {
        if (slots < 1) throw new ArgumentOutOfRangeException(nameof(slots), "at least one slot is needed");
        if (noise is not null) engine.RequireNoise(noise);
        using var feed = new RequestList(requests, request => new LiveRequest(request, policy, CancellationToken.None, onFinished)
        {
            Noise = noise, KeepSteps = keepSteps, MeasureChange = measureChange,
        });
        if (feed.SeqLen is { } seqLen) Recycle(engine, feed, slots, seqLen, fixedWidth: true);
    }

    /// <summary>A list of requests as a feed: all of one length (a <see cref="TrmException"/> otherwise), closed once taken.</summary>
    sealed class RequestList : ISlotFeed, IDisposable
    {
        readonly IEnumerator<PuzzleRequest> pending;
        readonly Func<PuzzleRequest, LiveRequest> live;
        bool more;
        long taken;

        public RequestList(IEnumerable<PuzzleRequest> requests, Func<PuzzleRequest, LiveRequest> live)
        {
            (pending, this.live) = (requests.GetEnumerator(), live);
            more = pending.MoveNext();
            if (more) SeqLen = pending.Current.Tokens.Length;
        }

        /// <summary>The first request's length; null when there is none.</summary>
        public int? SeqLen { get; }

        public LiveRequest? TryTake()
        {
            if (!more) return null;
            var request = pending.Current;
            if (request.Tokens.Length != SeqLen)
                throw new TrmException($"puzzle {taken} has {request.Tokens.Length} tokens, puzzle 0 has {SeqLen}; solve puzzles of one size together.");
            taken++;
            more = pending.MoveNext();
            return live(request);
        }

        public bool WaitForWork() => false;

        public void Dispose() => pending.Dispose();
    }

    /// <summary>A request in a slot: its place in the stream, the steps it ran, and what it keeps of them.</summary>
    sealed class Occupant(LiveRequest live, long index)
    {
        public readonly LiveRequest Live = live;
        public readonly long Index = index;
        public readonly List<SolveStep> Steps = [];
        public readonly List<double> Changes = [];
        public int StepsTaken;
        public int Row = -1;   // its row in the previous step; -1 before its first
    }

    /// <summary>
    /// The loop: fill free slots from <paramref name="feed"/> (never blocking while a slot runs), run one step of the occupied slots
    /// (<paramref name="fixedWidth"/>: of all slots, empty ones included, so every step has the same batch width), then per slot
    /// report, halt or drop. When every slot is empty it forgets the carry and waits for work, or returns when the feed is closed.
    /// The logits' change is measured for every row while any occupant asks for it (<see cref="LiveRequest.MeasureChange"/>).
    /// </summary>
    static void Recycle(IStepEngine engine, ISlotFeed feed, int slots, int seqLen, bool fixedWidth)
    {
        var occupants = new Occupant?[slots];
        var idle = new int[seqLen];   // an empty slot's tokens in a fixed-width batch (its results are not read)
        var rows = new List<StepRow>(slots);
        var rowSlots = new List<int>(slots);
        long nextIndex = 0;
        while (true)
        {
            for (int slot = 0; slot < slots; slot++)
                while (occupants[slot] is null && feed.TryTake() is { } request)
                {
                    if (request.Request.Tokens.Length != seqLen)
                        throw new ArgumentException($"a live request has {request.Request.Tokens.Length} tokens, the feed {seqLen}", nameof(feed));
                    if (request.Noise is { } noise) engine.RequireNoise(noise);
                    if (request.Cancelled.IsCancellationRequested) request.OnDropped?.Invoke();
                    else occupants[slot] = new Occupant(request, nextIndex++);
                }
            if (occupants.All(o => o is null))
            {
                engine.Clear();
                if (!feed.WaitForWork()) return;
                continue;
            }

            rows.Clear();
            rowSlots.Clear();
            for (int slot = 0; slot < slots; slot++)
            {
                if (occupants[slot] is { } o)
                {
                    var request = o.Live.Request;
                    rows.Add(new StepRow(o.Row, request.Tokens, request.PuzzleIdentifier, o.Live.Noise, request.NoiseSeed));
                }
                else if (fixedWidth) rows.Add(new StepRow(-1, idle, 0));
                else continue;
                rowSlots.Add(slot);
            }
            bool measureChange = occupants.Any(o => o?.Live.MeasureChange == true);
            var result = engine.Step(rows, measureChange);

            for (int row = 0; row < rows.Count; row++)
            {
                int slot = rowSlots[row];
                if (occupants[slot] is not { } o) continue;
                var live = o.Live;
                o.Row = row;
                int steps = ++o.StepsTaken;
                var answer = result.Answer(row, seqLen);
                float qHalt = result.QHaltLogits[row];
                double change = steps > 1 && result.LogitChanges is { } changes ? changes[row] : double.NaN;
                if (live.MeasureChange && steps > 1) o.Changes.Add(change);
                if (live.KeepSteps || live.OnStep is not null)
                {
                    var step = new SolveStep(answer, 1 / (1 + Math.Exp(-qHalt)), change);
                    if (live.KeepSteps) o.Steps.Add(step);
                    live.OnStep?.Invoke(steps, step);
                }
                var policy = live.Policy;
                bool done = policy.QHeadSaysDone(qHalt, result.QContinueLogits[row]);
                if (done || steps >= policy.MaxSteps)
                {
                    var why = policy.Rule == HaltRule.FixedSteps ? StopReason.FixedSteps : done ? StopReason.QHead : StopReason.StepCap;
                    occupants[slot] = null;
                    live.OnFinished(new FinishedPuzzle(o.Index, answer, steps, qHalt, o.Steps, why, o.Changes));
                }
                else if (live.Cancelled.IsCancellationRequested)
                {
                    occupants[slot] = null;
                    live.OnDropped?.Invoke();
                }
            }
        }
    }
}
