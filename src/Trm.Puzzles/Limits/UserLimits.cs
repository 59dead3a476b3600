using System.Text.Json.Nodes;

namespace Trm.Limits;

/// <summary>
/// The one declaration of what a user may set, each value with its range (<see cref="Limit"/>): the training config's keys
/// (<see cref="Config"/>, with the model's <see cref="Arch"/> fields under <c>arch.</c>), a split's <c>dataset.json</c>
/// (<see cref="Dataset"/>), the library settings that the CLI's flags set (<see cref="Settings"/>, by their C# names) and the
/// environment variables read (<see cref="Environment"/>). Every reader checks through these; the generated limits test
/// (<c>tests/Trm.Tests/Limits</c>) walks them all, so a value added here is tried at its extremes without a new case.
/// Upper bounds are far above any real run and stop absurd values early (a count that would hang, a size that would overflow);
/// whether a run fits the machine is the memory estimate's to say (<c>Model/MemoryEstimate</c>).
/// </summary>
public static class UserLimits
{
    // Sizes shared by the model's configuration and dataset.json, which fills them in.
    public const int MaxSeqLen = 1 << 16;        // ARC and mazes: 900
    public const int MaxVocabSize = 1 << 20;     // Sudoku 11, ARC 12
    public const int MaxPuzzleIdentifiers = 1 << 28;   // ARC with 1000 augmentations of 1000 tasks: about 1e6
    public const int MaxBatchSize = 1 << 20;
    public const int MaxSupervisionSteps = 1024;
    public const int MaxThreads = 1024;

    static readonly Limit SeqLen = Limit.Integer("seq_len", 1, MaxSeqLen);
    static readonly Limit VocabSize = Limit.Integer("vocab_size", 1, MaxVocabSize);
    static readonly Limit PuzzleIdentifiers = Limit.Integer("num_puzzle_identifiers", 1, MaxPuzzleIdentifiers);

    /// <summary>The model's fields (<c>TrmConfig</c>, the <c>arch</c> section), by their reference names.</summary>
    public static IReadOnlyList<Limit> Arch { get; } =
    [
        SeqLen, VocabSize, PuzzleIdentifiers,
        Limit.Integer("hidden_size", 1, 1 << 16),
        Limit.Integer("num_heads", 1, 1 << 12),
        Limit.Number("expansion", 0, 64) with { MinOpen = true },
        Limit.Integer("H_cycles", 1, 1024, "each supervision step runs H_cycles x (L_cycles + 1) applications"),
        Limit.Integer("L_cycles", 1, 1024, "each supervision step runs H_cycles x (L_cycles + 1) applications"),
        Limit.Integer("L_layers", 1, 256),
        Limit.Integer("H_layers", 0, 256),
        Limit.Text("pos_encodings", 64),
        Limit.Number("rope_theta", 0, 1e12) with { MinOpen = true },
        Limit.Number("rms_norm_eps", 0, 1) with { MinOpen = true },
        Limit.Boolean("mlp_t"),
        Limit.Integer("puzzle_emb_ndim", 0, 1 << 20),
        Limit.Integer("puzzle_emb_len", 0, 4096),
        Limit.Integer("halt_max_steps", 1, MaxSupervisionSteps),
        Limit.Number("halt_exploration_prob", 0, 1),
        Limit.Boolean("no_ACT_continue"),
        Limit.Boolean("act_enabled"),
        Limit.Boolean("act_inference"),
        Limit.Text("forward_dtype", 64),
    ];

    /// <summary>The training config's keys (<c>TrainConfig</c>), with the <c>arch</c> section's own (its name and loss) but not the model's fields.</summary>
    public static IReadOnlyList<Limit> Config { get; } =
    [
        Limit.Text("arch.name", 256).OrNull(),
        Limit.Text("arch.loss.name", 256),
        Limit.Text("arch.loss.loss_type", 256),
        Limit.TextList("data_paths", 1, 64, "name the dataset directories, e.g. data_paths=[data/sudoku]"),
        Limit.TextList("data_paths_test", 0, 64),
        Limit.List("evaluators", 16),
        Limit.Integer("global_batch_size", 1, MaxBatchSize, "lower global_batch_size"),
        Limit.Integer("epochs", 1, 1_000_000_000),
        Limit.Number("lr", 0, 1000),
        Limit.Number("lr_min_ratio", 0, 1),
        Limit.Integer("lr_warmup_steps", 0, int.MaxValue),
        Limit.Number("weight_decay", 0, 1000),
        Limit.Number("beta1", 0, 1) with { MaxOpen = true },
        Limit.Number("beta2", 0, 1) with { MaxOpen = true },
        Limit.Number("puzzle_emb_lr", 0, 1000),
        Limit.Number("puzzle_emb_weight_decay", 0, 1000),
        Limit.Text("project_name", 255).OrNull(),
        Limit.Text("run_name", 255).OrNull(),
        Limit.Text("load_checkpoint", 4096).OrNull(),
        Limit.Text("checkpoint_path", 4096).OrNull(),
        Limit.Integer("seed", int.MinValue, int.MaxValue),
        Limit.Boolean("checkpoint_every_eval"),
        Limit.Integer("eval_interval", 1, 1_000_000_000).OrNull(),
        Limit.Integer("min_eval_interval", 0, 1_000_000_000).OrNull(),
        Limit.TextList("eval_save_outputs", 0, 16),
        Limit.Boolean("ema"),
        Limit.Number("ema_rate", 0, 1) with { MinOpen = true, MaxOpen = true },
        Limit.Boolean("freeze_weights"),
        Limit.Text("device", 64),
        Limit.Integer("threads", 0, MaxThreads, "0 uses libtorch's default (all cores)"),
    ];

    /// <summary>A split's <c>dataset.json</c>: every field but <c>ignore_label_id</c> and <c>sets</c> must be present.</summary>
    public static IReadOnlyList<Limit> Dataset { get; } =
    [
        Limit.Integer("pad_id", 0, MaxVocabSize - 1).InFile(),
        Limit.Integer("ignore_label_id", 0, MaxVocabSize - 1).OrNull(),
        Limit.Integer("blank_identifier_id", 0, MaxPuzzleIdentifiers - 1).InFile(),
        VocabSize.InFile(), SeqLen.InFile(), PuzzleIdentifiers.InFile(),
        Limit.Integer("total_groups", 0, int.MaxValue).InFile(),
        Limit.Number("mean_puzzle_examples", 0, 1e9).InFile(),
        Limit.Integer("total_puzzles", 0, int.MaxValue).InFile(),
        Limit.TextList("sets", 1, 64),
    ];

    /// <summary>
    /// Settings of library calls that the CLI's flags set, by their C# names (a flag names its setting through
    /// <c>CommandRunner</c>'s map). A name serves every call whose setting means the same (the batch size of a solve and of an evaluation).
    /// </summary>
    public static IReadOnlyList<Limit> Settings { get; } =
    [
        Limit.Integer("BatchSize", 1, MaxBatchSize, "lower it; memory grows with it"),
        Limit.Integer("MaxSteps", 1, MaxSupervisionSteps),
        Limit.Number("HaltThreshold", 0, 1) with { MinOpen = true, MaxOpen = true },
        Limit.Integer("Trajectories", 1, 1024),
        Limit.Number("Noise", 0, 100),
        Limit.Integer("Augment", 0, 1024),
        Limit.Integer("Seed", 0, 1L << 53),
        Limit.Integer("Slots", 1, 4096),
        Limit.Integer("Queue", 1, 1_000_000),
        Limit.Integer("MaxStepsLimit", 1, 256),
        Limit.Integer("MaxTrajectories", 1, 4096),
        Limit.Integer("SeqLen", 1, MaxSeqLen),
        Limit.Number("MeasureSeconds", 0, 3600) with { MinOpen = true },
        Limit.Number("RequestTimeout", 0, 86_400) with { MinOpen = true },
        Limit.Number("Grace", 0, 3600),
        Limit.Integer("Threads", 0, MaxThreads, "0 uses libtorch's default (all cores; trm serve: one thread for a single request when measured faster)"),
        Limit.Integer("Batch", 1, MaxBatchSize),
        Limit.Integer("Steps", 1, 1_000_000),
        Limit.Integer("InferenceSteps", 1, MaxSupervisionSteps),
        Limit.Integer("NumAug", 0, 100_000),
        Limit.Integer("AdaptEpochs", 1, 1_000_000),
        Limit.Integer("AdaptSteps", 1, 100_000_000),
        Limit.Number("AdaptLr", 0, 1000),
        Limit.Integer("AdaptBatchSize", 1, MaxBatchSize),
        Limit.Integer("AdaptSeed", 0, uint.MaxValue),
        Limit.Integer("SubsampleSize", 1, int.MaxValue),
        Limit.Integer("MinDifficulty", 0, 1000),
        Limit.Integer("DataSeed", int.MinValue, int.MaxValue),
        Limit.Integer("Train", 0, 10_000_000),
        Limit.Integer("Test", 0, 10_000_000),
        Limit.Integer("Size", 4, 256),
        Limit.Integer("MinPath", 1, 65_536),
        Limit.Integer("FrameDelay", 10, 60_000),
        Limit.Integer("CellPixels", 2, 100),
        Limit.Integer("Limit", 1, 10_000_000),
    ];

    /// <summary>Environment variables the program reads: a launcher's job size and what the user may set.</summary>
    public static IReadOnlyList<Limit> Environment { get; } =
    [
        Limit.Integer("OMPI_COMM_WORLD_SIZE", 1, 65_536).OrNull(),
        Limit.Integer("SLURM_STEP_NUM_TASKS", 1, 65_536).OrNull(),
        Limit.Integer("PMI_SIZE", 1, 65_536).OrNull(),
        Limit.Text("TRM_MPI_LIBRARY", 4096).OrNull(),
        (Limit.Text("TRM_API_KEY", 4096) with { Min = 8 }).OrNull(),
    ];

    /// <summary>Every declared value, each group once.</summary>
    public static IEnumerable<(string Group, Limit Limit)> All =>
        Arch.Select(l => ("arch", l)).Concat(Config.Select(l => ("config", l))).Concat(Dataset.Select(l => ("dataset.json", l)))
            .Concat(Settings.Select(l => ("setting", l))).Concat(Environment.Select(l => ("environment", l)));

    /// <summary>The setting named <paramref name="name"/> in <see cref="Settings"/>.</summary>
    public static Limit Setting(string name) => Settings.Single(l => l.Name == name);

    /// <summary>
    /// Every value of <paramref name="limits"/> in <paramref name="node"/> (dotted names: <c>loss.name</c>) outside its limit,
    /// each named with <paramref name="prefix"/> (<c>arch.</c>). A value the node does not hold is a problem only when required.
    /// <paramref name="nullsOnly"/>: only nulls where a value must be (before a document is bound and complete).
    /// </summary>
    public static List<SettingProblem> Problems(IEnumerable<Limit> limits, JsonObject node, string prefix = "", bool nullsOnly = false)
    {
        var problems = new List<SettingProblem>();
        foreach (var limit in limits)
        {
            var (present, value) = Find(node, limit.Name);
            var problem = !present ? (limit.Required ? new SettingProblem(limit.Name, "is missing") : null)
                : nullsOnly && value is not null ? null : limit.Problem(value);
            if (problem is not null) problems.Add(problem with { Setting = prefix + problem.Setting });
        }
        return problems;
    }

    static (bool Present, JsonNode? Value) Find(JsonObject node, string dotted)
    {
        var parts = dotted.Split('.');
        for (int i = 0; i < parts.Length - 1; i++)
            if (node[parts[i]] is JsonObject child) node = child;
            else return (false, null);
        return node.TryGetPropertyValue(parts[^1], out var value) ? (true, value) : (false, null);
    }

    /// <summary>The environment variable <paramref name="name"/> (declared in <see cref="Environment"/>), checked: null when unset or empty.</summary>
    /// <param name="read">Reads a variable; default: this process's environment (a test passes its own).</param>
    public static string? FromEnvironment(string name, Func<string, string?>? read = null)
    {
        var limit = Environment.Single(l => l.Name == name);
        var text = (read ?? System.Environment.GetEnvironmentVariable)(name);
        if (string.IsNullOrEmpty(text)) return null;
        JsonNode value = limit.Kind == ValueKind.Integer && double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? JsonValue.Create(number) : JsonValue.Create(text);
        if (limit.Problem(value) is { } problem)
            throw new TrmException($"environment variable {name} {problem.Problem}; unset it or set it within the limit.");
        return text;
    }
}
