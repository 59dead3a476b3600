using TorchSharp;
using static TorchSharp.torch;

namespace Trm.Model;

/// <summary>The puzzle-embedding rows a training step used: ids (B) and the leaf (B, dim) that receives their gradient.</summary>
public sealed record PuzzleEmbeddingRows(Tensor Ids, Tensor Rows);

/// <summary>
/// One learned vector per puzzle identifier, trained sparsely. The table is a persistent buffer,
/// not a parameter (it can hold hundreds of thousands of rows). A training forward copies the
/// batch's rows into a fresh leaf tensor that receives the gradient; a sparse optimizer then updates
/// only those rows.
/// </summary>
public sealed class SparsePuzzleEmbedding : nn.Module<Tensor, Tensor>
{
    private readonly Tensor weights;
    private readonly ScalarType castTo;

    public SparsePuzzleEmbedding(long count, long dim, ScalarType castTo) : base(nameof(SparsePuzzleEmbedding))
    {
        weights = zeros(count, dim);   // zero init, as the reference
        this.castTo = castTo;
        RegisterComponents();
    }

    /// <summary>The full table (count, dim), float32.</summary>
    public Tensor Weights => weights;

    /// <summary>The rows of the last gradient-recording training forward, or null.</summary>
    public PuzzleEmbeddingRows? LastRows { get; private set; }

    // ids (B) -> (B, dim) in the forward dtype
    public override Tensor forward(Tensor ids)
    {
        var rows = weights.index_select(0, ids);
        if (!training || !is_grad_enabled()) return rows.to(castTo);

        var leaf = rows.detach().requires_grad_(true);
        LastRows = new PuzzleEmbeddingRows(ids, leaf);
        return leaf.to(castTo);
    }
}
