using System.Globalization;

namespace Trm.Cli;

/// <summary>
/// Whether other processes are using the processors libtorch is about to use. libtorch's CPU threads wait for each
/// other at every parallel region, so one thread that the system deschedules stalls them all: on the 2-core
/// development machine, with one core busy elsewhere, a training step on 2 threads ran 20-30x slower than on 1
/// (docs/PERFORMANCE.md). Linux only (reads /proc); elsewhere nothing is measured and nothing is said.
/// </summary>
public static class ProcessorContention
{
    /// <summary>
    /// Processors' worth of time that other processes used during <paramref name="window"/> (all processors' busy time
    /// from /proc/stat minus this process's own from /proc/self/stat), or null where that cannot be read.
    /// </summary>
    public static double? OthersBusyProcessors(TimeSpan window)
    {
        if (ReadTicks() is not { } before) return null;
        Thread.Sleep(window);
        if (ReadTicks() is not { } after) return null;
        double totalPerProcessor = (double)(after.Total - before.Total) / Environment.ProcessorCount;
        if (totalPerProcessor <= 0) return null;
        double othersBusy = (after.Busy - before.Busy) - (after.Own - before.Own);
        return Math.Clamp(othersBusy / totalPerProcessor, 0, Environment.ProcessorCount);
    }

    /// <summary>
    /// What to tell the user when <paramref name="torchThreads"/> threads will not find idle processors, given that other
    /// processes keep <paramref name="othersBusy"/> of <paramref name="processors"/> busy; null when they fit.
    /// </summary>
    public static string? Advice(int torchThreads, int processors, double othersBusy)
    {
        double idle = processors - othersBusy;
        if (othersBusy < 0.5 || torchThreads <= idle + 0.25) return null;
        int suggested = Math.Max(1, (int)Math.Floor(idle + 0.25));
        return $"note: other processes are using about {othersBusy:F1} of {processors} processors and libtorch will run {torchThreads} threads; " +
            $"its threads wait for each other, so a descheduled one stalls all (steps can run many times slower). " +
            $"Pass threads={suggested} to use only the idle processors, or stop the other work.";
    }

    /// <summary>Busy and total time of all processors, and this process's own time, in clock ticks.</summary>
    static (long Busy, long Total, long Own)? ReadTicks()
    {
        try
        {
            // "cpu  user nice system idle iowait irq softirq steal ..."
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            long idle = fields[3] + fields[4];
            long total = fields.Sum();
            // /proc/self/stat: the command name is in parentheses and may hold spaces; utime and stime are fields 14 and 15.
            var self = File.ReadAllText("/proc/self/stat");
            var afterName = self[(self.LastIndexOf(')') + 2)..].Split(' ');
            long own = long.Parse(afterName[11], CultureInfo.InvariantCulture) + long.Parse(afterName[12], CultureInfo.InvariantCulture);
            return (total - idle, total, own);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or InvalidOperationException)
        {
            return null;
        }
    }
}
