using System.Reflection;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Trm.Benchmarking;

/// <summary>
/// Where a benchmark ran: processor model, logical processors and physical cores, the processor's bfloat16 matrix
/// features (<see cref="ProcessorInfo"/>), torch's thread count, the TorchSharp version, the device, and
/// the 1-minute load average when the run started (other work on the machine disturbs timings) and ended (which
/// includes the run's own threads).
/// </summary>
public sealed record MachineInfo(string Processor, int LogicalProcessors, int PhysicalCores, IReadOnlyList<string> Bf16Features,
    int TorchThreads, string TorchSharpVersion, string Device, string OperatingSystem, double? LoadAverageStart, double? LoadAverageEnd)
{
    /// <summary>Other work shared the processors when the run started (load above 3/4 of them), so the timings are low.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Contended => LoadAverageStart is { } load && load > 0.75 * LogicalProcessors;

    public static MachineInfo Describe(Device device)
    {
        var processor = ProcessorInfo.Current;
        var version = typeof(TorchSharp.torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "unknown";
        return new MachineInfo(processor.Name, Environment.ProcessorCount, processor.PhysicalCores, processor.BFloat16Features, get_num_threads(), version.Split('+')[0], device.ToString(),
            RuntimeInformation.OSDescription, LoadAverage(), null);
    }

    /// <summary>The 1-minute load average (runnable processes), or null where there is none to read.</summary>
    public static double? LoadAverage()
    {
        const string path = "/proc/loadavg";
        if (!File.Exists(path)) return null;
        var first = File.ReadAllText(path).Split(' ')[0];
        return double.TryParse(first, System.Globalization.CultureInfo.InvariantCulture, out var load) ? load : null;
    }
}
