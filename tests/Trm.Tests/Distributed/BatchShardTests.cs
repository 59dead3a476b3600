using Trm.Distributed;
using Trm.Model;
using static TorchSharp.torch;

namespace Trm.Tests.Distributed;

/// <summary>The in-process parts of data parallelism: exploration draws split across ranks, and one process's collectives.</summary>
public class BatchShardTests
{
    [Fact]
    public void RanksExploreTheirSlicesOfOneProcesssDraws()
    {
        var policy = new HaltingPolicy(MaxSteps: 4, HaltRule.QHalt, ExplorationProb: 0.5);
        using var steps = full(8, 2, ScalarType.Int32);
        using var qHalt = ones(8);   // every slot would halt but for exploration
        Tensor Draw((int, int) shard, long rows)
        {
            using var generator = new TorchSharp.torch.Generator(7);
            return policy.Halted(steps[..(int)rows], qHalt[..(int)rows], zeros(rows), generator, shard);
        }
        using var whole = Draw((0, 1), 8);
        using var first = Draw((0, 2), 4);
        using var second = Draw((1, 2), 4);
        Assert.Equal(whole.data<bool>().ToArray(), cat([first, second]).data<bool>().ToArray());
        Assert.Contains(false, whole.data<bool>().ToArray());   // exploration kept some slots going
    }

    [Fact]
    public void OneProcessIsAJobOfOneWithoutMpi()
    {
        var job = ProcessGroup.LaunchedSize() <= 1 ? ProcessGroup.Join() : null;
        Assert.Same(SingleProcess.Instance, job);
        using var values = tensor(new[] { 1f, 2f });
        job!.AllReduceSum(values);
        Assert.Equal([1f, 2f], values.data<float>().ToArray());
        Assert.Equal(new[] { 3.0 }, job.Sum([3.0]));
        Assert.Equal("rank 0", job.Broadcast("rank 0"));
        Assert.False(job.AnyRank(false));
    }
}
