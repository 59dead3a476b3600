using System.Text.Json;
using System.Text.Json.Serialization;
using Trm.IO;
using Trm.Model;

namespace Trm.Benchmarking;

/// <summary>
/// One measurement of one preset in one dtype. <see cref="Rate"/> is in <see cref="Unit"/> (samples/s for training:
/// a sample is one example's supervision step; puzzles/s for inference; batches/s for the loader; GFLOP/s for
/// matrix products). <see cref="ModelGflops"/> is the analytic matrix-product work (<see cref="ModelFlops"/>) per
/// second and <see cref="CeilingFraction"/> that over the same-dtype matrix-product ceiling. <see cref="Count"/>:
/// the steps, puzzles or batches measured; <see cref="Seconds"/>: the time the rate comes from (a median step, or a whole run).
/// </summary>
public sealed record BenchmarkRow(string Preset, string Dtype, string Measurement, int Batch, double Rate, string Unit,
    double? ModelGflops, double? CeilingFraction, long Count, double Seconds, double? MeanSteps = null,
    long? PeakResidentBytes = null, long? ResidentBytesBefore = null, long? ResidentBytesAfter = null,
    long? LiveTensorsBefore = null, long? LiveTensorsAfter = null, string? Note = null);

/// <summary>A preset as measured: its full model config (reference key names) and FLOPs per sample, or why it was skipped.</summary>
public sealed record PresetSummary(string Preset, string Dtype, int Batch, TrmConfig Model, ModelFlops FlopsPerSample, string? Skipped = null);

/// <summary>
/// Everything one <c>trm bench</c> run measured, in a form that compares across runs and machines
/// (<see cref="Format"/> names the layout). Written and read as JSON with snake_case keys.
/// </summary>
public sealed record BenchmarkReport(string Format, DateTimeOffset Started, double WallSeconds, MachineInfo Machine, BenchmarkSettings Settings,
    IReadOnlyList<MatmulRate> Ceilings, IReadOnlyList<PresetSummary> Presets, IReadOnlyList<BenchmarkRow> Rows, IReadOnlyList<string> Notes)
{
    public const string CurrentFormat = "trm-bench/1";

    static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,   // NaN where a split of a step was not measured
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The ceiling measured for <paramref name="dtype"/>, or null.</summary>
    public MatmulRate? Ceiling(string dtype) => Ceilings.FirstOrDefault(c => c.Dtype == dtype);

    public string ToJson() => JsonSerializer.Serialize(this, Options);

    public static BenchmarkReport FromJson(string json, string source = "benchmark report")
    {
        try
        {
            var report = JsonSerializer.Deserialize<BenchmarkReport>(json, Options) ?? throw new TrmException($"{source}: empty; expected a benchmark report.");
            if (report.Format != CurrentFormat) throw new TrmException($"{source}: format '{report.Format}', this version reads '{CurrentFormat}'.");
            return report;
        }
        catch (JsonException e)
        {
            throw new TrmException($"{source}: not a benchmark report ({e.Message}).", e);
        }
    }

    public void Write(string path) => AtomicOutput.WriteFile(path, temporary => File.WriteAllText(temporary, ToJson()));

    public static BenchmarkReport Read(string path) =>
        File.Exists(path) ? FromJson(UserFile.ReadAllText(path, JsonFile.MaxFileBytes, "a benchmark report"), path) : throw new TrmException($"{path} not found.");
}
