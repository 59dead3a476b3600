using Trm.Model;

namespace Trm.Solving;

/// <summary>How to solve: at most <paramref name="MaxSteps"/> supervision steps (default: halt_max_steps), stopping
/// early where the Q head says done (halting probability above <paramref name="HaltThreshold"/>) when
/// <paramref name="Adaptive"/>, with <paramref name="BatchSize"/> runs in flight, and test-time compute as <paramref name="Sampling"/> says
/// (default: none).</summary>
public sealed record SolveOptions(int? MaxSteps = null, bool Adaptive = true, int BatchSize = 256, double HaltThreshold = SolveOptions.DefaultHaltThreshold,
    Sampling? Sampling = null)
{
    public const double DefaultHaltThreshold = HaltingPolicy.DefaultThreshold;

    /// <summary>The halting rule these options ask for, with the model's halt_max_steps as the default cap.</summary>
    public HaltingPolicy Policy(int haltMaxSteps) =>
        Adaptive ? HaltingPolicy.Adaptive(MaxSteps ?? haltMaxSteps, HaltThreshold) : HaltingPolicy.Fixed(MaxSteps ?? haltMaxSteps);

    /// <summary>
    /// These options, or a <see cref="TrmSettingsException"/> naming the first unusable setting: <see cref="BatchSize"/> and <see cref="MaxSteps"/> outside their declared limits (<c>UserLimits</c>),
    /// <see cref="MaxSteps"/> and <see cref="HaltThreshold"/> (even when not adaptive) as <see cref="HaltingPolicy"/> judges them, then
    /// <see cref="Sampling"/>'s. Needs no model, so a caller can refuse bad settings before loading one.
    /// </summary>
    public SolveOptions Checked()
    {
        Limits.UserLimits.Setting(nameof(BatchSize)).Check(BatchSize);
        if (MaxSteps is { } steps) Limits.UserLimits.Setting(nameof(MaxSteps)).Check(steps);
        HaltingPolicy.Adaptive(MaxSteps ?? 1, HaltThreshold);   // checks the threshold even for fixed steps: a NaN is never a setting
        Sampling?.Checked();
        return this;
    }

    /// <summary>The test-time compute asked for (<see cref="Sampling.None"/> when unset).</summary>
    public Sampling Compute => Sampling ?? Sampling.None;
}
