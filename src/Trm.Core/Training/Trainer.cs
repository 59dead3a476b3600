using System.Diagnostics;
using TorchSharp;
using Trm.Configuration;
using Trm.Data;
using Trm.Distributed;
using Trm.Evaluation;
using Trm.IO;
using Trm.Model;
using static TorchSharp.torch;
using Trm.Checkpoints;

namespace Trm.Training;

/// <summary>
/// The reference's <c>pretrain.py</c> loop on one process: iterations of <c>eval_interval</c> epochs,
/// each followed (from <c>min_eval_interval</c> on) by an evaluation with the EMA weights when EMA is
/// on and a checkpoint. Learning rates follow the warmup + cosine schedule of the step; the puzzle
/// embeddings learn by SignSGD and everything else by Adam-atan2 (only the embeddings with
/// <c>freeze_weights</c>). Every evaluation writes <c>step_N</c> and removes the checkpoints it supersedes
/// (earlier ones stay with <c>checkpoint_every_eval</c>), so a killed run can always resume from its last evaluation;
/// a cancelled run saves <c>interrupted</c>, from which it resumes exactly.
/// In a data-parallel job (<see cref="ICollectives"/>) every rank runs this loop on its slice of each global batch, the ranks
/// agree on stopping, evaluate their slices of the test split together, and rank 0 alone writes logs and checkpoints.
/// </summary>
public sealed class Trainer : IDisposable
{
    readonly TrainConfig config;
    readonly Device device;
    readonly PuzzleSplit trainSplit;
    readonly PuzzleBatchLoader trainLoader;
    readonly TestSetEvaluation? testEvaluation;
    readonly TrainingSetup setup;
    readonly ICollectives group;
    TrainerState state;

    ActLossHead model => setup.Model;
    IWeightOptimizer? weightOptimizer => setup.WeightOptimizer;   // null with freeze_weights
    SignSgdSparse? puzzleOptimizer => setup.PuzzleOptimizer;
    ExponentialMovingAverage? ema => setup.Ema;
    TrainingStep trainingStep => setup.Step;
    Generator explorationGenerator => setup.ExplorationGenerator;

    public string RunDirectory { get; }
    public long TotalSteps => state.TotalSteps;
    public ActLossHead Model => model;
    /// <summary>True once <see cref="Run"/> stopped early because it was cancelled (and saved <c>interrupted</c>).</summary>
    public bool Interrupted { get; private set; }

    /// <summary>The weight-gradient all-reduce of a data-parallel job (its bytes and time); null in one process.</summary>
    public GradientExchange? Exchange => setup.Exchange;
    /// <summary>Wall time of the training steps this process ran (evaluations and checkpoints excluded), and their number.</summary>
    public TimeSpan StepTime => stepClock.Elapsed;
    public long StepsRun { get; private set; }
    readonly Stopwatch stepClock = new();

    /// <param name="resumeFrom">A checkpoint directory of this run to continue from exactly, or null to start.</param>
    /// <param name="group">The data-parallel job this process is a rank of; null: one process.</param>
    public Trainer(TrainConfig config, string runDirectory, string? resumeFrom = null, ICollectives? group = null)
    {
        config = config.WithAbsolutePaths();   // so that the saved config evaluates and resumes from any directory
        this.config = config;
        this.group = group ??= SingleProcess.Instance;
        RunDirectory = runDirectory;
        device = ProcessGroup.DeviceFor(config.Device, group);
        if (config.Threads > 0) set_num_threads(config.Threads);
        else if (group.LocalSize > 1) set_num_threads(ProcessGroup.ThreadsFor(group));
        manual_seed(config.Seed);

        trainSplit = PuzzleSplit.Open(config.DataPaths, "train");
        trainLoader = new PuzzleBatchLoader(trainSplit, new LoaderOptions(config.GlobalBatchSize, config.Seed, config.EpochsPerIteration, group.Rank, group.WorldSize));
        testEvaluation = TestSetEvaluation.TestPaths(config) is { } testPaths ? new TestSetEvaluation(config, testPaths, config.GlobalBatchSize, group) : null;

        var metadata = trainSplit.Metadata;
        if (testEvaluation is not null && string.Join(", ", testEvaluation.Metadata.MisfitsFor(metadata)) is { Length: > 0 } misfits)
            throw new TrmException($"the test split of {string.Join(", ", TestSetEvaluation.TestPaths(config)!)} does not fit the model built for the training data: {misfits}. " +
                "Evaluate on a dataset built like the training data (data_paths_test).");
        var modelConfig = config.Arch.ModelFor(metadata.SeqLen, metadata.VocabSize, metadata.NumPuzzleIdentifiers);
        long totalSteps = TotalStepsOf(config, metadata);
        if (device.type == DeviceType.CPU)   // the run as a whole, before the model is built (a GPU's memory is its own)
        {
            new MemoryEstimate(modelConfig).RequireTrainingFits("global_batch_size", config.GlobalBatchSize / group.WorldSize, config.Ema, MemoryEstimate.MachineBytes);
        }
        var model = new ActLossHead(modelConfig, config.Arch.Loss.LossType);
        model.to(device);
        if (config.LoadCheckpoint is { } initial) InitialWeights.Load(model, initial);
        setup = new TrainingSetup(model, TrainingSettings.From(config), device, group);   // learning rates: set per step by the schedule

        state = new TrainerState
        {
            TotalSteps = totalSteps, SeqLen = metadata.SeqLen, VocabSize = metadata.VocabSize, NumPuzzleIdentifiers = metadata.NumPuzzleIdentifiers,
        };
        if (resumeFrom is not null) Restore(resumeFrom);
        ReplicaCheck.SameRun(group, config, metadata);
        ReplicaCheck.SameWeights(group, model, state.Step);
    }

    /// <summary>Most training steps a run may take (about 30 years at a million steps a second).</summary>
    public const long MaxTotalSteps = 1_000_000_000_000;

    /// <summary>The reference's total_steps, epochs x total_groups x mean_puzzle_examples / global_batch_size, in floating point
    /// (the product of two int32 counts overflows int32), refused above <see cref="MaxTotalSteps"/>.</summary>
    static long TotalStepsOf(TrainConfig config, DatasetMetadata metadata)
    {
        double steps = (double)config.Epochs * metadata.TotalGroups * metadata.MeanPuzzleExamples / config.GlobalBatchSize;
        if (!(steps <= MaxTotalSteps))
            throw new TrmException($"epochs {config.Epochs} x total_groups {metadata.TotalGroups} x mean_puzzle_examples {metadata.MeanPuzzleExamples} / " +
                $"global_batch_size {config.GlobalBatchSize} is {steps:G3} training steps, more than the limit of {MaxTotalSteps:G3}; lower epochs.");
        return (long)steps;
    }

    /// <summary>Trains to the end (or until <paramref name="cancel"/>), returning the last evaluation's metrics.</summary>
    public IReadOnlyList<SetMetrics> Run(ITrainingObserver display, CancellationToken cancel = default)
    {
        if (group.IsRoot()) RunCheckpoints.Tidy(RunDirectory);   // what a killed run left half-written
        using var log = group.IsRoot() ? new RunLog(RunDirectory, display) : null;
        ITrainingObserver observer = (ITrainingObserver?)log ?? display;
        var clock = Stopwatch.StartNew();
        IReadOnlyList<SetMetrics> last = [];
        int firstIteration = state.IterationComplete ? state.Iteration + 1 : state.Iteration;
        for (int iteration = firstIteration; iteration < config.TotalIterations; iteration++)
        {
            int skip = iteration == state.Iteration && !state.IterationComplete ? state.BatchesInIteration : 0;
            state = state with { Iteration = iteration, BatchesInIteration = skip, IterationComplete = false };
            foreach (var loaded in trainLoader.TrainIteration(iteration, skip, device))
            {
                using (loaded)
                {
                    if (group.AnyRank(cancel.IsCancellationRequested))   // all ranks stop at the same step
                    {
                        observer.OnMessage($"stopped at step {state.Step}");
                        using var averaged = EmaModel();
                        SaveCheckpoint(observer, Path.Combine(RunDirectory, RunCheckpoints.Interrupted), averaged);
                        Interrupted = true;
                        return last;
                    }
                    state = state with { BatchesInIteration = state.BatchesInIteration + 1 };
                    if (state.Step >= state.TotalSteps) continue;   // the reference also stops stepping at total_steps
                    state = state with { Step = state.Step + 1 };
                    observer.OnStep(TrainStep(loaded, clock.Elapsed));
                }
            }

            if (iteration >= (config.MinEvalInterval ?? 0))
            {
                ReplicaCheck.SameWeights(group, model, state.Step);
                using var averaged = EmaModel();   // evaluated and saved: built once
                last = Evaluate(observer, averaged ?? model);
                state = state with { IterationComplete = true };
                var saved = Path.Combine(RunDirectory, $"{RunCheckpoints.StepPrefix}{state.Step}");
                SaveCheckpoint(observer, saved, averaged);
                if (group.IsRoot()) RunCheckpoints.Prune(RunDirectory, new RunCheckpoints.Saved(saved, state.Step), keepEarlierSteps: config.CheckpointEveryEval);
            }
        }
        return last;
    }

    StepReport TrainStep(LoadedBatch loaded, TimeSpan elapsed)
    {
        double lr = LearningRateSchedule.At(state.Step, config.Lr, config.LrWarmupSteps, state.TotalSteps, config.LrMinRatio);
        if (weightOptimizer is not null) weightOptimizer.LearningRate = lr;
        if (puzzleOptimizer is not null)
        {
            puzzleOptimizer.LearningRate = LearningRateSchedule.At(state.Step, config.PuzzleEmbLr, config.LrWarmupSteps, state.TotalSteps, config.LrMinRatio);
            // As the reference logs the last optimizer's rate: the weights' when they train, else the embeddings'.
            if (weightOptimizer is null) lr = puzzleOptimizer.LearningRate;
        }
        stepClock.Start();
        var report = trainingStep.Run(loaded.Batch);
        var metrics = group.Sum(report.Metrics);
        stepClock.Stop();
        StepsRun++;

        // As the reference logs: losses per example of the global batch, other metrics per halted example (of all ranks).
        return new StepReport(state.Step, state.TotalSteps, metrics.Mean(lossDivisor: config.GlobalBatchSize), lr, elapsed);
    }

    /// <summary>Evaluates the test split with <paramref name="evaluated"/> (the EMA copy when EMA is on) and reports the metrics.</summary>
    IReadOnlyList<SetMetrics> Evaluate(ITrainingObserver observer, ActLossHead evaluated)
    {
        if (testEvaluation is null)
        {
            observer.OnMessage("no test split found; skipping evaluation");
            return [];
        }
        var report = testEvaluation.Run(evaluated, device, Path.Combine(RunDirectory, $"evaluation_step_{state.Step}"),
            Path.Combine(RunDirectory, $"step_{state.Step}_all_preds.0"), observer.OnMessage);   // every rank takes part; rank 0 writes
        observer.OnEvaluation(state.Step, report.Sets, report.EvaluatorMetrics);
        return report.Sets;
    }

    /// <summary>A copy of the model holding the EMA weights, or null to evaluate the model itself.</summary>
    ActLossHead? EmaModel()
    {
        if (ema is null) return null;
        var copy = new ActLossHead(model.Config, config.Arch.Loss.LossType);
        copy.to(device);
        StateDictLoader.Load(copy, model.state_dict(), "the training model");
        ema.CopyTo(copy);
        return copy;
    }

    /// <summary>
    /// Writes the current weights and state as a checkpoint directory, as an evaluation does: for runs whose config
    /// evaluates never (<c>min_eval_interval</c> past the last iteration), such as test-time training.
    /// </summary>
    public void SaveCheckpoint(string directory)
    {
        using var averaged = EmaModel();
        WriteCheckpoint(directory, averaged);
    }

    void SaveCheckpoint(ITrainingObserver observer, string directory, ActLossHead? averaged)
    {
        WriteCheckpoint(directory, averaged);
        if (group.IsRoot()) observer.OnCheckpoint(directory);
    }

    /// <summary>Rank 0 writes the checkpoint; the others take part in gathering the carry (their slots of it).</summary>
    void WriteCheckpoint(string directory, ActLossHead? averaged)
    {
        using var scope = NewDisposeScope();   // what the export makes: the optimizer's step count, the generator's state
        using var gathered = group.IsDistributed() && trainingStep.Carry is { } local ? CarryShards.Gather(group, local) : null;
        if (!group.IsRoot()) return;
        CheckpointFiles.Write(directory, new CheckpointFiles.Contents(
            config,
            model.state_dict(),
            averaged?.state_dict(),
            weightOptimizer?.ExportState() ?? [],
            gathered ?? trainingStep.Carry,
            state with { ExplorationGeneratorState = GeneratorState.Save(explorationGenerator) }));
    }

    /// <summary>
    /// Copies a checkpoint's weights, optimizer and EMA state, carry and generator into this run. Each piece is checked against
    /// this run's model before it is set (<see cref="TrainerState.Problems"/>, <see cref="CheckpointFiles.ReadCarry"/>,
    /// <see cref="GeneratorState"/>, the loaders), the trainer state and carry before any weight is copied.
    /// </summary>
    void Restore(string directory)
    {
        var saved = CheckpointFiles.ReadState(directory);
        var stateFile = Path.Combine(directory, CheckpointFiles.State);
        if (string.Join("; ", saved.Problems(state, config.TotalIterations)) is { Length: > 0 } problems)
            throw new TrmException($"{stateFile}: {problems}. The checkpoint is damaged or from another run.");
        GeneratorState.Check(explorationGenerator, saved.ExplorationGeneratorState, $"{stateFile} (exploration_generator_state)");
        var carry = saved.HasCarry
            ? CarryShards.Slice(CheckpointFiles.ReadCarry(directory, model, config.GlobalBatchSize, device), group, config.GlobalBatchSize, Path.Combine(directory, CheckpointFiles.Carry))
            : null;
        try
        {
            CopyFrom(directory, CheckpointFiles.Weights, (weights, source) => StateDictLoader.Load(model, weights, source));
            if (weightOptimizer is { } optimizer) CopyFrom(directory, CheckpointFiles.Optimizer, optimizer.ImportState);
            if (ema is { } averages) CopyFrom(directory, CheckpointFiles.EmaWeights, averages.Import);
        }
        catch
        {
            carry?.Dispose();
            throw;
        }
        if (carry is not null) trainingStep.Carry = carry;
        GeneratorState.Restore(explorationGenerator, saved.ExplorationGeneratorState, $"{stateFile} (exploration_generator_state)");
        state = saved;
    }

    /// <summary>Reads one file of a checkpoint and hands it to <paramref name="copy"/> (with its path, for errors) in a dispose scope that frees what was read once copied.</summary>
    static void CopyFrom(string directory, string file, Action<IReadOnlyDictionary<string, Tensor>, string> copy)
    {
        using var scope = NewDisposeScope();
        copy(CheckpointFiles.ReadTensors(directory, file), Path.Combine(directory, file));
    }

    public void Dispose()
    {
        setup.Dispose();
        trainSplit.Dispose();
        testEvaluation?.Dispose();
    }
}
