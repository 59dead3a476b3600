using Trm.Configuration;
using Trm.Data;
using Trm.Distributed;
using Trm.Model;
using Trm.Solving;
using static TorchSharp.torch;

namespace Trm.Evaluation;

/// <summary>What one evaluation found: metrics per test set, and the evaluators' metrics (e.g. <c>ARC/pass@2</c>).</summary>
public sealed record EvaluationReport(IReadOnlyList<SetMetrics> Sets, IReadOnlyDictionary<string, double> EvaluatorMetrics);

/// <summary>
/// The test split of a run's datasets with the run's evaluators, as <c>pretrain.py</c> sets them up: one
/// ARC evaluator per configured entry and test dataset directory. Used at training-time evaluations and by
/// <c>trm eval</c>, so both score the same way. In a data-parallel job each rank evaluates its slice of every batch, the
/// metrics are summed over the ranks, and rank 0 receives every rank's predictions for the evaluators and writes their files.
/// </summary>
public sealed class TestSetEvaluation : IDisposable
{
    readonly PuzzleSplit split;
    readonly PuzzleBatchLoader loader;
    readonly IReadOnlyList<ArcEvaluator> arcEvaluators;
    readonly IReadOnlyList<string> saveOutputs;
    readonly int batchSize;
    readonly ICollectives group;

    public DatasetMetadata Metadata => split.Metadata;

    /// <param name="group">The data-parallel job evaluating together; null: one process.</param>
    public TestSetEvaluation(TrainConfig config, IReadOnlyList<string> testPaths, int batchSize, ICollectives? group = null)
    {
        this.batchSize = batchSize;
        this.group = group ?? SingleProcess.Instance;
        split = PuzzleSplit.Open(testPaths, "test");
        loader = new PuzzleBatchLoader(split, new LoaderOptions(batchSize, config.Seed, Rank: this.group.Rank, WorldSize: this.group.WorldSize));
        saveOutputs = config.EvalSaveOutputs;
        arcEvaluators = config.Evaluators
            .SelectMany(entry => testPaths.Select(path => new ArcEvaluator(path, ArcEvaluatorOptions.From(entry))))
            .ToList();
    }

    /// <summary>The test directories of a run: <c>data_paths_test</c>, else <c>data_paths</c>; null when one lacks a test split.</summary>
    public static IReadOnlyList<string>? TestPaths(TrainConfig config)
    {
        var paths = config.DataPathsTest.Count > 0 ? config.DataPathsTest : config.DataPaths;
        return paths.All(p => File.Exists(Path.Combine(p, "test", "dataset.json"))) ? paths : null;
    }

    /// <param name="outputDirectory">Where evaluators write their files (ARC's <c>submission.json</c>); null: nowhere.</param>
    /// <param name="outputsPath">Where the <c>eval_save_outputs</c> tensors go; null: not saved.</param>
    /// <param name="halting">null: the reference's evaluation (halt_max_steps steps for every example, losses computed).</param>
    /// <param name="sampling">Test-time compute, with a <paramref name="halting"/> policy; null: none.</param>
    public EvaluationReport Run(ActLossHead model, Device device, string? outputDirectory, string? outputsPath = null,
        Action<string>? warn = null, IProgress<BuildProgress>? progress = null, HaltingPolicy? halting = null, Sampling? sampling = null)
    {
        if (halting is not null && group.IsDistributed())
            throw new TrmSettingsException(name => $"adaptive evaluation ({name(nameof(CheckpointEvaluationRequest.Adaptive))}) runs in one process; run it without a launcher such as mpirun.");
        foreach (var arc in arcEvaluators) arc.BeginEval();
        var saved = outputsPath is not null && saveOutputs.Count > 0 ? new SavedOutputs(saveOutputs) : null;
        Action<BatchPredictions>? onBatch = arcEvaluators.Count == 0 && saved is null ? null : batch =>
        {
            foreach (var arc in arcEvaluators) arc.Update(batch);
            saved?.Add(batch);
        };
        var sets = halting is null
            ? ModelEvaluator.Run(model, loader, device, onBatch, progress, group)
            : AdaptiveEvaluator.Run(model, loader, batchSize, halting, device, onBatch, progress, sampling);
        var evaluatorMetrics = new Dictionary<string, double>();
        if (!group.IsRoot()) return new EvaluationReport(sets, evaluatorMetrics);   // rank 0 holds the predictions
        saved?.Write(outputsPath!);
        for (int i = 0; i < arcEvaluators.Count; i++)
        {
            var directory = outputDirectory is null ? null : Path.Combine(outputDirectory, arcEvaluators.Count == 1 ? "evaluator_ARC" : $"evaluator_ARC_{i}");
            foreach (var (name, value) in arcEvaluators[i].Result(directory, warn)) evaluatorMetrics[name] = value;
        }
        return new EvaluationReport(sets, evaluatorMetrics);
    }

    public void Dispose() => split.Dispose();
}
