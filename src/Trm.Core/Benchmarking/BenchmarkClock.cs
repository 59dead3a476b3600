using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Trm.Benchmarking;

/// <summary>Wall-clock timing that waits for the device (CUDA runs asynchronously), and medians.</summary>
public static class BenchmarkClock
{
    /// <summary>Waits until queued work on <paramref name="device"/> is done (nothing to wait for on the CPU).</summary>
    public static void Synchronize(Device device)
    {
        if (device.type == DeviceType.CUDA) cuda.synchronize(device);
    }

    /// <summary>Seconds <paramref name="work"/> takes, the device's queue included.</summary>
    public static double Time(Device device, Action work)
    {
        Synchronize(device);
        var clock = Stopwatch.StartNew();
        work();
        Synchronize(device);
        return clock.Elapsed.TotalSeconds;
    }

    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("no values", nameof(values));
        var sorted = values.Order().ToArray();
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
