using Trm.Distributed;
using Trm.Model;
using static TorchSharp.torch;

namespace Trm.Training;

/// <summary>
/// The ACT carry of a data-parallel job: each rank carries its slice of the global batch's slots; a checkpoint holds the
/// whole carry (rank 0's slots first), so that it resumes on any number of ranks.
/// </summary>
public static class CarryShards
{
    /// <summary>Every rank's slots in rank order (a collective call). The caller disposes the result.</summary>
    public static ActCarry Gather(ICollectives group, ActCarry local) => local.Map(t => group.AllGather(t.contiguous()));

    /// <summary>
    /// This rank's slots of a whole carry of <paramref name="globalBatch"/> slots. Disposes <paramref name="whole"/>.
    /// </summary>
    public static ActCarry Slice(ActCarry whole, ICollectives group, int globalBatch, string source)
    {
        if (whole.Steps.shape[0] != globalBatch)
            throw new TrmException($"{source}: the carry holds {whole.Steps.shape[0]} slots, but global_batch_size is {globalBatch}; resume with the run's global_batch_size.");
        if (!group.IsDistributed()) return whole;
        long local = globalBatch / group.WorldSize, start = group.Rank * local;
        var slice = whole.Map(t => t.narrow(0, start, local).clone());
        whole.Dispose();
        return slice;
    }
}
