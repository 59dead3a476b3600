using System.CommandLine;
using System.Diagnostics;
using Trm.Configuration;
using Trm.Training;
using Trm.Checkpoints;
using Trm.Model;

namespace Trm.Cli.Commands;

/// <summary><c>trm train [--config FILE|PRESET] [--resume DIR] [key=value ...]</c>: the main job.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = $"A training config (YAML) or a preset: {string.Join(", ", Presets.Names)} (default: {DefaultRun.Preset})" };
        var resume = new Option<DirectoryInfo?>("--resume") { Description = "Continue exactly from a checkpoint directory written by trm train" };
        var allowSlowBFloat16 = new Option<bool>("--allow-slow-bfloat16")
        {
            Description = "Train in bfloat16 on a CPU without bfloat16 matrix instructions (AMX, AVX512-BF16), where it runs about 100x slower than float32",
        };
        var overrides = new Argument<string[]>("overrides")
        {
            Description = "Config overrides as in the reference: key=value, arch.key=value (e.g. epochs=2000 arch.L_cycles=4)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("train", "Train a TRM on a dataset, evaluating and checkpointing as the paper's pretrain.py does. With no arguments: the default run " +
            $"({DefaultRun.Preset}: generates a 4x4 Sudoku dataset, then trains on the CPU in minutes).")
        {
            config, resume, allowSlowBFloat16, overrides,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
            Execute(parse.GetValue(config), parse.GetValue(resume)?.FullName, parse.GetValue(overrides) ?? [], Console.Out, parse.GetValue(allowSlowBFloat16))));
        return command;
    }

    public static int Execute(string? configOrPreset, string? resumeFrom, IReadOnlyList<string> overrides, TextWriter output, bool allowSlowBFloat16 = false)
    {
        var source = configOrPreset ?? resumeFrom ?? $"preset {DefaultRun.Preset}";
        var config = (resumeFrom is not null ? CheckpointFiles.ReadConfig(resumeFrom, overrides)
            : configOrPreset is not null ? Presets.Load(configOrPreset, overrides)
            : DefaultRun.Config(overrides)).Validate(source);
        bool onCpu = DeviceSelection.Parse(config.Device).type == TorchSharp.DeviceType.CPU;
        if (onCpu)
        {
            var processor = ProcessorInfo.Current;
            output.WriteLine($"processor: {processor.Describe()}");
            if (config.Arch.Model.ForwardDtype == ForwardDtype.BFloat16 && !processor.HasBFloat16Matrix && !allowSlowBFloat16)
                throw new TrmException("arch.forward_dtype is bfloat16, but this processor has no bfloat16 matrix instructions (AMX or AVX512-BF16): " +
                    "libtorch would emulate every bfloat16 product, about 100x slower than float32. Train in float32 (arch.forward_dtype=float32), " +
                    "or pass --allow-slow-bfloat16 to train in bfloat16 anyway.");
        }
        if (configOrPreset is null && resumeFrom is null && DefaultRun.EnsureData(config, ProgressDisplay.ForConsole()) is { } generated)
            output.WriteLine(generated);
        foreach (var path in config.DataPaths.Concat(config.DataPathsTest))
            if (!Directory.Exists(path)) throw new TrmException($"data_paths: {Path.GetFullPath(path)} not found. Build it first with `trm data ...` (the preset's header says how), or set data_paths=[DIR].");

        var runDirectory = resumeFrom is not null ? Path.GetDirectoryName(Path.GetFullPath(resumeFrom))! : RunDirectory(config);
        Directory.CreateDirectory(runDirectory);
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        var clock = Stopwatch.StartNew();
        using var trainer = new Trainer(config, runDirectory, resumeFrom);
        output.WriteLine($"run directory: {runDirectory}");
        output.WriteLine($"model: {trainer.Model.parameters().Sum(p => p.numel()):N0} parameters; {trainer.TotalSteps} steps of {config.GlobalBatchSize} examples on {config.Device}");
        if (onCpu && ProcessorContention.OthersBusyProcessors(TimeSpan.FromSeconds(0.5)) is { } othersBusy
            && ProcessorContention.Advice(TorchSharp.torch.get_num_threads(), Environment.ProcessorCount, othersBusy) is { } advice)
            output.WriteLine(advice);
        var console = TrainingConsole.ForConsole(config.GlobalBatchSize);
        var final = trainer.Run(console, cancel.Token);
        if (cancel.IsCancellationRequested) output.WriteLine("resume with --resume and the checkpoint directory above");
        output.WriteLine($"done in {clock.Elapsed:h\\:mm\\:ss}; checkpoints in {runDirectory}");
        foreach (var set in final)
        {
            var (low, high) = set.ExactAccuracyInterval;
            output.WriteLine($"held-out exact accuracy ({set.Set}): {set.ExactAccuracy:P2} (95% CI {low:P1} - {high:P1}) on {set.Count} puzzles");
        }
        return 0;
    }

    static string RunDirectory(TrainConfig config)
    {
        if (config.CheckpointPath is { } path) return Path.GetFullPath(path);
        var project = config.ProjectName ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(config.DataPaths[0]));
        var run = config.RunName ?? $"trm-{DateTime.Now:yyyyMMdd-HHmmss}";
        return Path.GetFullPath(Path.Combine("checkpoints", project, run));
    }
}
