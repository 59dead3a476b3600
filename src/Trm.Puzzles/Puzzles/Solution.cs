namespace Trm.Puzzles;

/// <summary>One supervision step of one puzzle: the decoded answer (token ids), the Q head's halting probability sigmoid(q_halt),
/// and, where measured, how much the logits moved since the previous step (root mean square; NaN at the first step or unmeasured).</summary>
public sealed record SolveStep(int[] Answer, double HaltProbability, double LogitChange = double.NaN);

/// <summary>One distinct answer among a puzzle's trajectories: how many gave it and their mean halting probability at their last step.</summary>
public sealed record AnswerCandidate(int[] Answer, int Trajectories, double MeanHaltProbability);

/// <summary>
/// A model's answer to one <see cref="PuzzleRequest"/>: <see cref="Answer"/> (token ids, seq_len) of its last step,
/// <see cref="StepsUsed"/>, every step's answer and confidence (the refinement), and why it stopped there. With test-time
/// compute these are the chosen trajectory's, mapped back into the puzzle's frame, and <see cref="Candidates"/> says how the
/// trajectories' answers spread (most frequent first).
/// </summary>
public sealed record Solution(int[] Answer, int StepsUsed, IReadOnlyList<SolveStep> Steps, StopReason Stopped)
{
    /// <summary>Every distinct answer of the puzzle's trajectories; empty for a single trajectory.</summary>
    public IReadOnlyList<AnswerCandidate> Candidates { get; init; } = [];

    /// <summary>The Q head's halting probability at the step whose answer was taken.</summary>
    public double HaltProbability => Steps[StepsUsed - 1].HaltProbability;
}
