using static TorchSharp.torch;

namespace Trm.Distributed;

/// <summary>
/// The processes of one data-parallel job and the collectives they run together. Every rank must make the same calls in
/// the same order with tensors of the same shape and dtype; a call returns on a rank once every rank has made it.
/// Tensors must be contiguous. <see cref="SingleProcess"/> is the job of one process; <see cref="MpiCollectives"/> runs
/// CPU tensors over MPI and <see cref="NcclCollectives"/> CUDA tensors over NCCL.
/// </summary>
public interface ICollectives : IDisposable
{
    /// <summary>This process's index in the job, 0 ..  <see cref="WorldSize"/> - 1; rank 0 alone writes.</summary>
    int Rank { get; }
    int WorldSize { get; }
    /// <summary>This process's index among the job's processes on its machine (picks cuda:LocalRank).</summary>
    int LocalRank { get; }
    /// <summary>How many of the job's processes share this machine (they share its cores).</summary>
    int LocalSize { get; }
    /// <summary>The engine in words, e.g. "Open MPI v4.1.4, 2 ranks".</summary>
    string Description { get; }

    /// <summary>Replaces <paramref name="buffer"/> on every rank by the element-wise sum over ranks.</summary>
    void AllReduceSum(Tensor buffer);

    /// <summary>(n, ...) on every rank (same shape everywhere) -> (WorldSize * n, ...), rank 0's rows first.</summary>
    Tensor AllGather(Tensor local);

    /// <summary>Replaces <paramref name="buffer"/> on every rank by <paramref name="root"/>'s.</summary>
    void Broadcast(Tensor buffer, int root = 0);

    void Barrier();

    /// <summary>Ends every process of the job now with <paramref name="exitCode"/> (a rank that failed calls it, so that none waits forever).</summary>
    void Abort(int exitCode);
}

public static class CollectivesExtensions
{
    public static bool IsRoot(this ICollectives group) => group.Rank == 0;
    public static bool IsDistributed(this ICollectives group) => group.WorldSize > 1;

    /// <summary>The shape <see cref="ICollectives.AllGather"/> returns for <paramref name="local"/>: dim 0 times the ranks (a scalar counts as one row).</summary>
    public static long[] GatheredShape(this ICollectives group, Tensor local) =>
        [group.WorldSize * (local.dim() == 0 ? 1 : local.shape[0]), .. local.shape.Skip(1)];
}
