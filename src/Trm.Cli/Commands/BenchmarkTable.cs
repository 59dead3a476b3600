using Trm.Benchmarking;

namespace Trm.Cli.Commands;

/// <summary>Prints a benchmark report: the machine, the ceilings, one row per preset x measurement, the notes and what to do about them.</summary>
public static class BenchmarkTable
{
    public static void Write(TextWriter output, BenchmarkReport report)
    {
        var m = report.Machine;
        output.WriteLine($"machine: {m.Processor}, {m.LogicalProcessors} logical processors ({m.PhysicalCores} cores), " +
            $"bf16 features: {(m.Bf16Features.Count > 0 ? string.Join(" ", m.Bf16Features) : "none")}; device {m.Device}, {m.TorchThreads} torch threads, " +
            $"TorchSharp {m.TorchSharpVersion}; load average {Load(m.LoadAverageStart)} at start, {Load(m.LoadAverageEnd)} at end");
        foreach (var c in report.Ceilings)
            output.WriteLine($"ceiling {c.Dtype,-8}: {c.Gflops,7:F1} GFLOP/s ({c.Shape}, fastest of {c.Repeats}: {c.BestSeconds * 1000:F0} ms, median {c.MedianSeconds * 1000:F0} ms)");
        foreach (var p in report.Presets.Where(p => p.Skipped is null))
            output.WriteLine($"{p.Preset} {p.Dtype}: {(p.Model.MlpT ? "mlp_t" : "attention")}, hidden {p.Model.HiddenSize}, H {p.Model.HCycles} x L {p.Model.LCycles}, " +
                $"S = {p.Model.TotalSeqLen}; per sample: net {p.FlopsPerSample.NetApplication / 1e9:F3}, forward step {p.FlopsPerSample.Forward / 1e9:F2}, " +
                $"train step {p.FlopsPerSample.TrainStep / 1e9:F2} GFLOP");
        output.WriteLine();
        output.WriteLine($"{"preset",-12} {"dtype",-8} {"measurement",-26} {"batch",5} {"rate",10} {"unit",-10} {"GFLOP/s",8} {"% ceil",6} {"peak RSS",9} {"live tensors",13}  note");
        foreach (var r in report.Rows)
        {
            string live = r.LiveTensorsBefore is { } before ? $"{before}->{r.LiveTensorsAfter}" : "";
            output.WriteLine($"{r.Preset,-12} {r.Dtype,-8} {r.Measurement,-26} {r.Batch,5} {Number(r.Rate),10} {r.Unit,-10} {(r.ModelGflops is { } g ? Number(g) : ""),8} " +
                $"{(r.CeilingFraction is { } f ? double.IsFinite(f) ? $"{f * 100:F0} %" : "n/a" : ""),6} {(r.PeakResidentBytes is { } b ? $"{b / 1048576.0:F0} MiB" : ""),9} {live,13}  {r.Note}");
        }
        foreach (var p in report.Presets.Where(p => p.Skipped is not null)) output.WriteLine($"{p.Preset,-12} {p.Dtype,-8} {p.Skipped}");
        foreach (var note in report.Notes) output.WriteLine($"note: {note}");
        if (report.Presets.FirstOrDefault(p => p.Skipped is not null) is { } skipped)
            output.WriteLine($"note: to measure the skipped presets, name them (--preset {skipped.Preset} --quick runs batch 1) or run without --quick");
        if (report.Machine.Contended) output.WriteLine("note: --threads set to the idle cores gives steadier numbers");
        output.WriteLine($"took {report.WallSeconds:F1} s");
    }

    static string Load(double? load) => load is { } l ? l.ToString("F2") : "n/a";

    // Three significant digits or more: 0.0123, 1.23, 12.3, 123, 1234
    static string Number(double value) => value switch
    {
        double.NaN => "n/a",
        >= 100 => value.ToString("F0"),
        >= 10 => value.ToString("F1"),
        >= 1 => value.ToString("F2"),
        _ => value.ToString("G3"),
    };
}
