using TorchSharp;
using Trm.Limits;

namespace Trm.Distributed;

/// <summary>
/// How this process takes part in a data-parallel job. A launcher (mpirun, srun, mpiexec) says so in the environment; with
/// more than one process the job is joined over MPI (and NCCL on CUDA devices). Without a launcher, or with one process,
/// it is <see cref="SingleProcess"/> and nothing loads MPI.
/// </summary>
public static class ProcessGroup
{
    /// <summary>The job size a launcher announced: Open MPI's mpirun, Slurm's srun, or a PMI launcher; 1 when none did.
    /// A size outside its declared range (<see cref="UserLimits.Environment"/>) is refused by name.</summary>
    public static int LaunchedSize()
    {
        foreach (var variable in (string[])["OMPI_COMM_WORLD_SIZE", "SLURM_STEP_NUM_TASKS", "PMI_SIZE"])
            if (UserLimits.FromEnvironment(variable) is { } size) return int.Parse(size, System.Globalization.CultureInfo.InvariantCulture);
        return 1;
    }

    /// <summary>Joins the job this process was launched in, over MPI (nothing is loaded for one process).</summary>
    public static ICollectives Join() => LaunchedSize() <= 1 ? SingleProcess.Instance : MpiCollectives.Join();

    /// <summary>The job's collectives for tensors on <paramref name="device"/> (the config's): on CUDA, NCCL over the MPI job. The caller disposes a result other than <paramref name="job"/>.</summary>
    public static ICollectives OnDevice(ICollectives job, string device) =>
        job is MpiCollectives mpi && device.Trim().StartsWith("cuda", StringComparison.OrdinalIgnoreCase)
            ? new NcclCollectives(mpi, DeviceFor(device, job).index)
            : job;

    /// <summary>The config's device for this rank: "cuda" becomes cuda:LocalRank in a job of several processes.</summary>
    public static torch.Device DeviceFor(string device, ICollectives group) =>
        group.IsDistributed() && device.Trim().Equals("cuda", StringComparison.OrdinalIgnoreCase)
            ? DeviceSelection.Parse($"cuda:{group.LocalRank}")
            : DeviceSelection.Parse(device);

    /// <summary>libtorch threads when the config leaves them to us (0): the machine's cores shared by the job's ranks on it.</summary>
    public static int ThreadsFor(ICollectives group) => Math.Max(1, Environment.ProcessorCount / group.LocalSize);
}
