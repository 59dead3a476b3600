using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Trm.Distributed;

/// <summary>
/// Collectives on CUDA tensors over NCCL (<c>libnccl.so.2</c>, loaded only when training on CUDA), CPU tensors over the
/// MPI job it is built on. Rank 0's NCCL unique id reaches the others by MPI broadcast, as Horovod does. Calls are queued
/// on CUDA's default stream, where libtorch's own kernels run here, so they are ordered with the step's computation.
/// Compiled and reviewed but not run here: the machines of this project have no GPUs (README says what was verified).
/// </summary>
public sealed unsafe class NcclCollectives : ICollectives
{
    const string Install = "Install NCCL (the libnccl2 package from NVIDIA's CUDA repository) or put libnccl.so.2 on LD_LIBRARY_PATH.";

    // ncclDataType_t and ncclRedOp_t from nccl.h.
    const int NcclInt8 = 0, NcclInt32 = 2, NcclInt64 = 4, NcclUint8 = 1, NcclFloat32 = 7, NcclFloat64 = 8, NcclBFloat16 = 9, NcclSum = 0;

    [StructLayout(LayoutKind.Sequential)]
    struct UniqueId { public fixed byte Internal[128]; }   // NCCL_UNIQUE_ID_BYTES

    readonly MpiCollectives host;
    readonly IntPtr communicator;
    readonly delegate* unmanaged<void*, void*, nuint, int, int, IntPtr, IntPtr, int> allReduce;
    readonly delegate* unmanaged<void*, void*, nuint, int, IntPtr, IntPtr, int> allGather;
    readonly delegate* unmanaged<void*, void*, nuint, int, int, IntPtr, IntPtr, int> broadcast;
    readonly delegate* unmanaged<IntPtr, int> commAbort, commDestroy;
    readonly delegate* unmanaged<int, byte*> errorString;
    bool finished;

    public int Rank => host.Rank;
    public int WorldSize => host.WorldSize;
    public int LocalRank => host.LocalRank;
    public int LocalSize => host.LocalSize;
    public string Description { get; }

    /// <param name="host">The MPI job (not owned: disposing this leaves it running).</param>
    /// <param name="deviceIndex">This rank's CUDA device, made current: NCCL binds its communicator to the current device.</param>
    public NcclCollectives(MpiCollectives host, int deviceIndex)
    {
        this.host = host;
        if (!NativeLibrary.TryLoad("libcudart.so.12", out var cudart) && !NativeLibrary.TryLoad("libcudart.so", out cudart))
            throw new TrmException("training on CUDA with several ranks needs the CUDA runtime (libcudart.so.12), which libtorch's CUDA build ships; it does not load.");
        int status = ((delegate* unmanaged<int, int>)NativeLibrary.GetExport(cudart, "cudaSetDevice"))(deviceIndex);
        if (status != 0) throw new TrmException($"cudaSetDevice({deviceIndex}) failed with CUDA error {status}.");
        if (!NativeLibrary.TryLoad("libnccl.so.2", out var library) && !NativeLibrary.TryLoad("libnccl.so", out library))
            throw new TrmException($"training on CUDA with {host.WorldSize} ranks needs NCCL, and libnccl.so.2 does not load. {Install}");
        IntPtr Export(string name) => NativeLibrary.TryGetExport(library, name, out var address) ? address
            : throw new TrmException($"libnccl.so.2 has no {name}; it is too old (NCCL 2.7 or later is needed). {Install}");
        var getUniqueId = (delegate* unmanaged<UniqueId*, int>)Export("ncclGetUniqueId");
        var commInitRank = (delegate* unmanaged<IntPtr*, int, UniqueId, int, int>)Export("ncclCommInitRank");
        allReduce = (delegate* unmanaged<void*, void*, nuint, int, int, IntPtr, IntPtr, int>)Export("ncclAllReduce");
        allGather = (delegate* unmanaged<void*, void*, nuint, int, IntPtr, IntPtr, int>)Export("ncclAllGather");
        broadcast = (delegate* unmanaged<void*, void*, nuint, int, int, IntPtr, IntPtr, int>)Export("ncclBroadcast");
        commAbort = (delegate* unmanaged<IntPtr, int>)Export("ncclCommAbort");
        commDestroy = (delegate* unmanaged<IntPtr, int>)Export("ncclCommDestroy");
        errorString = (delegate* unmanaged<int, byte*>)Export("ncclGetErrorString");

        UniqueId id;
        if (host.Rank == 0) Check(getUniqueId(&id), "ncclGetUniqueId");
        var idBytes = new byte[128];
        if (host.Rank == 0) new ReadOnlySpan<byte>(id.Internal, 128).CopyTo(idBytes);
        using (var shared = tensor(idBytes))
        {
            host.Broadcast(shared);
            shared.data<byte>().CopyTo(idBytes);
        }
        idBytes.CopyTo(new Span<byte>(id.Internal, 128));
        IntPtr comm;
        Check(commInitRank(&comm, host.WorldSize, id, host.Rank), "ncclCommInitRank");
        communicator = comm;
        Description = $"NCCL on CUDA tensors, {host.Description}";
    }

    public void AllReduceSum(Tensor buffer)
    {
        if (buffer.device_type != DeviceType.CUDA) { host.AllReduceSum(buffer); return; }
        var data = Pointer(buffer);
        Check(allReduce(data, data, (nuint)buffer.numel(), Type(buffer), NcclSum, communicator, IntPtr.Zero), "ncclAllReduce");
    }

    public Tensor AllGather(Tensor local)
    {
        if (local.device_type != DeviceType.CUDA) return host.AllGather(local);
        var gathered = empty(this.GatheredShape(local), local.dtype, local.device);
        Check(allGather(Pointer(local), Pointer(gathered), (nuint)local.numel(), Type(local), communicator, IntPtr.Zero), "ncclAllGather");
        return gathered;
    }

    public void Broadcast(Tensor buffer, int root = 0)
    {
        if (buffer.device_type != DeviceType.CUDA) { host.Broadcast(buffer, root); return; }
        var data = Pointer(buffer);
        Check(broadcast(data, data, (nuint)buffer.numel(), Type(buffer), root, communicator, IntPtr.Zero), "ncclBroadcast");
    }

    public void Barrier() => host.Barrier();

    public void Abort(int exitCode)
    {
        commAbort(communicator);
        host.Abort(exitCode);
    }

    public void Dispose()
    {
        if (finished) return;
        finished = true;
        commDestroy(communicator);   // the MPI job stays its owner's
    }

    void Check(int result, string call)
    {
        if (result != 0) throw new TrmException($"{call} failed: {Marshal.PtrToStringAnsi((IntPtr)errorString(result))} (NCCL error {result}); the job cannot go on.");
    }

    static int Type(Tensor t) => t.dtype switch
    {
        ScalarType.Float32 => NcclFloat32,
        ScalarType.Float64 => NcclFloat64,
        ScalarType.BFloat16 => NcclBFloat16,
        ScalarType.Int32 => NcclInt32,
        ScalarType.Int64 => NcclInt64,
        ScalarType.Byte or ScalarType.Bool => NcclUint8,
        ScalarType.Int8 => NcclInt8,
        _ => throw new InvalidOperationException($"no NCCL type for {t.dtype} tensors"),
    };

    /// <summary>The device address of a contiguous tensor's first element (libtorch's data_ptr).</summary>
    static void* Pointer(Tensor t) => t.is_contiguous() ? (void*)THSTensor_data(t.Handle)
        : throw new InvalidOperationException("NCCL collectives take contiguous tensors.");

    [DllImport("LibTorchSharp")]
    static extern IntPtr THSTensor_data(IntPtr handle);
}
