using System.Diagnostics;
using static TorchSharp.torch;

namespace Trm.Distributed;

/// <summary>
/// Sums the weight gradients over the ranks after each backward pass, in few large calls: the gradients are packed into flat
/// buckets of at most <see cref="BucketBytes"/> (PyTorch DDP's default, 25 MB), each all-reduced in one call and unpacked.
/// With the loss divided by the global batch, the sum is the gradient of the global batch. Measures its own cost: a barrier
/// first takes up the time ranks wait for the slowest one, so that <see cref="Elapsed"/> is the exchange alone.
/// </summary>
public sealed class GradientExchange(ICollectives group, IReadOnlyList<Tensor> parameters)
{
    public const long BucketBytes = 25L << 20;

    readonly Stopwatch clock = new(), waiting = new();

    /// <summary>Bytes one rank sends into the all-reduce per step (the gradients' size).</summary>
    public long BytesPerStep { get; private set; }
    public long Steps { get; private set; }
    /// <summary>Wall time spent packing, all-reducing and unpacking, over all steps.</summary>
    public TimeSpan Elapsed => clock.Elapsed;
    /// <summary>Wall time this rank waited for the others to finish their backward pass, over all steps.</summary>
    public TimeSpan Waiting => waiting.Elapsed;

    public void Run()
    {
        waiting.Start();
        group.Barrier();
        waiting.Stop();
        clock.Start();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var grads = parameters.Select(p => p.grad).OfType<Tensor>().ToList();
        long bytes = 0;
        foreach (var bucket in Buckets(grads))
        {
            var flat = cat(bucket.Select(g => g.flatten()).ToList());
            group.AllReduceSum(flat);
            long offset = 0;
            foreach (var g in bucket)
            {
                g.copy_(flat.narrow(0, offset, g.numel()).view_as(g));
                offset += g.numel();
            }
            bytes += flat.numel() * flat.element_size();
        }
        BytesPerStep = bytes;
        Steps++;
        clock.Stop();
    }

    /// <summary>Consecutive gradients of one dtype and device, each group at most <see cref="BucketBytes"/> (a larger tensor alone).</summary>
    static IEnumerable<List<Tensor>> Buckets(List<Tensor> grads)
    {
        var bucket = new List<Tensor>();
        long size = 0;
        foreach (var g in grads)
        {
            long bytes = g.numel() * g.element_size();
            if (bucket.Count > 0 && (size + bytes > BucketBytes || g.dtype != bucket[0].dtype || g.device_type != bucket[0].device_type))
            {
                yield return bucket;
                bucket = [];
                size = 0;
            }
            bucket.Add(g);
            size += bytes;
        }
        if (bucket.Count > 0) yield return bucket;
    }
}
