using Trm.Model;
using Trm.Puzzles;
using static TorchSharp.torch;

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
    Action<int, SolveStep>? OnStep = null, Action? OnDropped = null);

public static partial class SlotRecycler
{
    /// <summary>
    /// Continuous batching over a live feed: after every supervision step, finished or cancelled requests leave their slots and
    /// waiting ones take them; the batch runs only as wide as its occupied slots (at most <paramref name="slots"/>), so one
    /// request alone costs a batch of one. Returns when the feed says it is closed.
    /// </summary>
    /// <param name="seqLen">Every request's token count (the server checked it).</param>
    public static void Serve(TrmAct model, ISlotFeed feed, int slots, int seqLen, Device device)
    {
        if (slots < 1) throw new ArgumentOutOfRangeException(nameof(slots), "at least one slot is needed");
        var occupants = new List<(LiveRequest Request, long Index, List<SolveStep> Steps, bool Fresh)>(slots);
        var unlimited = HaltingPolicy.Fixed(int.MaxValue);   // the model counts steps; each slot's own policy decides here
        long nextIndex = 0;
        bool wasTraining = model.training;
        model.eval();
        using var inference = inference_mode();
        ActCarry? carry = null;
        try
        {
            while (true)
            {
                // Fill free slots with waiting requests (never blocking while any slot runs).
                int kept = occupants.Count;
                while (occupants.Count < slots && feed.TryTake() is { } request)
                {
                    if (request.Request.Tokens.Length != seqLen)
                        throw new ArgumentException($"a live request has {request.Request.Tokens.Length} tokens, the feed {seqLen}", nameof(feed));
                    if (!request.Cancelled.IsCancellationRequested) occupants.Add((request, nextIndex++, [], true));
                    else request.OnDropped?.Invoke();
                }
                if (occupants.Count == 0)
                {
                    carry?.Dispose();
                    carry = null;
                    if (!feed.WaitForWork()) return;
                    continue;
                }

                int width = occupants.Count;
                var tokens = new int[width * seqLen];
                var identifiers = new int[width];
                var halted = new bool[width];
                for (int row = 0; row < width; row++)
                {
                    occupants[row].Request.Request.Tokens.CopyTo(tokens, row * seqLen);
                    identifiers[row] = occupants[row].Request.Request.PuzzleIdentifier;
                    halted[row] = occupants[row].Fresh;
                }

                int[] answers, steps;
                float[] qHalt;
                bool[][] saidDone;
                var policies = occupants.Select(o => o.Request.Policy).Distinct().ToList();
                using (var scope = NewDisposeScope())
                {
                    var fresh = new TrmBatch(tensor(tokens, [width, seqLen]).to(device),
                        full([width, seqLen], ActLossHead.IgnoreLabelId, ScalarType.Int32, device), tensor(identifiers).to(device));
                    if (carry is null) carry = model.InitialCarry(fresh);
                    else if (carry.Steps.shape[0] != width || kept < carry.Steps.shape[0])
                    {
                        // The rows kept are the first `kept` (compacted below); new rows' contents do not matter, they start halted.
                        var rows = tensor(Enumerable.Range(0, width).Select(r => (long)Math.Min(r, Math.Max(kept - 1, 0))).ToArray()).to(device);
                        var resized = carry.Map(t => t.index_select(0, rows));
                        carry.Dispose();
                        carry = resized;
                    }
                    using var haltedMask = tensor(halted).to(device);
                    var (next, outputs) = model.Forward(carry with { Halted = haltedMask }, fresh, unlimited);
                    answers = outputs.Logits.argmax(-1).to(ScalarType.Int32).cpu().data<int>().ToArray();
                    qHalt = outputs.QHaltLogits.to(ScalarType.Float32).cpu().data<float>().ToArray();
                    steps = next.Steps.cpu().data<int>().ToArray();
                    saidDone = [.. policies.Select(p => p.QHeadSaysDone(outputs.QHaltLogits, outputs.QContinueLogits).cpu().data<bool>().ToArray())];
                    carry.Dispose();
                    carry = next.MoveToOuterDisposeScope();
                }

                // Report each step; keep the rows that go on, in order, so the carry's first rows stay theirs.
                var goOn = new List<long>(width);
                var staying = new List<(LiveRequest, long, List<SolveStep>, bool)>(width);
                for (int row = 0; row < width; row++)
                {
                    var (request, index, history, _) = occupants[row];
                    var answer = answers[(row * seqLen)..((row + 1) * seqLen)];
                    var step = new SolveStep(answer, 1 / (1 + Math.Exp(-qHalt[row])));
                    history.Add(step);
                    request.OnStep?.Invoke(steps[row], step);
                    var policy = request.Policy;
                    bool done = policy.Rule != HaltRule.FixedSteps && saidDone[policies.IndexOf(policy)][row];
                    if (done || steps[row] >= policy.MaxSteps)
                    {
                        var why = policy.Rule == HaltRule.FixedSteps ? StopReason.FixedSteps : done ? StopReason.QHead : StopReason.StepCap;
                        request.OnFinished(new FinishedPuzzle(index, answer, steps[row], qHalt[row], history, why, []));
                    }
                    else if (request.Cancelled.IsCancellationRequested) request.OnDropped?.Invoke();
                    else
                    {
                        goOn.Add(row);
                        staying.Add((request, index, history, false));
                    }
                }
                if (goOn.Count < width && goOn.Count > 0)
                {
                    using var scope = NewDisposeScope();
                    using var rows = tensor(goOn.ToArray()).to(device);
                    var compact = carry.Map(t => t.index_select(0, rows));
                    carry.Dispose();
                    carry = compact.MoveToOuterDisposeScope();
                }
                occupants.Clear();
                occupants.AddRange(staying);
            }
        }
        finally
        {
            carry?.Dispose();
            model.train(wasTraining);
        }
    }
}
