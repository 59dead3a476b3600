using Trm.Model;

namespace Trm.Solving;

/// <summary>
/// One row of a supervision step's batch: the run's tokens (seq_len) and puzzle-embedding row, and which row of the previous
/// step it continues (<see cref="From"/>), or -1 when it starts: its latents restart from the initial latents, as the ACT carry
/// does for a halted slot. With <see cref="Noise"/>, Gaussian noise goes on its latents before the step, drawn from a random
/// stream of its own that a starting row seeds with <see cref="NoiseSeed"/> and a continuing row carries on.
/// </summary>
public readonly record struct StepRow(int From, int[] Tokens, int PuzzleIdentifier, LatentNoise? Noise = null, ulong NoiseSeed = 0)
{
    public bool Starts => From < 0;
}

/// <summary>
/// One supervision step's results per row: the answer (argmax token ids, (B, seq_len) row-major), the Q head's logits
/// q_halt and q_continue (B) in float32, and, when measured, how much each row's logits moved since the row it continues
/// (root mean square of the difference of the float32 logits; NaN for a starting row); null when not measured.
/// </summary>
public sealed record StepResult(int[] Answers, float[] QHaltLogits, float[] QContinueLogits, double[]? LogitChanges)
{
    /// <summary>Row <paramref name="row"/>'s answer (seq_len token ids).</summary>
    public int[] Answer(int row, int seqLen) => Answers[(row * seqLen)..((row + 1) * seqLen)];
}

/// <summary>
/// A trained model as the slot recycler drives it: it owns the carry (each row's latents, tokens, noise stream) between calls
/// and runs one supervision step for a batch of rows. Halting, step counts and everything else a run keeps are the caller's
/// (<see cref="SlotRecycler"/>), so that any engine runs the same loop: <c>ActStepEngine</c> in <c>Trm.Core</c> (TorchSharp, <c>TrmAct</c>)
/// or a graph of one step run elsewhere (inputs: latents, a reset mask (B), tokens (B, seq_len) and puzzle identifiers (B); outputs:
/// the new latents, logits (B, seq_len, vocab) and the Q logits (B)).
/// </summary>
public interface IStepEngine : IDisposable
{
    /// <summary>Refuses (a <see cref="TrmSettingsException"/>) noise this engine cannot add, before any step runs.</summary>
    void RequireNoise(LatentNoise noise);

    /// <summary>
    /// One supervision step of <paramref name="rows"/>: each row either starts or continues a distinct row of the previous call
    /// (rows may be reordered and dropped between calls). <paramref name="measureChange"/>: also measure each continuing row's change
    /// of logits (NaN where the previous call did not measure).
    /// </summary>
    StepResult Step(IReadOnlyList<StepRow> rows, bool measureChange = false);

    /// <summary>Forgets the carry (every slot is empty): the next call's rows all start.</summary>
    void Clear();
}
