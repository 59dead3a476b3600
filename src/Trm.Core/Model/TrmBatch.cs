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
