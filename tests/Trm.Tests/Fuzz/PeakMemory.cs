namespace Trm.Tests.Fuzz;

/// <summary>
/// The process's peak resident memory (Linux <c>VmHWM</c>), which writing 5 to <c>/proc/self/clear_refs</c> resets to the
/// current size; elsewhere, or where that is not allowed, the current working set stands in for both.
/// </summary>
public static class PeakMemory
{
    /// <summary>Resets the peak to the current resident size and returns that size.</summary>
    public static long Reset()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return Status("VmRSS") ?? Environment.WorkingSet;
    }

    public static long Peak() => Status("VmHWM") ?? Environment.WorkingSet;

    static long? Status(string field)
    {
        if (!File.Exists("/proc/self/status")) return null;
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return line is null ? null : long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0]) * 1024;
    }
}
