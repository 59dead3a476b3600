using System.Diagnostics;
using TorchSharp;
using Trm.Configuration;
using Trm.Data;
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
/// </summary>
public sealed class Trainer : IDisposable
{
    readonly TrainConfig config;
    readonly Device device;
    readonly PuzzleSplit trainSplit;
    readonly PuzzleBatchLoader trainLoader;
    readonly TestSetEvaluation? testEvaluation;
    readonly TrainingSetup setup;
    TrainerState state;

    ActLossHead model => setup.Model;
    // From a TrainConfig the weights always learn by Adam-atan2, whose moments a checkpoint saves.
    AdamAtan2? weightOptimizer => setup.WeightOptimizer as AdamAtan2;
    SignSgdSparse? puzzleOptimizer => setup.PuzzleOptimizer;
    ExponentialMovingAverage? ema => setup.Ema;
    TrainingStep trainingStep => setup.Step;
    Generator explorationGenerator => setup.ExplorationGenerator;

    public string RunDirectory { get; }
    public long TotalSteps => state.TotalSteps;
    public ActLossHead Model => model;
    /// <summary>True once <see cref="Run"/> stopped early because it was cancelled (and saved <c>interrupted</c>).</summary>
    public bool Interrupted { get; private set; }

    /// <param name="resumeFrom">A checkpoint directory of this run to continue from exactly, or null to start.</param>
    public Trainer(TrainConfig config, string runDirectory, string? resumeFrom = null)
    {
        config = config.WithAbsolutePaths();   // so that the saved config evaluates and resumes from any directory
        this.config = config;
        RunDirectory = runDirectory;
        device = DeviceSelection.Parse(config.Device);
        if (config.Threads > 0) set_num_threads(config.Threads);
        manual_seed(config.Seed);

        trainSplit = PuzzleSplit.Open(config.DataPaths, "train");
        trainLoader = new PuzzleBatchLoader(trainSplit, new LoaderOptions(config.GlobalBatchSize, config.Seed, config.EpochsPerIteration));
        testEvaluation = TestSetEvaluation.TestPaths(config) is { } testPaths ? new TestSetEvaluation(config, testPaths, config.GlobalBatchSize) : null;

        var metadata = trainSplit.Metadata;
        var modelConfig = config.Arch.ModelFor(metadata.SeqLen, metadata.VocabSize, metadata.NumPuzzleIdentifiers);
        var model = new ActLossHead(modelConfig, config.Arch.Loss.LossType);
        model.to(device);
        if (config.LoadCheckpoint is { } initial) InitialWeights.Load(model, initial);
        setup = new TrainingSetup(model, TrainingSettings.From(config), device);   // learning rates: set per step by the schedule

        long totalSteps = (long)(config.Epochs * metadata.TotalGroups * metadata.MeanPuzzleExamples / config.GlobalBatchSize);
        state = new TrainerState
        {
            TotalSteps = totalSteps, SeqLen = metadata.SeqLen, VocabSize = metadata.VocabSize, NumPuzzleIdentifiers = metadata.NumPuzzleIdentifiers,
        };
        if (resumeFrom is not null) Restore(resumeFrom);
    }

    /// <summary>Trains to the end (or until <paramref name="cancel"/>), returning the last evaluation's metrics.</summary>
    public IReadOnlyList<SetMetrics> Run(ITrainingObserver display, CancellationToken cancel = default)
    {
        RunCheckpoints.Tidy(RunDirectory);   // what a killed run left half-written
        using var log = new RunLog(RunDirectory, display);
        var observer = log;
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
                    if (cancel.IsCancellationRequested)
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
                using var averaged = EmaModel();   // evaluated and saved: built once
                last = Evaluate(observer, averaged ?? model);
                state = state with { IterationComplete = true };
                var saved = Path.Combine(RunDirectory, $"{RunCheckpoints.StepPrefix}{state.Step}");
                SaveCheckpoint(observer, saved, averaged);
                RunCheckpoints.Prune(RunDirectory, new RunCheckpoints.Saved(saved, state.Step), keepEarlierSteps: config.CheckpointEveryEval);
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
        var report = trainingStep.Run(loaded.Batch);

        // As the reference logs: losses per example of the global batch, other metrics per halted example.
        return new StepReport(state.Step, state.TotalSteps, report.Metrics.Mean(lossDivisor: config.GlobalBatchSize), lr, elapsed);
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
            Path.Combine(RunDirectory, $"step_{state.Step}_all_preds.0"), observer.OnMessage);
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
        observer.OnCheckpoint(directory);
    }

    void WriteCheckpoint(string directory, ActLossHead? averaged)
    {
        CheckpointFiles.Write(directory, new CheckpointFiles.Contents(
            config,
            model.state_dict(),
            averaged?.state_dict(),
            weightOptimizer?.ExportState() ?? [],
            trainingStep.Carry,
            state with { ExplorationGeneratorState = Convert.ToBase64String(explorationGenerator.get_state().data<byte>().ToArray()) }));
    }

    void Restore(string directory)
    {
        var saved = CheckpointFiles.ReadState(directory);
        StateDictLoader.Load(model, CheckpointFiles.ReadTensors(directory, CheckpointFiles.Weights), Path.Combine(directory, CheckpointFiles.Weights));
        weightOptimizer?.ImportState(CheckpointFiles.ReadTensors(directory, CheckpointFiles.Optimizer), Path.Combine(directory, CheckpointFiles.Optimizer));
        if (ema is not null)
        {
            var averaged = CheckpointFiles.ReadTensors(directory, CheckpointFiles.EmaWeights);
            using var noGrad = no_grad();
            foreach (var (name, shadow) in ema.Shadow) shadow.copy_(averaged[name]);
        }
        if (saved.HasCarry) trainingStep.Carry = CheckpointFiles.ReadCarry(directory, model.Model.Inner.Latents, device);
        explorationGenerator.set_state(tensor(Convert.FromBase64String(saved.ExplorationGeneratorState)));
        state = saved;
    }

    public void Dispose()
    {
        setup.Dispose();
        trainSplit.Dispose();
        testEvaluation?.Dispose();
    }
}
