using Trm.Distributed;
using Trm.Model;
using static TorchSharp.torch;

namespace Trm.Training;

/// <summary>
/// SignSGD with decoupled weight decay for the puzzle-embedding rows a step touched: gradients of
/// repeated ids are summed, then <c>w = w * (1 - lr*wd) - lr * sign(g)</c> on those rows only
/// (the reference's sparse update; Adam is close to SignSGD when gradients are this sparse). In a data-parallel job
/// every rank first gathers all ranks' ids and gradient rows, in rank order, so that each applies the global batch's update.
/// </summary>
public sealed class SignSgdSparse(SparsePuzzleEmbedding embedding, double lr, double weightDecay, ICollectives? group = null)
{
    public double LearningRate { get; set; } = lr;

    public void Step()
    {
        var rows = embedding.LastRows;
        if (rows?.Rows.grad is not { } grad) return;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (allIds, allGrad) = group is { WorldSize: > 1 } ? (group.AllGather(rows.Ids.contiguous()), group.AllGather(grad.contiguous())) : (rows.Ids, grad);
        var (ids, maybeInverse, _) = allIds.unique(sorted: true, return_inverse: true);
        var inverse = maybeInverse!;
        var summed = zeros([ids.shape[0], grad.shape[1]], grad.dtype, grad.device)
            .scatter_add_(0, inverse.unsqueeze(-1).expand(-1, grad.shape[1]), allGrad);   // (unique ids, dim)
        var weights = embedding.Weights;
        var updated = weights.index_select(0, ids).mul_(1.0 - LearningRate * weightDecay).add_(summed.sign(), alpha: -LearningRate);
        weights.index_copy_(0, ids.to(ScalarType.Int64), updated);
    }
}
