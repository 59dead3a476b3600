using System.Globalization;

namespace Trm.Cli;

/// <summary>
/// Whether other processes are using the processors libtorch is about to use. libtorch's CPU threads wait for each
/// other at every parallel region, so one thread that the system deschedules stalls them all: on the 2-core
/// development machine, with one core busy elsewhere, a training step on 2 threads ran 20-30x slower than on 1
/// (docs/PERFORMANCE.md). Linux only (reads /proc); elsewhere nothing is measured and nothing is said.
/// The arithmetic (<see cref="ParseTicks"/>, <see cref="OthersBusy"/>, <see cref="Advice"/>) is pure; only
/// <see cref="OthersBusyProcessors"/> reads the machine.
/// </summary>
public static class ProcessorContention
{
    /// <summary>Busy and total time of all processors, and this process's own time, in clock ticks (since boot).</summary>
    public readonly record struct Ticks(long Busy, long Total, long Own);

    /// <summary>
    /// Processors' worth of time that other processes used during <paramref name="window"/> (all processors' busy time
    /// from /proc/stat minus this process's own from /proc/self/stat), or null where that cannot be read.
    /// </summary>
    public static double? OthersBusyProcessors(TimeSpan window)
    {
        if (ReadTicks() is not { } before) return null;
        Thread.Sleep(window);
        if (ReadTicks() is not { } after) return null;
        return OthersBusy(before, after, Environment.ProcessorCount);
    }

    /// <summary>
    /// Processors' worth of time that processes other than this one used between two samples on a machine of
    /// <paramref name="processors"/> processors, from 0 to <paramref name="processors"/>; null when no time passed.
    /// </summary>
    public static double? OthersBusy(Ticks before, Ticks after, int processors)
    {
        double totalPerProcessor = (double)(after.Total - before.Total) / processors;
        if (totalPerProcessor <= 0) return null;
        double othersBusy = (after.Busy - before.Busy) - (after.Own - before.Own);
        return Math.Clamp(othersBusy / totalPerProcessor, 0, processors);
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

    /// <summary>
    /// The ticks in the first line of /proc/stat (<c>cpu  user nice system idle iowait irq softirq steal ...</c>: idle and
    /// iowait are not busy; guest time, already in user, is not counted twice) and in /proc/self/stat (utime + stime);
    /// null when either does not read as Linux writes them.
    /// </summary>
    public static Ticks? ParseTicks(string procStatFirstLine, string selfStat)
    {
        var fields = procStatFirstLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 9 || fields[0] != "cpu") return null;
        var times = new long[8];
        for (int i = 0; i < times.Length; i++)
            if (!long.TryParse(fields[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out times[i])) return null;
        long idle = times[3] + times[4], total = times.Sum();

        // The command name is in parentheses and may hold spaces and parentheses; utime and stime are fields 14 and 15,
        // the 12th and 13th after the name.
        int nameEnd = selfStat.LastIndexOf(')');
        if (nameEnd < 0) return null;
        var afterName = selfStat[(nameEnd + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (afterName.Length < 13
            || !long.TryParse(afterName[11], NumberStyles.None, CultureInfo.InvariantCulture, out long utime)
            || !long.TryParse(afterName[12], NumberStyles.None, CultureInfo.InvariantCulture, out long stime)) return null;
        return new Ticks(total - idle, total, utime + stime);
    }

    /// <summary>This machine's ticks now, or null off Linux or where /proc cannot be read.</summary>
    public static Ticks? ReadTicks()
    {
        try
        {
            return ParseTicks(File.ReadLines("/proc/stat").First(), File.ReadAllText("/proc/self/stat"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return null;
        }
    }
}
