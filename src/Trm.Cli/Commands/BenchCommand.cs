using System.CommandLine;
using Trm.Benchmarking;
using Trm.Model;

namespace Trm.Cli.Commands;

/// <summary>
/// <c>trm bench [--preset NAME ...] [--quick] [--out FILE]</c>: matrix-product ceilings, then per preset the training
/// step, inference and the data loader, as a table and a JSON report.
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var presets = new Option<string[]>("--preset") { Description = $"Presets to measure (default: all): {string.Join(", ", BenchmarkPresets.Names)}", AllowMultipleArgumentsPerToken = true };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N", DefaultValueFactory = _ => "cpu" };
        var threads = new Option<int>("--threads") { Description = "Torch CPU threads (default: libtorch's, all cores)" }.Within("Threads");
        var batch = new Option<int?>("--batch") { Description = "Batch for every preset (default per preset: 16 at seq 81, 2 at seq 900, 64 for sudoku4-cpu; quick: 2 and 1)" }.Within("Batch");
        var dtypes = new Option<string[]>("--dtype") { Description = "float32 and/or bfloat16, overriding the presets' forward_dtype", AllowMultipleArgumentsPerToken = true };
        var steps = new Option<int?>("--steps") { Description = "Timed training steps per preset (default 10; quick 2)" }.Within("Steps");
        var inferSteps = new Option<int?>("--infer-steps") { Description = "Supervision steps per puzzle in inference, at most halt_max_steps (default: halt_max_steps, 16 for the paper presets; quick 2)" }.Within("InferenceSteps");
        var profile = new Option<bool>("--profile") { Description = "Also time each kind of work in one net application: matmuls, casts, norms, rotary, attention, gates, adds" };
        var quick = new Option<bool>("--quick") { Description = "Few steps, small batches, 2 inference steps; skips the seq-900 presets unless named (under a minute on 2 cores)" };
        var output = new Option<FileInfo>("--out") { Description = "JSON report to write", DefaultValueFactory = _ => new FileInfo("bench.json") };
        var flags = CommandRunner.Flags((nameof(BenchmarkSettings.Threads), threads), (nameof(BenchmarkSettings.Batch), batch), (nameof(BenchmarkSettings.Dtypes), dtypes),
            (nameof(BenchmarkSettings.Steps), steps), (nameof(BenchmarkSettings.InferenceSteps), inferSteps));
        var command = new Command("bench", "Measure speed on this device: matrix-product ceilings (float32, bfloat16), then per preset the training step " +
            "(samples/s, model GFLOP/s, % of ceiling), inference with fixed steps and adaptive halting, the data loader, memory and live tensors.")
        {
            presets, device, threads, batch, dtypes, steps, inferSteps, profile, quick, output,
        };
        command.Subcommands.Add(BenchOnnxCommand.Create());
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            bool isQuick = parse.GetValue(quick);
            var named = parse.GetValue(presets) ?? [];
            var settings = (isQuick ? BenchmarkSettings.QuickRun : new BenchmarkSettings()) with
            {
                Device = parse.GetValue(device)!,
                Threads = parse.GetValue(threads),
                Batch = parse.GetValue(batch),
                Dtypes = parse.GetValue(dtypes) is { Length: > 0 } chosen ? [.. chosen.Select(d => ReferenceNames.Parse<ForwardDtype>(d, nameof(BenchmarkSettings.Dtypes)))] : null,
                SkipLongSequences = isQuick && named.Length == 0,
                Profile = parse.GetValue(profile),
            };
            if (parse.GetValue(steps) is { } n) settings = settings with { Steps = n };
            if (parse.GetValue(inferSteps) is { } k) settings = settings with { InferenceSteps = k };
            return Execute(named, settings, parse.GetValue(output)!.FullName, Console.Out, !Console.IsOutputRedirected);
        }, flags));
        return command;
    }

    public static int Execute(IReadOnlyList<string> presetNames, BenchmarkSettings settings, string outputPath, TextWriter output, bool interactive)
    {
        settings.Validate();
        var presets = (presetNames.Count > 0 ? presetNames.Distinct() : BenchmarkPresets.Names).Select(BenchmarkPresets.Get).ToList();
        var report = BenchmarkRunner.Run(presets, settings, Progress(output, interactive));
        if (interactive) output.Write("\r" + new string(' ', 79) + "\r");
        BenchmarkTable.Write(output, report);
        report.Write(outputPath);
        output.WriteLine($"wrote {outputPath}");
        return 0;
    }

    // A line per phase when redirected; one line redrawn in place, with step counts, on a terminal.
    static Action<BenchmarkProgress> Progress(TextWriter output, bool interactive)
    {
        string? last = null;
        return p =>
        {
            var line = $"measuring {p.Preset}: {p.Phase}";
            if (interactive)
            {
                var counted = p.Total > 1 ? $"{line} {p.Done}/{p.Total}" : line;
                output.Write($"\r{counted,-79}");
            }
            else if (line != last)
            {
                output.WriteLine(line);
            }
            last = line;
        };
    }
}
