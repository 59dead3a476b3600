using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Trm.Benchmarking;

/// <summary>
/// The process's resident memory from <c>/proc/self/status</c> (VmRSS now, VmHWM the peak). On Linux the peak
/// can be reset (writing 5 to <c>/proc/self/clear_refs</c>), so each measurement reports its own peak; elsewhere
/// the peak is the process's since it started.
/// </summary>
public static class ResidentMemory
{
    const string Status = "/proc/self/status";

    public static long Current() => Field("VmRSS:") ?? Process.GetCurrentProcess().WorkingSet64;

    public static long Peak() => Field("VmHWM:") ?? Process.GetCurrentProcess().PeakWorkingSet64;

    /// <summary>
    /// Starts a new peak from the current resident size (after handing freed heap memory back to the system, so an
    /// earlier measurement's leftovers do not count); false where the system cannot.
    /// </summary>
    public static bool ResetPeak()
    {
        Trim();
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            return false;
        }
    }

    /// <summary>The resident size once freed heap memory is handed back: what is really in use, comparable over time.</summary>
    public static long CurrentTrimmed()
    {
        Trim();
        return Current();
    }

    /// <summary>glibc keeps freed memory below its mmap threshold (up to 32 MiB blocks) in the heap; malloc_trim returns it.</summary>
    static void Trim()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            MallocTrim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // not glibc (e.g. musl): nothing to trim
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    static extern int MallocTrim(nuint pad);

    // "VmRSS:	  123456 kB" -> bytes
    static long? Field(string name)
    {
        if (!File.Exists(Status)) return null;
        foreach (var line in File.ReadLines(Status))
        {
            if (!line.StartsWith(name, StringComparison.Ordinal)) continue;
            var parts = line[name.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return long.Parse(parts[0]) * 1024;
        }
        return null;
    }
}
