using Trm.Model;

namespace Trm.Benchmarking;

/// <summary>
/// How much to measure. <see cref="Batch"/> and <see cref="Dtypes"/> override every preset's (null: the preset's);
/// <see cref="InferenceSteps"/> caps the supervision steps of inference (null: halt_max_steps). <see cref="Threads"/>
/// 0 keeps libtorch's default.
/// </summary>
public sealed record BenchmarkSettings
{
    public string Device { get; init; } = "cpu";
    public int Threads { get; init; }
    public IReadOnlyList<ForwardDtype>? Dtypes { get; init; }
    public int? Batch { get; init; }
    public bool Quick { get; init; }
    /// <summary>Skip the seq-900 presets (a quick run over all presets does; naming them runs them reduced).</summary>
    public bool SkipLongSequences { get; init; }

    public int WarmupSteps { get; init; } = 2;
    public int Steps { get; init; } = 10;
    /// <summary>Repeats of the forward-alone and optimizers-alone timings that split a training step.</summary>
    public int BreakdownRepeats { get; init; } = 3;
    public int? InferenceSteps { get; init; }
    /// <summary>Also time each kind of work in one net application (<see cref="NetProfile"/>).</summary>
    public bool Profile { get; init; }
    /// <summary>Inference runs this many batches of puzzles through the slots.</summary>
    public int InferenceBatches { get; init; } = 1;
    public double LoaderSeconds { get; init; } = 1.0;

    public int CeilingRepeats { get; init; } = 5;
    public double CeilingTargetSeconds { get; init; } = 0.1;
    public int CeilingMaxSize { get; init; } = 8192;

    /// <summary>A run over the seq-81 and small presets that takes well under a minute on a 2-core CPU.</summary>
    public static BenchmarkSettings QuickRun { get; } = new()
    {
        Quick = true, WarmupSteps = 1, Steps = 2, BreakdownRepeats = 1, InferenceSteps = 2, LoaderSeconds = 0.3,
        CeilingRepeats = 3, CeilingTargetSeconds = 0.05, CeilingMaxSize = 4096,
    };

    public void Validate()
    {
        var problems = new List<SettingProblem>();
        if (Threads < 0) problems.Add(new(nameof(Threads), $"must be 0 (libtorch's default) or positive (is {Threads})"));
        if (Batch is < 1) problems.Add(new(nameof(Batch), $"must be positive (is {Batch})"));
        if (Steps < 1) problems.Add(new(nameof(Steps), $"must be at least 1 (is {Steps})"));
        if (WarmupSteps < 0) problems.Add(new(nameof(WarmupSteps), $"must be 0 or more (is {WarmupSteps})"));
        if (InferenceSteps is < 1) problems.Add(new(nameof(InferenceSteps), $"must be at least 1 (is {InferenceSteps})"));
        foreach (var dtype in Dtypes ?? [])
            if (dtype is not (ForwardDtype.Float32 or ForwardDtype.BFloat16)) problems.Add(new(nameof(Dtypes), $"must be float32 or bfloat16 (is '{ReferenceNames.Of(dtype)}')"));
        if (problems.Count > 0) throw new TrmSettingsException(problems);
    }
}
