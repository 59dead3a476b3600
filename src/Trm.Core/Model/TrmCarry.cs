using static TorchSharp.torch;

namespace Trm.Model;

/// <summary>A batch of puzzles: inputs and labels (B, seq_len) token ids, labels -100 where ignored; puzzle ids (B).</summary>
public sealed record TrmBatch(Tensor Inputs, Tensor Labels, Tensor PuzzleIdentifiers)
{
    public long Size => Inputs.shape[0];

    /// <summary>Per slot: take <paramref name="fresh"/>'s example where <paramref name="take"/> (B) is true, else keep ours.</summary>
    public TrmBatch Replace(Tensor take, TrmBatch fresh)
    {
        Tensor Pick(Tensor mine, Tensor theirs) => where(take.view([-1, .. Enumerable.Repeat(1L, (int)mine.dim() - 1)]), theirs, mine);
        return new(Pick(Inputs, fresh.Inputs), Pick(Labels, fresh.Labels), Pick(PuzzleIdentifiers, fresh.PuzzleIdentifiers));
    }

    public TrmBatch To(Device device) => new(Inputs.to(device), Labels.to(device), PuzzleIdentifiers.to(device));
}

/// <summary>
/// The latent states an architecture carries from one supervision step to the next, each (B, puzzle_emb_len + seq_len,
/// hidden), with the reference's names (<see cref="Recursion.Latents"/>): the answer state the heads read first (TRM's
/// z_H, then z_L; the single-z ablation's only z_L).
/// </summary>
public sealed record InnerCarry(IReadOnlyList<string> Names, IReadOnlyList<Tensor> States)
{
    /// <summary>The state the heads read (B, L, D).</summary>
    public Tensor Answer => States[0];
}

/// <summary>
/// What deep supervision keeps per batch slot between steps: latents, steps taken (int32),
/// whether the slot has halted (bool, so it takes a new example next step), and its current example.
/// </summary>
public sealed record ActCarry(InnerCarry Inner, Tensor Steps, Tensor Halted, TrmBatch CurrentData) : IDisposable
{
    IEnumerable<Tensor> Tensors => [.. Inner.States, Steps, Halted, CurrentData.Inputs, CurrentData.Labels, CurrentData.PuzzleIdentifiers];

    /// <summary>The carry with <paramref name="map"/> applied to each of its tensors (all indexed by slot in dim 0).</summary>
    public ActCarry Map(Func<Tensor, Tensor> map) => new(new InnerCarry(Inner.Names, [.. Inner.States.Select(map)]), map(Steps), map(Halted),
        new TrmBatch(map(CurrentData.Inputs), map(CurrentData.Labels), map(CurrentData.PuzzleIdentifiers)));

    /// <summary>Keeps the carry alive past the current dispose scope (it lives from one step to the next).</summary>
    public ActCarry MoveToOuterDisposeScope()
    {
        foreach (var t in Tensors) t.MoveToOuterDisposeScope();
        return this;
    }

    public void Dispose()
    {
        foreach (var t in Tensors) t.Dispose();
    }
}

/// <summary>
/// One supervision step's outputs: logits (B, seq_len, vocab), Q logits (B) in float32, and in the
/// no_ACT_continue = false variant the bootstrapped Q-continue target (B).
/// </summary>
public sealed record ActOutputs(Tensor Logits, Tensor QHaltLogits, Tensor QContinueLogits, Tensor? TargetQContinue);
