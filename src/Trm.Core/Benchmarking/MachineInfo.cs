using System.Reflection;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Trm.Benchmarking;

/// <summary>
/// Where a benchmark ran: processor model, logical processors and physical cores (from <c>/proc/cpuinfo</c>),
/// the processor's bfloat16 matrix features, torch's thread count, the TorchSharp version, the device, and
/// the 1-minute load average when the run started (other work on the machine disturbs timings) and ended (which
/// includes the run's own threads).
/// </summary>
public sealed record MachineInfo(string Processor, int LogicalProcessors, int PhysicalCores, IReadOnlyList<string> Bf16Features,
    int TorchThreads, string TorchSharpVersion, string Device, string OperatingSystem, double? LoadAverageStart, double? LoadAverageEnd)
{
    const string CpuInfo = "/proc/cpuinfo";
    static readonly string[] Bf16Flags = ["avx512_bf16", "amx_bf16", "amx_tile", "sve_bf16", "bf16"];

    /// <summary>Other work shared the processors when the run started (load above 3/4 of them), so the timings are low.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Contended => LoadAverageStart is { } load && load > 0.75 * LogicalProcessors;

    public static MachineInfo Describe(Device device)
    {
        var lines = File.Exists(CpuInfo) ? File.ReadAllLines(CpuInfo) : [];
        string? Value(string line) => line.IndexOf(':') is var colon and >= 0 ? line[(colon + 1)..].Trim() : null;
        string processor = lines.Where(l => l.StartsWith("model name", StringComparison.Ordinal)).Select(Value).FirstOrDefault()
            ?? RuntimeInformation.ProcessArchitecture.ToString();

        // A physical core is a distinct (physical id, core id) pair; without those fields count processors.
        var cores = new HashSet<(string?, string?)>();
        string? physicalId = null;
        foreach (var line in lines)
        {
            if (line.StartsWith("physical id", StringComparison.Ordinal)) physicalId = Value(line);
            else if (line.StartsWith("core id", StringComparison.Ordinal)) cores.Add((physicalId, Value(line)));
        }
        var flags = lines.Where(l => l.StartsWith("flags", StringComparison.Ordinal) || l.StartsWith("Features", StringComparison.Ordinal))
            .Select(l => Value(l) ?? "").FirstOrDefault()?.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet() ?? [];

        var version = typeof(TorchSharp.torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "unknown";
        return new MachineInfo(processor, Environment.ProcessorCount, cores.Count > 0 ? cores.Count : Environment.ProcessorCount,
            Bf16Flags.Where(flags.Contains).ToList(), get_num_threads(), version.Split('+')[0], device.ToString(),
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
