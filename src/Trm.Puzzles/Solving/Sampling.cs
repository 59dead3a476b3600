using Trm.Limits;
using Trm.Model;

namespace Trm.Solving;

/// <summary>How one answer is chosen among a puzzle's trajectories (noisy runs and augmented copies, answers mapped back).</summary>
public enum TrajectorySelection
{
    /// <summary>The trajectory whose Q head is most confident at its last step (highest q_halt; PTRM's best-Q@K).</summary>
    Q,
    /// <summary>The most frequent answer (mode@K); ties go to the higher mean sigmoid(q_halt).</summary>
    Vote,
    /// <summary>The answer with the largest sum of sigmoid(q_halt) over the trajectories that gave it.</summary>
    QVote,
    /// <summary>The trajectory whose logits changed least over its last steps (Equilibrium Reasoners' "top-1 converged").</summary>
    Converged,
}

/// <summary>
/// Test-time compute for one solve: <see cref="Trajectories"/> runs of each puzzle (K), with Gaussian noise of scale
/// <see cref="Noise"/> on the latents <see cref="NoiseOn"/> before every supervision step (Probabilistic TRM), on the
/// puzzle and on <see cref="Augment"/> augmented copies of it where its kind has augmentations (answers mapped back), one
/// answer chosen by <see cref="Select"/>. The noise of a trajectory is drawn from a generator of its own, seeded from
/// <see cref="Seed"/> and the puzzle's tokens, so an answer does not depend on the other puzzles in the batch or the batch
/// size, and the same seed repeats bit for bit. The supervision steps are <see cref="SolveOptions.MaxSteps"/> (D). The default,
/// one trajectory without noise or copies, is the plain solve.
/// </summary>
public sealed record Sampling(int Trajectories = 1, double Noise = 0, NoiseTarget NoiseOn = NoiseTarget.ZL,
    TrajectorySelection Select = TrajectorySelection.Q, int Augment = 0, ulong Seed = 0)
{
    /// <summary>Most runs per puzzle in all (trajectories x (copies + 1)).</summary>
    public const int MaxRuns = 4096;

    public static readonly Sampling None = new();

    /// <summary>One trajectory, no noise, no copies: exactly the plain solve.</summary>
    public bool IsPlain => Trajectories == 1 && Noise == 0 && Augment == 0;

    /// <summary>Runs of each puzzle: trajectories x (copies + 1).</summary>
    public int RunsPerPuzzle => Trajectories * (Augment + 1);

    /// <summary>Whether choosing needs each run's logit changes (<see cref="TrajectorySelection.Converged"/>).</summary>
    public bool MeasuresChange => Select == TrajectorySelection.Converged;

    /// <summary>The noise the latents get, or null without noise.</summary>
    public LatentNoise? LatentNoise => Noise > 0 ? new LatentNoise(Noise, NoiseOn) : null;

    /// <summary>These settings, or a <see cref="TrmSettingsException"/> naming every unusable one; needs no model.</summary>
    public Sampling Checked()
    {
        var problems = new List<SettingProblem>();
        void Within(string setting, double value) { if (UserLimits.Setting(setting).Problem(value) is { } problem) problems.Add(problem); }
        Within(nameof(Trajectories), Trajectories);
        Within(nameof(Noise), Noise);
        if (!Enum.IsDefined(NoiseOn)) problems.Add(new(nameof(NoiseOn), $"must be z_L, z_H or both (is {NoiseOn})"));
        if (!Enum.IsDefined(Select)) problems.Add(new(nameof(Select), $"must be q, vote, qvote or converged (is {Select})"));
        Within(nameof(Augment), Augment);
        if (problems.Count == 0 && (long)Trajectories * (Augment + 1) > MaxRuns)
            problems.Add(new(nameof(Trajectories), $"x ({nameof(Augment)} + 1) must be at most {MaxRuns} runs per puzzle (is {(long)Trajectories * (Augment + 1)})"));
        return problems.Count == 0 ? this : throw new TrmSettingsException(problems);
    }

    /// <summary>The name flags and tables use: q, vote, qvote, converged.</summary>
    public static string Name(TrajectorySelection select) => select.ToString().ToLowerInvariant();
}
