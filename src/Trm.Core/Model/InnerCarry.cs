using static TorchSharp.torch;

namespace Trm.Model;

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
