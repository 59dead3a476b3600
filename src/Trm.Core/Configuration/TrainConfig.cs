using System.Text.Json;
using System.Text.Json.Serialization;
using Trm.Limits;

namespace Trm.Configuration;

/// <summary>
/// A training run, in the shape of the reference's <c>cfg_pretrain.yaml</c> / <c>all_config.yaml</c>
/// (same keys, same defaults), plus <c>device</c> and <c>threads</c>, which the reference does not need.
/// </summary>
public sealed record TrainConfig
{
    [JsonPropertyName("arch")] public ArchConfig Arch { get; init; } = new();

    [JsonPropertyName("data_paths")] public IReadOnlyList<string> DataPaths { get; init; } = [];
    /// <summary>Datasets whose <c>test/</c> split is evaluated; empty: those of <see cref="DataPaths"/>.</summary>
    [JsonPropertyName("data_paths_test")] public IReadOnlyList<string> DataPathsTest { get; init; } = [];
    [JsonPropertyName("evaluators")] public IReadOnlyList<EvaluatorConfig> Evaluators { get; init; } = [];

    [JsonPropertyName("global_batch_size")] public int GlobalBatchSize { get; init; }
    [JsonPropertyName("epochs")] public int Epochs { get; init; }
    [JsonPropertyName("lr")] public double Lr { get; init; }
    [JsonPropertyName("lr_min_ratio")] public double LrMinRatio { get; init; }
    [JsonPropertyName("lr_warmup_steps")] public int LrWarmupSteps { get; init; }
    [JsonPropertyName("weight_decay")] public double WeightDecay { get; init; }
    [JsonPropertyName("beta1")] public double Beta1 { get; init; }
    [JsonPropertyName("beta2")] public double Beta2 { get; init; }
    [JsonPropertyName("puzzle_emb_lr")] public double PuzzleEmbLr { get; init; }
    [JsonPropertyName("puzzle_emb_weight_decay")] public double PuzzleEmbWeightDecay { get; init; }

    [JsonPropertyName("project_name")] public string? ProjectName { get; init; }
    [JsonPropertyName("run_name")] public string? RunName { get; init; }
    /// <summary>Initial weights: a checkpoint file or directory (ours or the reference's).</summary>
    [JsonPropertyName("load_checkpoint")] public string? LoadCheckpoint { get; init; }
    /// <summary>Run directory for checkpoints and logs; default <c>checkpoints/&lt;project&gt;/&lt;run&gt;</c>.</summary>
    [JsonPropertyName("checkpoint_path")] public string? CheckpointPath { get; init; }

    [JsonPropertyName("seed")] public int Seed { get; init; }
    [JsonPropertyName("checkpoint_every_eval")] public bool CheckpointEveryEval { get; init; }
    /// <summary>Epochs between evaluations; null: one evaluation at the end.</summary>
    [JsonPropertyName("eval_interval")] public int? EvalInterval { get; init; }
    /// <summary>Evaluations start from this iteration (in units of eval_interval epochs).</summary>
    [JsonPropertyName("min_eval_interval")] public int? MinEvalInterval { get; init; } = 0;
    /// <summary>What <c>eval_save_outputs</c> may name.</summary>
    public static readonly string[] SavableOutputs = ["inputs", "labels", "preds", "puzzle_identifiers", "q_halt_logits"];

    [JsonPropertyName("eval_save_outputs")] public IReadOnlyList<string> EvalSaveOutputs { get; init; } = [];
    [JsonPropertyName("ema")] public bool Ema { get; init; }
    [JsonPropertyName("ema_rate")] public double EmaRate { get; init; } = 0.999;
    [JsonPropertyName("freeze_weights")] public bool FreezeWeights { get; init; }

    /// <summary><c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    [JsonPropertyName("device")] public string Device { get; init; } = "cpu";
    /// <summary>CPU threads for torch; 0 keeps libtorch's default (all cores).</summary>
    [JsonPropertyName("threads")] public int Threads { get; init; }

    [JsonIgnore] public int EpochsPerIteration => EvalInterval ?? Epochs;
    [JsonIgnore] public int TotalIterations => Epochs / EpochsPerIteration;

    /// <summary>This config with its paths (data, initial weights, run directory) made absolute against the current directory.</summary>
    public TrainConfig WithAbsolutePaths()
    {
        static string? Full(string? path) => string.IsNullOrWhiteSpace(path) || path.Contains('\0') ? path : Path.GetFullPath(path);
        return this with
        {
            DataPaths = DataPaths.Select(p => Full(p)!).ToList(), DataPathsTest = DataPathsTest.Select(p => Full(p)!).ToList(),
            LoadCheckpoint = Full(LoadCheckpoint), CheckpointPath = Full(CheckpointPath),
        };
    }

    /// <summary>Checks what the reference asserts and what would fail later; lists every problem.</summary>
    public TrainConfig Validate(string source)
    {
        var problems = UserLimits.Problems(UserLimits.Config, JsonSerializer.SerializeToNode(this)!.AsObject()).Select(p => $"{p.Setting} {p.Problem}").ToList();
        void Require(bool ok, string problem) { if (!ok) problems.Add(problem); }

        // A C# caller may pass nulls the YAML reader refuses: the limits above name them, the checks below step over them.
        Require((DataPaths ?? []).Concat(DataPathsTest ?? []).All(p => !string.IsNullOrWhiteSpace(p)), "data_paths and data_paths_test must not hold empty names");
        Require(EpochsPerIteration <= 0 || Epochs % EpochsPerIteration == 0, $"eval_interval ({EvalInterval}) must divide epochs ({Epochs})");
        foreach (var key in EvalSaveOutputs ?? [])
            Require(SavableOutputs.Contains(key), $"eval_save_outputs: '{key}' is not an output; choose from {string.Join(", ", SavableOutputs)}");
        foreach (var evaluator in (Evaluators ?? []).OfType<EvaluatorConfig>())
            Require(evaluator.Name == EvaluatorConfig.Arc, $"evaluator '{evaluator.Name}' is unknown; the one evaluator is {EvaluatorConfig.Arc}");
        // seq_len and vocab_size come from the dataset later; stand-ins let the rest be checked now.
        if (Arch?.Model is { } model) problems.AddRange((model with { SeqLen = 1, VocabSize = 1 }).Problems("arch."));
        else problems.Add("arch must be a mapping of the model's fields");
        if (problems.Count > 0) throw new TrmException($"{source}: {string.Join("; ", problems)}.");
        return this;
    }
}

/// <summary>An evaluator entry: <c>name</c> (<c>arc@ARC</c>) and its options (e.g. <c>submission_K</c>, <c>pass_Ks</c>).</summary>
public sealed record EvaluatorConfig
{
    public const string Arc = "arc@ARC";

    [JsonPropertyName("name")] public string Name { get; init; } = Arc;
    [JsonExtensionData] public Dictionary<string, JsonElement> Options { get; init; } = [];
}
