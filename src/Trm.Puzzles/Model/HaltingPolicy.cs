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

    static HaltingPolicy Checked(HaltingPolicy policy)
    {
        var problems = new List<SettingProblem>();
        if (policy.MaxSteps < 1) problems.Add(new(nameof(MaxSteps), $"must be at least 1 (is {policy.MaxSteps})"));   // a user's cap is also declared (SolveOptions)
        if (policy.Rule == HaltRule.Probability && Limits.UserLimits.Setting(nameof(HaltThreshold)).Problem(policy.HaltThreshold) is { } threshold) problems.Add(threshold);
        return problems.Count == 0 ? policy : throw new TrmSettingsException(problems);
    }

    /// <summary>The logit of <see cref="HaltThreshold"/>, log(p / (1 - p)): sigmoid(q) &gt; p where q is above it. Compared in float64,
    /// so that a float32 logit compares as sigmoid(q) &gt; p does on the CPU.</summary>
    public double ThresholdLogit => Math.Log(HaltThreshold / (1 - HaltThreshold));

    /// <summary>Whether <see cref="Rule"/> halts one slot, the step cap aside (for one row of float32 Q logits; the
    /// model's training halts whole batches of them, <c>Trm.Model.HaltingPolicyTensors</c>); never for <see cref="HaltRule.FixedSteps"/>.</summary>
    public bool QHeadSaysDone(float qHalt, float qContinue) => Rule switch
    {
        HaltRule.FixedSteps => false,
        HaltRule.QHalt => qHalt > 0,
        HaltRule.QHaltOverContinue => qHalt > qContinue,
        _ => qHalt > ThresholdLogit,
    };
}
