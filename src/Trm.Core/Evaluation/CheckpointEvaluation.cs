using Trm.IO;
using System.Text.Json;
using System.Text.Json.Nodes;
using Trm.Configuration;
using Trm.Checkpoints;
using Trm.Limits;
using Trm.Model;
using Trm.Solving;

namespace Trm.Evaluation;

/// <summary>What <c>trm eval</c> is asked: a checkpoint directory and how to evaluate it.</summary>
/// <param name="Weights">A weights file to use instead of the directory's own (e.g. one of the reference's <c>step_N</c>).</param>
/// <param name="Data">Dataset directories whose test split to use; empty: the run's.</param>
/// <param name="BatchSize">Examples per batch; null: the run's global_batch_size.</param>
/// <param name="ArchOverrides"><c>arch.key=value</c> settings; an error when they contradict the checkpoint unless <paramref name="Force"/>.</param>
/// <param name="Adaptive">Stop each example where the Q head says done, as <c>trm solve</c> does.</param>
/// <param name="MaxSteps">Steps at most (default: halt_max_steps).</param>
/// <param name="HaltThreshold">With <paramref name="Adaptive"/>: the halting probability above which an example stops (0.5 is the reference's q_halt &gt; 0).</param>
/// <param name="Sampling">Test-time compute (noisy trajectories chosen among; not <see cref="Solving.Sampling.Augment"/>, which needs a puzzle kind); null: none.</param>
public sealed record CheckpointEvaluationRequest(string Checkpoint, string? Weights = null, IReadOnlyList<string>? Data = null, bool Ema = false,
    string Device = "cpu", int? BatchSize = null, IReadOnlyList<string>? ArchOverrides = null, bool Force = false, string? OutputDirectory = null,
    bool Adaptive = false, int? MaxSteps = null, double HaltThreshold = HaltingPolicy.DefaultThreshold, Sampling? Sampling = null);

/// <summary>
/// Evaluates a saved model. The architecture always comes from the checkpoint's <c>all_config.yaml</c>,
/// never from defaults: the reference's users lost their ARC scores to a mismatched <c>L_cycles</c>, so an
/// <c>arch.*</c> setting that contradicts the checkpoint is refused unless forced. Works on our checkpoint
/// directories and on the reference's (<c>all_config.yaml</c> beside <c>step_N</c> files).
/// </summary>
public static class CheckpointEvaluation
{
    /// <summary>The file of <c>eval_save_outputs</c> tensors in the output directory, as the reference names it.</summary>
    public const string OutputsFile = "all_preds.0";

    public static (EvaluationReport Report, string WeightsFile, TrainConfig Config) Run(CheckpointEvaluationRequest request,
        Action<string>? warn = null, IProgress<Data.BuildProgress>? progress = null)
    {
        if (request.BatchSize is { } asked) UserLimits.Setting(nameof(request.BatchSize)).Check(asked);
        if (request.MaxSteps is { } steps) UserLimits.Setting(nameof(request.MaxSteps)).Check(steps);
        HaltingPolicy.Adaptive(request.MaxSteps ?? 1, request.HaltThreshold);   // the settings are checked before anything loads, used or not
        if (request.Sampling?.Checked() is { Augment: > 0 })
            throw new TrmSettingsException(nameof(Sampling.Augment), "needs puzzles of a known kind to make copies of; a test split is token arrays (solve the kind's CSV instead)");
        var saved = CheckpointFiles.ReadConfig(request.Checkpoint);
        var config = ApplyArchOverrides(saved, request);
        if (request.Data is { Count: > 0 } data) config = config with { DataPathsTest = data };
        var testPaths = TestSetEvaluation.TestPaths(config)
            ?? throw new TrmSettingsException(name => $"no test split in {string.Join(", ", config.DataPathsTest.Count > 0 ? config.DataPathsTest : config.DataPaths)} " +
                $"(each needs test/dataset.json); name a dataset directory with {name(nameof(request.Data))}.");

        int batchSize = request.BatchSize ?? config.GlobalBatchSize;
        using var evaluation = new TestSetEvaluation(config, testPaths, batchSize);
        CheckDataFits(request.Checkpoint, evaluation.Metadata);
        var device = DeviceSelection.Parse(request.Device);
        var weights = CheckpointFiles.WeightsFile(request.Checkpoint, request.Weights, request.Ema);
        var layout = new ModelLayout(evaluation.Metadata.SeqLen, evaluation.Metadata.VocabSize, evaluation.Metadata.NumPuzzleIdentifiers);
        if (device.type == TorchSharp.DeviceType.CPU)   // the batch against the machine, before the model loads
            new MemoryEstimate(config.Arch.ModelFor(layout.SeqLen, layout.VocabSize, layout.NumPuzzleIdentifiers))
                .RequireInferenceFits(nameof(request.BatchSize), (long)batchSize * (request.Sampling?.RunsPerPuzzle ?? 1), MemoryEstimate.MachineBytes);
        using var model = CheckpointModel.Load(config.Arch, layout, weights, device);
        var output = request.OutputDirectory ?? Path.Combine(request.Checkpoint, "evaluation");
        var read = CheckpointFiles.Inputs(request.Checkpoint).Append(weights).ToList();
        UserFile.RequireNotInput(output, read, "choose another output directory");
        UserFile.RequireNotInput(Path.Combine(output, OutputsFile), read, "choose another output directory");
        var sampling = request.Sampling is { IsPlain: false } ? request.Sampling : null;
        var halting = request.Adaptive || request.MaxSteps is not null || sampling is not null
            ? request.Adaptive
                ? HaltingPolicy.Adaptive(request.MaxSteps ?? config.Arch.Model.HaltMaxSteps, request.HaltThreshold)
                : HaltingPolicy.Fixed(request.MaxSteps ?? config.Arch.Model.HaltMaxSteps) : null;
        var report = evaluation.Run(model, device, output, Path.Combine(output, OutputsFile), warn, progress, halting, sampling);
        return (report, weights, config);
    }

    static TrainConfig ApplyArchOverrides(TrainConfig saved, CheckpointEvaluationRequest request)
    {
        var overrides = request.ArchOverrides ?? [];
        if (overrides.Count == 0) return saved;
        foreach (var o in overrides)
            if (!o.TrimStart('+').StartsWith("arch.")) throw new TrmSettingsException(nameof(request.ArchOverrides), $"take only arch.key=value settings ('{o}' is not one)");
        var changed = ConfigLoader.FromYaml(ConfigLoader.ToYaml(saved), Path.Combine(request.Checkpoint, CheckpointFiles.Config), overrides);
        var before = JsonSerializer.SerializeToNode(saved.Arch)!.AsObject();
        var after = JsonSerializer.SerializeToNode(changed.Arch)!.AsObject();
        var differences = after.Where(p => !JsonNode.DeepEquals(p.Value, before[p.Key]))
            .Select(p => $"arch.{p.Key} is {before[p.Key]?.ToJsonString() ?? "unset"} in the checkpoint, {p.Value?.ToJsonString()} here").ToList();
        if (differences.Count > 0 && !request.Force)
            throw new TrmSettingsException(name => $"{string.Join("; ", differences)}. A model evaluated with another architecture than it was trained with " +
                $"scores wrongly; drop the setting, or pass {name(nameof(request.Force))} if this is intended.");
        return changed;
    }

    static void CheckDataFits(string checkpoint, Data.DatasetMetadata metadata)
    {
        if (!File.Exists(Path.Combine(checkpoint, CheckpointFiles.State))) return;   // a reference checkpoint: weight shapes are checked on load
        var trained = CheckpointFiles.ReadState(checkpoint);
        if (trained.SeqLen == 0) return;   // written before the layout was recorded
        var problems = new List<string>();
        if (trained.SeqLen != metadata.SeqLen) problems.Add($"seq_len {metadata.SeqLen} (trained on {trained.SeqLen})");
        if (trained.VocabSize != metadata.VocabSize) problems.Add($"vocab_size {metadata.VocabSize} (trained on {trained.VocabSize})");
        if (trained.NumPuzzleIdentifiers != metadata.NumPuzzleIdentifiers) problems.Add($"num_puzzle_identifiers {metadata.NumPuzzleIdentifiers} (trained on {trained.NumPuzzleIdentifiers})");
        if (problems.Count > 0)
            throw new TrmException($"the test data does not fit the checkpoint {checkpoint}: {string.Join(", ", problems)}. Evaluate on a dataset built like the training data.");
    }
}
