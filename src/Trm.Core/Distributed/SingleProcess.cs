using static TorchSharp.torch;

namespace Trm.Distributed;

/// <summary>A job of one process: every collective is the identity, and nothing needs MPI.</summary>
public sealed class SingleProcess : ICollectives
{
    public static readonly SingleProcess Instance = new();

    public int Rank => 0;
    public int WorldSize => 1;
    public int LocalRank => 0;
    public int LocalSize => 1;
    public string Description => "one process";

    public void AllReduceSum(Tensor buffer) { }
    public Tensor AllGather(Tensor local) => local.alias();
    public void Broadcast(Tensor buffer, int root = 0) { }
    public void Barrier() { }
    public void Abort(int exitCode) => Environment.Exit(exitCode);
    public void Dispose() { }
}
