using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
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
        var resume = new Option<DirectoryInfo?>("--resume") { Description = "Continue exactly from a run directory of trm train (its newest complete checkpoint) or one of its checkpoint directories" };
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

    /// <summary>Exit codes of a run stopped by a signal, as a shell reports a process killed by it (128 + signal number).</summary>
    public const int StoppedBySigint = 130, StoppedBySigterm = 143;

    public static int Execute(string? configOrPreset, string? resumeFrom, IReadOnlyList<string> overrides, TextWriter output, bool allowSlowBFloat16 = false)
    {
        var source = configOrPreset ?? resumeFrom ?? $"preset {DefaultRun.Preset}";
        var (checkpoint, resumedRun) = resumeFrom is null ? (null, null) : ResumePoint(resumeFrom);
        var config = (checkpoint is not null ? CheckpointFiles.ReadConfig(checkpoint, overrides)
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

        var runDirectory = resumedRun ?? RunDirectory(config);
        if (checkpoint is null && RunCheckpoints.Newest(runDirectory) is { } existing)
            throw new TrmException($"{runDirectory} already holds a run (checkpoint {existing.Directory}); continue it with --resume {runDirectory}, or set another checkpoint_path or run_name.");
        var clock = Stopwatch.StartNew();
        using var trainer = new Trainer(config, runDirectory, checkpoint);   // checks the data and the checkpoint: nothing is written before
        CreateRunDirectory(runDirectory);
        output.WriteLine($"run directory: {runDirectory}");
        if (checkpoint is not null) output.WriteLine($"resuming from {checkpoint}");
        output.WriteLine($"model: {trainer.Model.parameters().Sum(p => p.numel()):N0} parameters; {trainer.TotalSteps} steps of {config.GlobalBatchSize} examples on {config.Device}");
        if (onCpu && ProcessorContention.OthersBusyProcessors(TimeSpan.FromSeconds(0.5)) is { } othersBusy
            && ProcessorContention.Advice(TorchSharp.torch.get_num_threads(), Environment.ProcessorCount, othersBusy) is { } advice)
            output.WriteLine(advice);

        // Ctrl+C and SIGTERM (schedulers, timeout) stop at the next batch and save interrupted/; a second signal ends the process at once.
        using var cancel = new CancellationTokenSource();
        int stoppedBy = 0;
        void Stop(PosixSignalContext context, int exitCode)
        {
            if (cancel.IsCancellationRequested) return;
            context.Cancel = true;
            stoppedBy = exitCode;
            cancel.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Stop(context, StoppedBySigint));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Stop(context, StoppedBySigterm));

        var console = TrainingConsole.ForConsole(config.GlobalBatchSize);
        var final = trainer.Run(console, cancel.Token);
        if (trainer.Interrupted)
        {
            output.WriteLine($"stopped by {(stoppedBy == StoppedBySigterm ? "SIGTERM" : "SIGINT")} after {clock.Elapsed:h\\:mm\\:ss}; continue with: trm train --resume {runDirectory}");
            return stoppedBy;
        }
        output.WriteLine($"done in {clock.Elapsed:h\\:mm\\:ss}; checkpoints in {runDirectory}");
        foreach (var set in final)
        {
            var (low, high) = set.ExactAccuracyInterval;
            output.WriteLine($"held-out exact accuracy ({set.Set}): {set.ExactAccuracy:P2} (95% CI {low:P1} - {high:P1}) on {set.Count} puzzles");
        }
        return 0;
    }

    /// <summary>
    /// The checkpoint and run directory <c>--resume</c> names: a checkpoint directory, or a run directory whose newest complete
    /// checkpoint is taken. What a killed run left half-written is tidied first (a checkpoint cut short in its replacement comes back).
    /// </summary>
    static (string Checkpoint, string RunDirectory) ResumePoint(string resumeFrom)
    {
        var full = Path.GetFullPath(resumeFrom);
        var parent = Path.GetDirectoryName(full)!;
        if (RunCheckpoints.IsCheckpoint(full) || !Directory.Exists(full))
        {
            RunCheckpoints.Tidy(parent);
            if (RunCheckpoints.IsCheckpoint(full)) return (full, parent);
            throw new TrmException($"--resume {full}: {(Directory.Exists(full) ? "not a checkpoint or run directory of trm train (no trainer_state.json, no step_N)" : "not found")}.");
        }
        RunCheckpoints.Tidy(full);
        var newest = RunCheckpoints.Newest(full)
            ?? throw new TrmException($"--resume {full}: no complete checkpoint in this run directory; the run stopped before its first evaluation. Start it again.");
        return (newest.Directory, full);
    }

    static void CreateRunDirectory(string runDirectory)
    {
        try
        {
            Directory.CreateDirectory(runDirectory);
            var probe = Path.Combine(runDirectory, $".write-check-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TrmException($"checkpoint_path: cannot write the run directory {runDirectory} ({e.Message}); set checkpoint_path to a folder you can write.", e);
        }
    }

    static string RunDirectory(TrainConfig config)
    {
        if (config.CheckpointPath is { } path) return Path.GetFullPath(path);
        var project = config.ProjectName ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(config.DataPaths[0]));
        var run = config.RunName ?? $"trm-{DateTime.Now:yyyyMMdd-HHmmss}";
        return Path.GetFullPath(Path.Combine("checkpoints", project, run));
    }
}
