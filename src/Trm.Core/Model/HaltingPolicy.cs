using static TorchSharp.torch;

namespace Trm.Model;

/// <summary>What, besides reaching the step cap, stops a slot after a supervision step.</summary>
public enum HaltRule
{
    /// <summary>Nothing: every slot runs the cap (the reference's evaluation).</summary>
    FixedSteps,
    /// <summary>q_halt &gt; 0 (the reference's training with no_ACT_continue).</summary>
    QHalt,
    /// <summary>q_halt &gt; q_continue (the reference's training with the Q-continue head).</summary>
    QHaltOverContinue,
    /// <summary>sigmoid(q_halt) &gt; a threshold (adaptive inference; 0.5 is q_halt &gt; 0).</summary>
    Probability,
}

/// <summary>
/// The one halting rule of training, evaluation and inference: a slot halts after a supervision step when it has
/// taken <see cref="MaxSteps"/> steps or when <see cref="Rule"/> says so; with <see cref="ExplorationProb"/> (training)
/// each slot must first, with that probability, run a random minimum of randint(2, MaxSteps) steps.
/// </summary>
public sealed record HaltingPolicy(int MaxSteps, HaltRule Rule = HaltRule.FixedSteps, double HaltThreshold = HaltingPolicy.DefaultThreshold, double? ExplorationProb = null)
{
    /// <summary>Chosen on the default run's training data, where it lost no accuracy against fixed steps (docs/evaluation.md, "Adaptive halting").</summary>
    public const double DefaultThreshold = 0.99;

    /// <summary>Every slot runs <paramref name="maxSteps"/> steps.</summary>
    public static HaltingPolicy Fixed(int maxSteps) => Checked(new(maxSteps));

    /// <summary>A slot stops once its halting probability sigmoid(q_halt) exceeds <paramref name="threshold"/>, or at <paramref name="maxSteps"/>.</summary>
    public static HaltingPolicy Adaptive(int maxSteps, double threshold) => Checked(new(maxSteps, HaltRule.Probability, threshold));

    /// <summary>
    /// The reference's training: q_halt &gt; 0 (no_ACT_continue) or q_halt &gt; q_continue (HRM, the baseline, TRM without
    /// no_ACT_continue), with exploration, when halt_max_steps allows more than one step (and, for the transformer
    /// baseline, act_enabled is set).
    /// </summary>
    public static HaltingPolicy Training(TrmConfig config) => config.HaltMaxSteps <= 1 || !config.ActEnabled ? Fixed(config.HaltMaxSteps)
        : new(config.HaltMaxSteps, config.NoActContinue ? HaltRule.QHalt : HaltRule.QHaltOverContinue, ExplorationProb: config.HaltExplorationProb);

    /// <summary>The reference's evaluation: halt_max_steps fixed steps, or for the transformer baseline with act_inference q_halt &gt; q_continue.</summary>
    public static HaltingPolicy Evaluation(TrmConfig config) => config.ActInference && config.HaltMaxSteps > 1
        ? new(config.HaltMaxSteps, HaltRule.QHaltOverContinue)
        : Fixed(config.HaltMaxSteps);

    static HaltingPolicy Checked(HaltingPolicy policy)
    {
        var problems = new List<SettingProblem>();
        if (policy.MaxSteps < 1) problems.Add(new(nameof(MaxSteps), $"must be at least 1 (is {policy.MaxSteps})"));   // a user's cap is also declared (SolveOptions)
        if (policy.Rule == HaltRule.Probability && Limits.UserLimits.Setting(nameof(HaltThreshold)).Problem(policy.HaltThreshold) is { } threshold) problems.Add(threshold);
        return problems.Count == 0 ? policy : throw new TrmSettingsException(problems);
    }

    /// <summary>Which slots <see cref="Rule"/> halts, the step cap aside: where the Q head says done. (B) bool; none for <see cref="HaltRule.FixedSteps"/>.</summary>
    /// <param name="qHalt">(B) float32 Q logits of this step; <paramref name="qContinue"/> likewise.</param>
    public Tensor QHeadSaysDone(Tensor qHalt, Tensor qContinue) => Rule switch
    {
        HaltRule.FixedSteps => zeros_like(qHalt, dtype: ScalarType.Bool),
        HaltRule.QHalt => qHalt > 0,
        HaltRule.QHaltOverContinue => qHalt > qContinue,
        // In float64, so that the logit compares as sigmoid(q) > p does on the CPU.
        _ => qHalt.to(ScalarType.Float64) > Math.Log(HaltThreshold / (1 - HaltThreshold)),
    };

    /// <summary>Which slots halt after this step.</summary>
    /// <param name="steps">(B) int32, steps taken including this one.</param>
    /// <param name="qHalt">(B) float32 Q logits of this step; <paramref name="qContinue"/> likewise.</param>
    /// <param name="shard">This process's slice of the global batch, <c>(Index, Count)</c> of equal slices: exploration draws for
    /// the whole global batch and keeps the slice, so that data-parallel ranks explore as one process does.</param>
    /// <returns>(B) bool.</returns>
    public Tensor Halted(Tensor steps, Tensor qHalt, Tensor qContinue, Generator? generator, (int Index, int Count) shard = default)
    {
        var halted = steps >= MaxSteps;
        if (Rule == HaltRule.FixedSteps) return halted;
        halted = halted | QHeadSaysDone(qHalt, qContinue);
        if (ExplorationProb is { } probability)
        {
            long local = qHalt.shape[0], slices = Math.Max(shard.Count, 1);
            Tensor Mine(Tensor global) => slices == 1 ? global : global.narrow(0, shard.Index * local, local);
            var explore = Mine(rand([local * slices], generator: generator, device: qHalt.device)) < probability;
            var minSteps = explore * Mine(randint(2, MaxSteps + 1, [local * slices], generator: generator, dtype: steps.dtype, device: steps.device));
            halted = halted & (steps >= minSteps);
        }
        return halted;
    }
}
