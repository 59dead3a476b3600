namespace Trm.Puzzles;

/// <summary>One supervision step of one puzzle: the decoded answer (token ids) and the Q head's halting probability sigmoid(q_halt).</summary>
public sealed record SolveStep(int[] Answer, double HaltProbability);

/// <summary>
/// A model's answer to one <see cref="PuzzleRequest"/>: <see cref="Answer"/> (token ids, seq_len) of its last step,
/// <see cref="StepsUsed"/>, every step's answer and confidence (the refinement), and why it stopped there.
/// </summary>
public sealed record Solution(int[] Answer, int StepsUsed, IReadOnlyList<SolveStep> Steps, StopReason Stopped)
{
    /// <summary>The Q head's halting probability at the step whose answer was taken.</summary>
    public double HaltProbability => Steps[StepsUsed - 1].HaltProbability;
}
