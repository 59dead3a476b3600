using System.Runtime.InteropServices;
using System.Text;

namespace Trm.Distributed;

/// <summary>
/// The calls of Open MPI's C library (<c>libmpi.so.40</c>) that data-parallel training makes, bound at run time, so that a
/// process that never joins a job needs no MPI installed. Open MPI's handles (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM, ...) are
/// the addresses of its exported <c>ompi_mpi_*</c> objects; MPICH-family libraries use integer handles and are refused.
/// Errors on MPI_COMM_WORLD are fatal by MPI's default, so a failed call ends the whole job through the launcher.
/// </summary>
unsafe sealed class MpiLibrary
{
    const string Install = "Install Open MPI (Debian/Ubuntu: apt install openmpi-bin libopenmpi-dev; see README) " +
        "or set TRM_MPI_LIBRARY to its libmpi.so.";

    public readonly IntPtr CommWorld, Float, Double, Int, Int64, Byte, OpSum, OpMax, InfoNull;
    public readonly delegate* unmanaged<int*, byte***, int> Init;
    public readonly delegate* unmanaged<int*, int> Initialized;
    public readonly delegate* unmanaged<int> Finalize;
    public readonly delegate* unmanaged<IntPtr, int*, int> CommRank, CommSize;
    public readonly delegate* unmanaged<IntPtr, int, int, IntPtr, IntPtr*, int> CommSplitType;
    public readonly delegate* unmanaged<void*, void*, int, IntPtr, IntPtr, IntPtr, int> Allreduce;
    public readonly delegate* unmanaged<void*, int, IntPtr, void*, int, IntPtr, IntPtr, int> Allgather;
    public readonly delegate* unmanaged<void*, int, IntPtr, int, IntPtr, int> Bcast;
    public readonly delegate* unmanaged<IntPtr, int> BarrierCall;
    public readonly delegate* unmanaged<IntPtr, int, int> AbortCall;
    readonly delegate* unmanaged<byte*, int*, int> getLibraryVersion;

    /// <summary>MPI_IN_PLACE in Open MPI's mpi.h.</summary>
    public static readonly void* InPlace = (void*)1;
    /// <summary>MPI_COMM_TYPE_SHARED in Open MPI's mpi.h: the ranks that share a machine's memory.</summary>
    public const int CommTypeShared = 0;

    MpiLibrary(IntPtr library)
    {
        IntPtr Export(string name) => NativeLibrary.TryGetExport(library, name, out var address) ? address
            : throw new TrmException($"the MPI library has no {name}: trm speaks Open MPI's interface (MPICH and Intel MPI are not supported). {Install}");
        CommWorld = Export("ompi_mpi_comm_world");
        Float = Export("ompi_mpi_float");
        Double = Export("ompi_mpi_double");
        Int = Export("ompi_mpi_int");
        Int64 = Export("ompi_mpi_long_long_int");
        Byte = Export("ompi_mpi_byte");
        OpSum = Export("ompi_mpi_op_sum");
        OpMax = Export("ompi_mpi_op_max");
        InfoNull = Export("ompi_mpi_info_null");
        Init = (delegate* unmanaged<int*, byte***, int>)Export("MPI_Init");
        Initialized = (delegate* unmanaged<int*, int>)Export("MPI_Initialized");
        Finalize = (delegate* unmanaged<int>)Export("MPI_Finalize");
        CommRank = (delegate* unmanaged<IntPtr, int*, int>)Export("MPI_Comm_rank");
        CommSize = (delegate* unmanaged<IntPtr, int*, int>)Export("MPI_Comm_size");
        CommSplitType = (delegate* unmanaged<IntPtr, int, int, IntPtr, IntPtr*, int>)Export("MPI_Comm_split_type");
        Allreduce = (delegate* unmanaged<void*, void*, int, IntPtr, IntPtr, IntPtr, int>)Export("MPI_Allreduce");
        Allgather = (delegate* unmanaged<void*, int, IntPtr, void*, int, IntPtr, IntPtr, int>)Export("MPI_Allgather");
        Bcast = (delegate* unmanaged<void*, int, IntPtr, int, IntPtr, int>)Export("MPI_Bcast");
        BarrierCall = (delegate* unmanaged<IntPtr, int>)Export("MPI_Barrier");
        AbortCall = (delegate* unmanaged<IntPtr, int, int>)Export("MPI_Abort");
        getLibraryVersion = (delegate* unmanaged<byte*, int*, int>)Export("MPI_Get_library_version");
    }

    /// <summary>Loads <c>TRM_MPI_LIBRARY</c>, else <c>libmpi.so.40</c>, else <c>libmpi.so</c>.</summary>
    public static MpiLibrary Load()
    {
        var candidates = Limits.UserLimits.FromEnvironment("TRM_MPI_LIBRARY") is { } chosen ? [chosen] : new[] { "libmpi.so.40", "libmpi.so" };
        foreach (var name in candidates)
            if (NativeLibrary.TryLoad(name, out var library)) return new MpiLibrary(library);
        throw new TrmException($"this process was started by an MPI launcher, but no MPI library loads (tried {string.Join(", ", candidates)}). {Install}");
    }

    /// <summary>"Open MPI v4.1.4, ..." (the first line of MPI_Get_library_version).</summary>
    public string Version()
    {
        var buffer = new byte[8192];   // MPI_MAX_LIBRARY_VERSION_STRING is 256 in Open MPI
        int length;
        fixed (byte* text = buffer) Check(getLibraryVersion(text, &length), "MPI_Get_library_version");
        return Encoding.ASCII.GetString(buffer, 0, Math.Clamp(length, 0, buffer.Length)).Split('\n', ',')[0].Trim();
    }

    /// <summary>MPI_SUCCESS is 0; anything else (when the error handler returns at all) is the job's end.</summary>
    public static void Check(int code, string call)
    {
        if (code != 0) throw new TrmException($"{call} failed with MPI error {code}; the job cannot go on.");
    }
}
