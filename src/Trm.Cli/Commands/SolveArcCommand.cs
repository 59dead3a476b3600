using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Trm.Configuration;
using Trm.Evaluation;
using Trm.Inference;
using Trm.IO;
using Trm.Puzzles;
using Trm.Puzzles.Arc;
using Trm.Solving;
using Trm.Training;
using Trm.Checkpoints;

namespace Trm.Cli.Commands;

/// <summary>What <c>trm solve arc</c> was asked to do.</summary>
public sealed record ArcSolveRequest(string Checkpoint, string TaskFile)
{
    public string? TaskId { get; init; }
    public string? Data { get; init; }
    public bool Ema { get; init; }
    public int? MaxSteps { get; init; }
    public bool Adaptive { get; init; } = true;
    public string Device { get; init; } = "cpu";
    public int BatchSize { get; init; } = SolveArcCommand.DefaultBatchSize;
    public string? Out { get; init; }
    public string? Record { get; init; }
    public string? Render { get; init; }
    /// <summary>Test-time training settings, or null to solve with the rows the model has.</summary>
    public ArcAdaptOptions? Adapt { get; init; }
    public string? KeepAdapted { get; init; }

    /// <summary>Test-time compute per copy (noisy trajectories chosen among, then voted over the copies); null: none.</summary>
    public Sampling? Sampling { get; init; }

    /// <summary>How to step each copy (the default halt threshold).</summary>
    public SolveOptions Options => new(MaxSteps, Adaptive, BatchSize, Sampling: Sampling);
}

/// <summary>
/// <c>trm solve arc --checkpoint DIR TASK.json</c>: two attempts per test input of an ARC task, voted over the task's
/// copies the model knows; with <c>--adapt</c>, first learns the puzzle embeddings of a task the model never saw.
/// </summary>
public static class SolveArcCommand
{
    public const int DefaultBatchSize = 64;
    public const int Interrupted = 130;

    public static Command Create()
    {
        var flags = new SolveFlags(DefaultBatchSize);
        flags.Output.Description = "Write the attempts in the ARC Prize submission format: {\"<task>\": [{\"attempt_1\", \"attempt_2\"}, ...]}";
        flags.Render.Description = "Draw the task's test inputs, attempts and the un-augmented copy's steps to FILE.png, .gif or .html";
        var task = new Argument<FileInfo>("task") { Description = "The task: {\"train\": [{\"input\", \"output\"}...], \"test\": [{\"input\", \"output\"?}...]} (or a challenges file with --task-id)" };
        var taskId = new Option<string?>("--task-id") { Description = "The task's id (default: the file name without extension)" };
        var data = new Option<DirectoryInfo?>("--data") { Description = "The ARC dataset the model was trained on, for its identifiers.json (default: the checkpoint's data_paths)" };
        var record = new Option<FileInfo?>("--record") { Description = "Write inputs, expected outputs, attempts and the un-augmented copy's steps as JSON (for rendering)" };
        var adapt = new Option<bool>("--adapt") { Description = "Test-time training for a task the model never saw: learn its puzzle embeddings (network frozen), then solve" };
        var numAug = new Option<int?>("--num-aug") { Description = $"--adapt: augmented copies of the task (default {ArcAdaptOptions.DefaultNumAug})" }.Within("NumAug");
        var adaptEpochs = new Option<int?>("--adapt-epochs") { Description = $"--adapt: epochs, one copy's demonstrations each (default {ArcAdaptOptions.VisitsPerCopy} x copies)" }.Within("AdaptEpochs");
        var adaptSteps = new Option<long?>("--adapt-steps") { Description = "--adapt: optimizer steps, instead of --adapt-epochs" }.Within("AdaptSteps");
        var adaptLr = new Option<double?>("--adapt-lr") { Description = "--adapt: SignSGD learning rate of the puzzle embeddings (default: the checkpoint's puzzle_emb_lr)" }.Within("AdaptLr");
        var adaptBatch = new Option<int?>("--adapt-batch-size") { Description = $"--adapt: examples per step (default: {ArcAdaptOptions.CopiesPerBatch} copies' demonstrations)" }.Within("AdaptBatchSize");
        var adaptSeed = new Option<uint?>("--adapt-seed") { Description = "--adapt: seed of the augmentations and batches (default 0)" }.Within("AdaptSeed");
        var keepAdapted = new Option<DirectoryInfo?>("--keep-adapted") { Description = "--adapt: keep the task's dataset and adapted checkpoint in this new directory" };
        var command = new Command("arc", "Solve an ARC task with a trained model: two attempts per test input, voted over the task's augmented copies. " +
            "The model must know the task (trained on it), or learn it first with --adapt.")
        {
            task, taskId, data, record, adapt, numAug, adaptEpochs, adaptSteps, adaptLr, adaptBatch, adaptSeed, keepAdapted,
        };
        // Not --weights (--adapt starts from the checkpoint's own weights) nor --halt-threshold (each copy stops at the default).
        flags.AddTo(command, without: [flags.Weights, flags.HaltThreshold]);
        var flagNames = new Dictionary<string, string>(flags.Flags) { [ArcPuzzleReader.TaskIdSetting] = taskId.Name };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var adaptOnly = new Option[] { numAug, adaptEpochs, adaptSteps, adaptLr, adaptBatch, adaptSeed, keepAdapted }
                .Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
            if (!parse.GetValue(adapt) && adaptOnly.Count > 0) throw new TrmException($"{string.Join(", ", adaptOnly)} only apply with --adapt.");
            var adaptOptions = !parse.GetValue(adapt) ? null : new ArcAdaptOptions
            {
                NumAug = parse.GetValue(numAug) ?? ArcAdaptOptions.DefaultNumAug, Epochs = parse.GetValue(adaptEpochs), Steps = parse.GetValue(adaptSteps),
                LearningRate = parse.GetValue(adaptLr), BatchSize = parse.GetValue(adaptBatch), Seed = parse.GetValue(adaptSeed) ?? 0,
                Ema = parse.GetValue(flags.Ema), Device = parse.GetValue(flags.Device)!,
            };
            return Execute(new ArcSolveRequest(parse.GetValue(flags.Checkpoint)!.FullName, parse.GetValue(task)!.FullName)
            {
                TaskId = parse.GetValue(taskId), Data = parse.GetValue(data)?.FullName, Ema = parse.GetValue(flags.Ema), MaxSteps = parse.GetValue(flags.MaxSteps),
                Adaptive = !parse.GetValue(flags.FixedSteps), Device = parse.GetValue(flags.Device)!, BatchSize = parse.GetValue(flags.BatchSize),
                Out = parse.GetValue(flags.Output)?.FullName, Record = parse.GetValue(record)?.FullName, Render = parse.GetValue(flags.Render)?.FullName,
                Adapt = adaptOptions, KeepAdapted = parse.GetValue(keepAdapted)?.FullName, Sampling = flags.Sampling.Read(parse),
            }, Console.Out);
        }, flagNames));
        return command;
    }

    /// <summary>Exit code 0: answered (and an attempt matches every expected output the file gives); 1: an expected output matched by neither attempt.</summary>
    public static int Execute(ArcSolveRequest request, TextWriter output)
    {
        // Everything that can be checked without a model is checked first.
        var task = ArcPuzzleReader.ReadTask(request.TaskFile, request.TaskId);
        request.Options.Checked();
        if (request.Sampling is { Augment: > 0 })
            throw new TrmSettingsException(nameof(Sampling.Augment), "does not apply to ARC, whose copies are the augmentations of the task the model knows (all of them are voted on)");
        request.Adapt?.Validate();
        SolveFlags.CheckOutputs(CheckpointFiles.Inputs(request.Checkpoint).Append(request.TaskFile).Append(request.Data),
            ("--render", request.Render), ("--out", request.Out), ("--record", request.Record));
        if (request.KeepAdapted is not null) AtomicOutput.RequireAbsent(request.KeepAdapted, "--keep-adapted makes a new directory; choose another");
        var config = CheckpointFiles.ReadConfig(request.Checkpoint);
        return request.Adapt is null ? SolveKnown(request, task, config, output) : SolveAdapted(request, task, output);
    }

    static int SolveKnown(ArcSolveRequest request, ArcTask task, TrainConfig config, TextWriter output)
    {
        var (dataset, identifiers) = ArcSolver.Identifiers(config, request.Data, task.Id);
        var copies = ArcCopy.Among(identifiers, task.Id);
        if (copies.Count == 0)
            throw new TrmException($"the model was not trained on task {task.Id}: {Path.Combine(dataset, "identifiers.json")} names no copy of it " +
                $"among its {identifiers.Length - 1} puzzles. For a new task add --adapt: it first learns the task's puzzle embeddings " +
                "from its demonstration pairs with the network frozen (test-time training), then solves.");
        using var model = TrmModel.Load(request.Checkpoint, request.Ema, device: request.Device);
        if (model.PuzzleIdentifiers != identifiers.Length)
            throw new TrmException($"{Path.Combine(dataset, "identifiers.json")} names {identifiers.Length} puzzle rows but {model.WeightsFile} has {model.PuzzleIdentifiers}; " +
                "pass --data DIR, the dataset this model was trained on.");
        output.WriteLine($"task {task.Id}: the model knows {Copies(copies)}; identifiers from {dataset}");
        return Solve(request, task, model, copies, output);
    }

    static int SolveAdapted(ArcSolveRequest request, ArcTask task, TextWriter output)
    {
        var work = request.KeepAdapted is null ? Directory.CreateTempSubdirectory("trm-adapt-").FullName : AtomicOutput.TemporarySibling(request.KeepAdapted);
        Directory.CreateDirectory(work);
        using var cancel = new CancellationTokenSource();
        bool training = true;
        // Ctrl+C (or SIGTERM) while training stops the run at the next step; while predicting it ends the program at once.
        // Either way the work directory goes (a kept one has been moved into place by then).
        void OnSignal(PosixSignalContext context)
        {
            if (training)
            {
                context.Cancel = true;
                cancel.Cancel();
            }
            else if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        try
        {
            var clock = Stopwatch.StartNew();
            ArcAdaptation adaptation;
            try
            {
                adaptation = ArcTestTimeTraining.Run(request.Checkpoint, task, request.Adapt!, work,
                    TrainingConsole.ForConsole(ArcTestTimeTraining.BatchSize(request.Adapt!, task)), ProgressDisplay.ForConsole(), cancel.Token);
            }
            catch (OperationCanceledException)
            {
                output.WriteLine("interrupted: nothing was kept.");
                return Interrupted;
            }
            training = false;
            output.WriteLine($"learned {adaptation.Copies} puzzle embeddings in {ProgressDisplay.Clock(clock.Elapsed)} ({adaptation.Steps} step{(adaptation.Steps == 1 ? "" : "s")})");
            if (request.KeepAdapted is not null)
            {
                adaptation = adaptation.MoveTo(request.KeepAdapted);
                output.WriteLine($"kept: {adaptation.Checkpoint} (dataset {adaptation.Dataset}); solve again without --adapt: " +
                    $"trm solve arc --checkpoint {adaptation.Checkpoint} {request.TaskFile}");
            }
            using var model = TrmModel.Load(adaptation.Checkpoint, device: request.Device);
            var copies = ArcCopy.Among(ArcEvaluator.ReadIdentifiers(adaptation.Dataset, "trm solve arc"), task.Id);
            return Solve(request, task, model, copies, output);
        }
        finally
        {
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
    }

    static int Solve(ArcSolveRequest request, ArcTask task, TrmModel model, IReadOnlyList<ArcCopy> copies, TextWriter output)
    {
        var clock = Stopwatch.StartNew();
        var answer = ArcSolver.Solve(model, task, copies, request.Options);
        int maxSteps = request.MaxSteps ?? model.Config.Arch.Model.HaltMaxSteps;
        output.WriteLine($"predicted {answer.Tests.Count} test input{(answer.Tests.Count == 1 ? "" : "s")} x {answer.Copies} copies in {clock.Elapsed.TotalSeconds:F1} s " +
            $"({(request.Adaptive ? $"each stops when the Q head says done, at most {maxSteps} steps" : $"{maxSteps} steps each")})");
        ArcAnswerText.Write(output, answer, maxSteps);

        if (request.Out is not null)
        {
            ArcAnswerFiles.WriteSubmission(request.Out, answer);
            output.WriteLine($"wrote {request.Out} (ARC Prize submission format)");
        }
        if (request.Record is not null)
        {
            SolveRecord.Write(request.Record, [answer.Record()]);
            output.WriteLine($"wrote {request.Record}");
        }
        if (request.Render is not null)
        {
            Rendering.SolveRendering.Write(answer.Record(), request.Render);
            output.WriteLine($"drew {request.Render}");
        }
        return answer.Solved == false ? 1 : 0;
    }

    static string Copies(IReadOnlyList<ArcCopy> copies) =>
        $"{copies.Count} cop{(copies.Count == 1 ? "y" : "ies")} of it ({(copies.Any(c => c.IsOriginal) ? "the original and " : "no un-augmented copy, ")}" +
        $"{copies.Count(c => !c.IsOriginal)} augmented)";
}
