using TorchSharp;
using static TorchSharp.torch;

namespace Trm.Distributed;

/// <summary>
/// Collectives on CPU tensors over MPI_COMM_WORLD, through Open MPI's C library. Joining calls MPI_Init; the ranks that
/// share a machine are found with MPI_Comm_split_type, whatever launched the job (mpirun, srun).
/// </summary>
public sealed unsafe class MpiCollectives : ICollectives
{
    readonly MpiLibrary mpi;
    bool finished;

    public int Rank { get; }
    public int WorldSize { get; }
    public int LocalRank { get; }
    public int LocalSize { get; }
    public string Description { get; }

    MpiCollectives(MpiLibrary mpi)
    {
        this.mpi = mpi;
        int initialized, rank, size, localRank, localSize;
        MpiLibrary.Check(mpi.Initialized(&initialized), "MPI_Initialized");
        if (initialized == 0) MpiLibrary.Check(mpi.Init(null, null), "MPI_Init");
        MpiLibrary.Check(mpi.CommRank(mpi.CommWorld, &rank), "MPI_Comm_rank");
        MpiLibrary.Check(mpi.CommSize(mpi.CommWorld, &size), "MPI_Comm_size");
        IntPtr machine;
        MpiLibrary.Check(mpi.CommSplitType(mpi.CommWorld, MpiLibrary.CommTypeShared, rank, mpi.InfoNull, &machine), "MPI_Comm_split_type");
        MpiLibrary.Check(mpi.CommRank(machine, &localRank), "MPI_Comm_rank");
        MpiLibrary.Check(mpi.CommSize(machine, &localSize), "MPI_Comm_size");
        (Rank, WorldSize, LocalRank, LocalSize) = (rank, size, localRank, localSize);
        Description = $"{mpi.Version()}, {size} ranks";
    }

    /// <summary>Loads the MPI library and joins the job the launcher started.</summary>
    public static MpiCollectives Join() => new(MpiLibrary.Load());

    public void AllReduceSum(Tensor buffer)
    {
        var type = Type(buffer, reduce: true);
        fixed (byte* data = Cpu(buffer).bytes)
            MpiLibrary.Check(mpi.Allreduce(MpiLibrary.InPlace, data, Count(buffer.numel()), type, mpi.OpSum, mpi.CommWorld), "MPI_Allreduce");
    }

    public Tensor AllGather(Tensor local)
    {
        var type = Type(local, reduce: false);
        var gathered = empty(this.GatheredShape(local), local.dtype);
        fixed (byte* send = Cpu(local).bytes)
        fixed (byte* receive = gathered.bytes)
            MpiLibrary.Check(mpi.Allgather(send, Count(local.numel()), type, receive, Count(local.numel()), type, mpi.CommWorld), "MPI_Allgather");
        return gathered;
    }

    public void Broadcast(Tensor buffer, int root = 0)
    {
        var type = Type(buffer, reduce: false);
        fixed (byte* data = Cpu(buffer).bytes)
            MpiLibrary.Check(mpi.Bcast(data, Count(buffer.numel()), type, root, mpi.CommWorld), "MPI_Bcast");
    }

    public void Barrier() => MpiLibrary.Check(mpi.BarrierCall(mpi.CommWorld), "MPI_Barrier");

    public void Abort(int exitCode)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        mpi.AbortCall(mpi.CommWorld, exitCode);
        Environment.Exit(exitCode);   // MPI_Abort does not return; should it, end this rank anyway
    }

    /// <summary>MPI_Finalize once every rank is done (it waits for the others).</summary>
    public void Dispose()
    {
        if (finished) return;
        finished = true;
        mpi.Finalize();
    }

    static Tensor Cpu(Tensor t) => t.device_type == DeviceType.CPU && t.is_contiguous() ? t
        : throw new InvalidOperationException($"MPI collectives take contiguous CPU tensors (got {t.device_type}, contiguous {t.is_contiguous()}).");

    static int Count(long elements) => elements <= int.MaxValue ? (int)elements
        : throw new InvalidOperationException($"{elements} elements exceed one MPI call's count; split the buffer.");

    IntPtr Type(Tensor t, bool reduce) => t.dtype switch
    {
        ScalarType.Float32 => mpi.Float,
        ScalarType.Float64 => mpi.Double,
        ScalarType.Int32 => mpi.Int,
        ScalarType.Int64 => mpi.Int64,
        ScalarType.Byte or ScalarType.Bool or ScalarType.Int8 when !reduce => mpi.Byte,
        _ => throw new InvalidOperationException($"no MPI {(reduce ? "sum" : "transfer")} for {t.dtype} tensors here"),
    };
}
