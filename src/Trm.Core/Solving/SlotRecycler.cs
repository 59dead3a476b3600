using Trm.Model;
using Trm.Puzzles;
using static TorchSharp.torch;

namespace Trm.Solving;

/// <summary>
/// A puzzle that left the batch: its position in the request stream, the answer of its last step,
/// the steps it ran, that step's q_halt logit, (when asked) every step's answer and confidence, why it stopped, and (when
/// measured) the logits' change at each step after the first.
/// </summary>
public sealed record FinishedPuzzle(long Index, int[] Answer, int StepsUsed, float QHaltLogit, IReadOnlyList<SolveStep> Steps, StopReason Stopped,
    IReadOnlyList<double> LogitChanges);

/// <summary>
/// Runs puzzles through a fixed number of batch slots: after every supervision step, a puzzle that the
/// <see cref="HaltingPolicy"/> halts (adaptive: sigmoid(q_halt) above its threshold, or its step cap) leaves its slot
/// and the next waiting puzzle takes it (the ACT carry resets halted slots, exactly as in training). With
/// <see cref="HaltingPolicy.Fixed"/> every puzzle runs the cap, which at halt_max_steps is the reference's evaluation.
/// </summary>
public static partial class SlotRecycler
{
    /// <param name="requests">Pulled lazily as slots free up, so a test set can stream through.</param>
    /// <param name="onFinished">Called outside any dispose scope, in the order puzzles finish.</param>
    /// <param name="keepSteps">Record every step's answer (the refinement trajectory), not only the last.</param>
    /// <param name="noise">Test-time noise on the latents before every step, drawn per slot from a generator seeded with its
    /// request's <see cref="PuzzleRequest.NoiseSeed"/>; null: none (the plain solve).</param>
    /// <param name="measureChange">Measure how much each slot's logits moved at every step (root mean square of the difference).</param>
    public static void Run(TrmAct model, IEnumerable<PuzzleRequest> requests, int slots, HaltingPolicy policy, bool keepSteps,
        Device device, Action<FinishedPuzzle> onFinished, LatentNoise? noise = null, bool measureChange = false)
    {
        if (slots < 1) throw new ArgumentOutOfRangeException(nameof(slots), "at least one slot is needed");
        using var pending = requests.GetEnumerator();
        long nextIndex = 0;
        bool more = pending.MoveNext();
        if (!more) return;
        int seqLen = pending.Current.Tokens.Length;

        var occupant = new long[slots];            // request index per slot, -1 when empty
        var history = new List<SolveStep>?[slots];
        var tokens = new int[slots * seqLen];      // the fresh batch: rows of slots that take a new puzzle
        var identifiers = new int[slots];
        var finished = new List<FinishedPuzzle>();
        var generators = new Generator?[slots];    // per slot, with noise: its request's own random stream
        var changes = new List<double>?[slots];
        var noiseTargets = noise?.Targets(model.Inner.Latents, model.Config.Architecture);
        Tensor? previousLogits = null;             // (slots, seq_len, vocab) float32, with measureChange
        Array.Fill(occupant, -1);

        bool wasTraining = model.training;
        model.eval();
        using var inference = inference_mode();
        using var labels = full([slots, seqLen], ActLossHead.IgnoreLabelId, ScalarType.Int32, device);
        ActCarry? carry = null;
        try
        {
            var halted = Enumerable.Repeat(true, slots).ToArray();
            while (true)
            {
                // Every halted or empty slot takes the next waiting puzzle.
                for (int slot = 0; slot < slots; slot++)
                {
                    if (!halted[slot]) continue;
                    occupant[slot] = -1;
                    if (!more) continue;
                    var request = pending.Current;
                    if (request.Tokens.Length != seqLen)
                        throw new TrmException($"puzzle {nextIndex} has {request.Tokens.Length} tokens, puzzle 0 has {seqLen}; solve puzzles of one size together.");
                    request.Tokens.CopyTo(tokens, slot * seqLen);
                    identifiers[slot] = request.PuzzleIdentifier;
                    occupant[slot] = nextIndex++;
                    history[slot] = [];
                    changes[slot] = [];
                    if (noise is not null)
                    {
                        generators[slot]?.Dispose();
                        generators[slot] = new Generator(request.NoiseSeed);
                    }
                    more = pending.MoveNext();
                }
                if (occupant.All(o => o < 0)) break;

                int[] answers, steps;
                bool[] stops, saidDone;
                float[] qHalt;
                double[]? moved = null;
                using (var scope = NewDisposeScope())
                {
                    var fresh = new TrmBatch(tensor(tokens, [slots, seqLen]).to(device), labels, tensor(identifiers).to(device));
                    carry ??= model.InitialCarry(fresh);
                    using var haltedMask = tensor(halted).to(device);
                    Func<InnerCarry, InnerCarry>? perturb = null;
                    if (noise is not null)
                    {
                        var latentShape = carry.Inner.Answer.shape[1..];   // (L, D)
                        var drawn = Enumerable.Range(0, noiseTargets!.Count).Select(t => stack(Enumerable.Range(0, slots)
                            .Select(slot => occupant[slot] < 0 ? zeros(latentShape) : randn(latentShape, generator: generators[slot]))).mul(noise.Sigma).to(device)).ToList();
                        perturb = latents => LatentNoise.Add(latents, noiseTargets, drawn);
                    }
                    var (next, outputs) = model.Forward(carry with { Halted = haltedMask }, fresh, policy, perturb);
                    if (measureChange)
                    {
                        var logits = outputs.Logits.to(ScalarType.Float32);
                        // A slot's first step has nothing to compare with (NaN); the slots' rows of the previous step otherwise.
                        moved = previousLogits is null ? null : (logits - previousLogits).square().mean([1, 2]).sqrt().to(ScalarType.Float64).cpu().data<double>().ToArray();
                        previousLogits?.Dispose();
                        previousLogits = logits.detach().clone().MoveToOuterDisposeScope();
                    }
                    answers = outputs.Logits.argmax(-1).to(ScalarType.Int32).cpu().data<int>().ToArray();
                    qHalt = outputs.QHaltLogits.to(ScalarType.Float32).cpu().data<float>().ToArray();
                    steps = next.Steps.cpu().data<int>().ToArray();
                    stops = next.Halted.cpu().data<bool>().ToArray();
                    saidDone = policy.QHeadSaysDone(outputs.QHaltLogits, outputs.QContinueLogits).cpu().data<bool>().ToArray();
                    carry.Dispose();
                    carry = next.MoveToOuterDisposeScope();
                }

                for (int slot = 0; slot < slots; slot++)
                {
                    halted[slot] = true;
                    if (occupant[slot] < 0) continue;
                    var answer = answers[(slot * seqLen)..((slot + 1) * seqLen)];
                    double change = steps[slot] > 1 && moved is not null ? moved[slot] : double.NaN;
                    if (measureChange && steps[slot] > 1) changes[slot]!.Add(change);
                    if (keepSteps) history[slot]!.Add(new SolveStep(answer, 1 / (1 + Math.Exp(-qHalt[slot])), change));
                    halted[slot] = stops[slot];
                    var why = policy.Rule == HaltRule.FixedSteps ? StopReason.FixedSteps : saidDone[slot] ? StopReason.QHead : StopReason.StepCap;
                    if (halted[slot]) finished.Add(new FinishedPuzzle(occupant[slot], answer, steps[slot], qHalt[slot], history[slot]!, why, changes[slot]!));
                }
                foreach (var puzzle in finished) onFinished(puzzle);
                finished.Clear();
            }
        }
        finally
        {
            carry?.Dispose();
            previousLogits?.Dispose();
            foreach (var generator in generators) generator?.Dispose();
            model.train(wasTraining);
        }
    }
}
