using Trm.Configuration;
using Trm.Data;
using Trm.Puzzles.Arc;
using Trm.Training;
using static TorchSharp.torch;
using Trm.Checkpoints;

namespace Trm.Inference;

/// <summary>
/// How to learn a new task's puzzle embeddings. Unset values: <see cref="Epochs"/> = <see cref="VisitsPerCopy"/> x the
/// number of copies (each copy's demonstrations drawn about 100 times, as each puzzle's are in the paper's ARC run:
/// 100k epochs over groups of 1001 copies); <see cref="BatchSize"/> = the demonstrations of <see cref="CopiesPerBatch"/>
/// copies; <see cref="LearningRate"/> = the checkpoint's <c>puzzle_emb_lr</c>. A batch size is rounded up to a multiple of
/// the task's demonstration count so that no copy's demonstrations are cut from a batch (and the step count is exact).
/// </summary>
public sealed record ArcAdaptOptions
{
    public const int DefaultNumAug = 100, VisitsPerCopy = 100, CopiesPerBatch = 8;

    /// <summary>Augmented copies besides the original (fewer when the task has fewer distinct augmentations).</summary>
    public int NumAug { get; init; } = DefaultNumAug;
    /// <summary>Seed of the augmentations, translations and batch order.</summary>
    public uint Seed { get; init; }
    public int? Epochs { get; init; }
    /// <summary>Optimizer steps instead of <see cref="Epochs"/>.</summary>
    public long? Steps { get; init; }
    public double? LearningRate { get; init; }
    public int? BatchSize { get; init; }
    /// <summary>Start from the checkpoint's EMA weights (<c>ema.pt</c>).</summary>
    public bool Ema { get; init; }
    public string Device { get; init; } = "cpu";

    public ArcAdaptOptions Validate()
    {
        if (Epochs is not null && Steps is not null) throw new TrmSettingsException(name => $"give {name(nameof(Epochs))} or {name(nameof(Steps))}, not both.");
        var problems = new List<SettingProblem>();
        if (NumAug < 0) problems.Add(new(nameof(NumAug), $"must be 0 or more (is {NumAug})"));
        if (Epochs is <= 0) problems.Add(new(nameof(Epochs), $"must be positive (is {Epochs})"));
        if (Steps is <= 0) problems.Add(new(nameof(Steps), $"must be positive (is {Steps})"));
        if (LearningRate is not null && !(LearningRate > 0)) problems.Add(new(nameof(LearningRate), $"must be positive (is {LearningRate})"));
        if (BatchSize is <= 0) problems.Add(new(nameof(BatchSize), $"must be positive (is {BatchSize})"));
        return problems.Count == 0 ? this : throw new TrmSettingsException(problems);
    }
}

/// <summary>
/// What test-time training made in its work <see cref="Directory"/>: the task's dataset (whose <c>identifiers.json</c>
/// names the new rows) and the adapted checkpoint, whose config points at that dataset.
/// </summary>
public sealed record ArcAdaptation(string Directory, string Dataset, string Checkpoint, int Copies, long Steps)
{
    /// <summary>Moves the work directory to <paramref name="directory"/> (which must not exist), keeping the checkpoint's config pointing at the dataset.</summary>
    public ArcAdaptation MoveTo(string directory)
    {
        var target = Path.GetFullPath(directory);
        IO.AtomicOutput.RequireAbsent(target, "choose another directory");
        var moved = this with
        {
            Directory = target,
            Dataset = Path.Combine(target, Path.GetRelativePath(Directory, Dataset)),
            Checkpoint = Path.Combine(target, Path.GetRelativePath(Directory, Checkpoint)),
        };
        var config = CheckpointFiles.ReadConfig(Checkpoint);
        File.WriteAllText(Path.Combine(Checkpoint, CheckpointFiles.Config), ConfigLoader.ToYaml(config with
        {
            DataPaths = [moved.Dataset],
            CheckpointPath = Path.Combine(target, Path.GetRelativePath(Directory, config.CheckpointPath ?? Directory)),
        }));
        System.IO.Directory.Move(Directory, target);
        return moved;
    }
}

/// <summary>
/// Test-time training for an ARC task the model never saw: the task has no puzzle-embedding row, so it gets new ones and
/// only they learn. The task's demonstration pairs are augmented as <see cref="ArcDatasetBuilder"/> augments a puzzle (its test
/// inputs held out), then the reference's fine-tuning mode trains on them: <c>load_checkpoint</c> (the new table starts
/// as the mean row of the checkpoint's table) with <c>freeze_weights</c> (SignSGD on the puzzle embeddings, every network
/// weight frozen), at a constant <c>puzzle_emb_lr</c> without warmup and without evaluations.
/// </summary>
public static class ArcTestTimeTraining
{
    public const string DatasetFolder = "data", RunFolder = "run", CheckpointFolder = "checkpoint", Subset = "task";

    /// <param name="workDirectory">An empty or new directory that receives <c>data/</c>, <c>run/</c> (metrics) and <c>checkpoint/</c>.</param>
    /// <param name="observer">Hears the plan (<see cref="ITrainingObserver.OnMessage"/>) and every step (loss, accuracy on the demonstrations).</param>
    public static ArcAdaptation Run(string checkpoint, ArcTask task, ArcAdaptOptions options, string workDirectory, ITrainingObserver observer,
        IProgress<BuildProgress>? progress = null, CancellationToken cancel = default)
    {
        options.Validate();
        var baseConfig = CheckpointFiles.ReadConfig(checkpoint);
        if (baseConfig.Arch.Model.PuzzleEmbNdim == 0)
            throw new TrmException($"{checkpoint}: the model has no puzzle embeddings (arch.puzzle_emb_ndim is 0); test-time training learns only those, so there is nothing to adapt.");
        var weights = CheckpointFiles.WeightsFile(checkpoint, null, options.Ema);

        var dataset = Path.Combine(workDirectory, DatasetFolder);
        var build = ArcDatasetBuilder.Build([new ArcSubset(Subset, [task.Puzzle], HasSolutions: true)], Subset, dataset, options.NumAug, options.Seed, progress);
        foreach (var warning in build.Warnings) observer.OnMessage($"warning: {warning}");
        int copies = build.Dataset.Splits["train"].TotalPuzzles;

        int demonstrations = task.Puzzle.Train.Count;
        int batchSize = BatchSize(options, task);
        if (options.BatchSize is { } requested && batchSize != requested)
            observer.OnMessage($"batch size {requested} rounded up to {batchSize}, a multiple of the task's {demonstrations} demonstration pairs (no copy is cut from a batch).");
        long epochs = options.Steps is { } steps ? steps * batchSize / demonstrations : options.Epochs ?? (long)ArcAdaptOptions.VisitsPerCopy * copies;
        if (epochs * demonstrations < batchSize)
            throw new TrmSettingsException(name => $"{name(nameof(options.Epochs))} {epochs} give {epochs * demonstrations} examples, less than one batch of {batchSize}; " +
                $"give more epochs or a smaller {name(nameof(options.BatchSize))}.");
        if (epochs > int.MaxValue)
            throw new TrmSettingsException(name => $"{epochs} epochs are too many; give fewer {name(nameof(options.Steps))} or a smaller {name(nameof(options.BatchSize))}.");

        var run = Path.Combine(workDirectory, RunFolder);
        Directory.CreateDirectory(run);
        var config = (baseConfig with
        {
            DataPaths = [dataset], DataPathsTest = [], Evaluators = [], EvalSaveOutputs = [],
            LoadCheckpoint = weights, FreezeWeights = true,
            GlobalBatchSize = batchSize, Epochs = (int)epochs, EvalInterval = null, MinEvalInterval = 1,   // one iteration, no evaluation
            PuzzleEmbLr = options.LearningRate ?? baseConfig.PuzzleEmbLr, LrWarmupSteps = 0, LrMinRatio = 1,
            Ema = false, CheckpointPath = run, CheckpointEveryEval = false, ProjectName = null, RunName = null,
            Seed = unchecked((int)options.Seed), Device = options.Device,
        }).Validate("test-time training");

        using var trainer = new Trainer(config, run);
        StartNewRowsAtTheMean(trainer);
        observer.OnMessage($"test-time training on task {task.Id}: {copies} copies (the original and {copies - 1} augmentations) of {demonstrations} " +
            $"demonstration pair{(demonstrations == 1 ? "" : "s")}; {trainer.TotalSteps} steps of {batchSize} examples ({epochs} epochs), " +
            $"puzzle_emb_lr {config.PuzzleEmbLr:0.###e+0}, network frozen");
        trainer.Run(new UntilCancelled(observer, cancel), cancel);
        cancel.ThrowIfCancellationRequested();
        var adapted = Path.Combine(workDirectory, CheckpointFolder);
        trainer.SaveCheckpoint(adapted);
        return new ArcAdaptation(Path.GetFullPath(workDirectory), Path.GetFullPath(dataset), Path.GetFullPath(adapted), copies, trainer.TotalSteps);
    }

    /// <summary>Passes a run's reports on, except what a cancelled run says about resuming: a cancelled adaptation keeps nothing.</summary>
    sealed class UntilCancelled(ITrainingObserver observer, CancellationToken cancel) : ITrainingObserver
    {
        public void OnStep(StepReport report) => observer.OnStep(report);

        public void OnEvaluation(long step, IReadOnlyList<Evaluation.SetMetrics> sets, IReadOnlyDictionary<string, double> evaluatorMetrics) =>
            observer.OnEvaluation(step, sets, evaluatorMetrics);

        public void OnCheckpoint(string directory)
        {
            if (!cancel.IsCancellationRequested) observer.OnCheckpoint(directory);
        }

        public void OnMessage(string message)
        {
            if (!cancel.IsCancellationRequested) observer.OnMessage(message);
        }
    }

    /// <summary>The batch size used for <paramref name="task"/>: the one asked for, rounded up to a multiple of the demonstration count.</summary>
    public static int BatchSize(ArcAdaptOptions options, ArcTask task)
    {
        int demonstrations = task.Puzzle.Train.Count;
        int requested = options.BatchSize ?? ArcAdaptOptions.CopiesPerBatch * demonstrations;
        return (requested + demonstrations - 1) / demonstrations * demonstrations;
    }

    /// <summary>
    /// <c>load_checkpoint</c> resets a table of another size to the checkpoint's mean row; a table that happens to have the
    /// checkpoint's size loads the old puzzles' rows, which mean nothing for the new copies, so those become the mean too.
    /// </summary>
    static void StartNewRowsAtTheMean(Trainer trainer)
    {
        var table = trainer.Model.Model.Inner.PuzzleEmbedding!.Weights;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        if (!table.eq(table[0]).all().item<bool>()) table.copy_(table.mean([0], keepdim: true).expand_as(table));
    }
}
