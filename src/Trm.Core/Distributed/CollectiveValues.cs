using System.Text;
using Trm.Model;
using static TorchSharp.torch;

namespace Trm.Distributed;

/// <summary>Collectives on plain values (flags, sums, strings, byte blobs of any length) over <see cref="ICollectives"/>'s tensor calls.</summary>
public static class CollectiveValues
{
    /// <summary>True on every rank when <paramref name="flag"/> is true on any.</summary>
    public static bool AnyRank(this ICollectives group, bool flag)
    {
        if (!group.IsDistributed()) return flag;
        using var count = tensor(flag ? 1 : 0);
        group.AllReduceSum(count);
        return count.item<int>() > 0;
    }

    /// <summary>Element-wise sums over ranks, in float64.</summary>
    public static double[] Sum(this ICollectives group, double[] values)
    {
        if (!group.IsDistributed()) return values;
        using var buffer = tensor(values);
        group.AllReduceSum(buffer);
        return buffer.data<double>().ToArray();
    }

    /// <summary>Metric sums (count, accuracy, ..., losses) summed over the ranks.</summary>
    public static ActMetrics Sum(this ICollectives group, ActMetrics local)
    {
        if (!group.IsDistributed()) return local;
        var s = group.Sum([local.Count, local.Accuracy, local.ExactAccuracy, local.QHaltAccuracy, local.Steps, local.LmLoss, local.QHaltLoss, local.QContinueLoss ?? 0]);
        return new(s[0], s[1], s[2], s[3], s[4], s[5], s[6], local.QContinueLoss is null ? null : s[7]);
    }

    /// <summary>Every rank's bytes, in rank order, on every rank (lengths may differ).</summary>
    public static byte[][] AllGatherBytes(this ICollectives group, byte[] mine)
    {
        if (!group.IsDistributed()) return [mine];
        using var scope = NewDisposeScope();
        var lengths = group.AllGather(tensor(new long[] { mine.Length })).data<long>().ToArray();
        var padded = new byte[lengths.Max()];
        mine.CopyTo(padded, 0);
        var all = group.AllGather(tensor(padded)).data<byte>().ToArray();
        return [.. lengths.Select((length, rank) => all.AsSpan(rank * padded.Length, (int)length).ToArray())];
    }

    /// <summary>Rank 0's string on every rank (<paramref name="value"/> is read on rank 0 only).</summary>
    public static string Broadcast(this ICollectives group, string value)
    {
        if (!group.IsDistributed()) return value;
        var bytes = group.AllGatherBytes(group.IsRoot() ? Encoding.UTF8.GetBytes(value) : []);
        return Encoding.UTF8.GetString(bytes[0]);
    }

    /// <summary>
    /// Stops the job with a message naming the ranks whose <paramref name="fingerprint"/> of <paramref name="what"/> differs
    /// from rank 0's (ranks must run the same config, data and code, and hold the same weights).
    /// </summary>
    public static void RequireSame(this ICollectives group, string what, string fingerprint, string advice)
    {
        if (!group.IsDistributed()) return;
        var all = group.AllGatherBytes(Encoding.UTF8.GetBytes(fingerprint)).Select(Encoding.UTF8.GetString).ToArray();
        var differing = Enumerable.Range(1, all.Length - 1).Where(rank => all[rank] != all[0]).ToArray();
        if (differing.Length > 0)
            throw new TrmException($"ranks {string.Join(", ", differing)} of {all.Length} hold other {what} than rank 0 " +
                $"({string.Join("; ", differing.Select(r => $"rank {r}: {Short(all[r])}"))}; rank 0: {Short(all[0])}). {advice}");
    }

    static string Short(string fingerprint) => fingerprint.Length > 80 ? fingerprint[..80] + "..." : fingerprint;
}
