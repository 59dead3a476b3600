using System.Runtime.InteropServices;

namespace Trm;

/// <summary>
/// The processor: its model name, physical cores and instruction-set flags (Linux: <c>/proc/cpuinfo</c>), and whether
/// it multiplies bfloat16 matrices in hardware (AMX or AVX512-BF16 on x86, BF16 on Arm). Without that, libtorch
/// emulates bfloat16 products about 100x slower than float32 (1.3 against 128 GFLOP/s on a 2-core AMD EPYC with
/// AVX2 only), so a bfloat16 run there is a mistake worth stopping.
/// </summary>
public sealed record ProcessorInfo(string Name, int PhysicalCores, IReadOnlySet<string> Flags)
{
    const string CpuInfo = "/proc/cpuinfo";
    static readonly string[] BFloat16MatrixFlags = ["amx_bf16", "avx512_bf16", "bf16", "sve_bf16"];

    /// <summary>Read once per process.</summary>
    public static ProcessorInfo Current { get; } = Read();

    /// <summary>The flags that give bfloat16 matrix products in hardware (empty: emulated).</summary>
    public IReadOnlyList<string> BFloat16Features => [.. BFloat16MatrixFlags.Where(Flags.Contains)];

    public bool HasBFloat16Matrix => BFloat16Features.Count > 0;

    /// <summary>"AMD EPYC ...; bfloat16 matrix instructions: none" or "...: amx_bf16, avx512_bf16".</summary>
    public string Describe() =>
        $"{Name}; bfloat16 matrix instructions: {(HasBFloat16Matrix ? string.Join(", ", BFloat16Features) : "none (bfloat16 is emulated, far slower than float32)")}";

    static ProcessorInfo Read()
    {
        var lines = File.Exists(CpuInfo) ? File.ReadAllLines(CpuInfo) : [];
        string? Value(string line) => line.IndexOf(':') is var colon and >= 0 ? line[(colon + 1)..].Trim() : null;
        string name = lines.Where(l => l.StartsWith("model name", StringComparison.Ordinal)).Select(Value).FirstOrDefault()
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
        return new ProcessorInfo(name, cores.Count > 0 ? cores.Count : Environment.ProcessorCount, flags);
    }
}
