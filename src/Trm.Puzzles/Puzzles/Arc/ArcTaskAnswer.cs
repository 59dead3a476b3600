namespace Trm.Puzzles.Arc;

/// <summary>One distinct answer to a test input, in the original colours and orientation, with its votes and their mean sigmoid(q_halt).</summary>
public sealed record ArcCandidateAnswer(byte[,] Grid, int Votes, double MeanHaltProbability);

/// <summary>One supervision step of the un-augmented copy: its answer (cropped to the grid) and the Q head's halting probability.</summary>
public sealed record ArcStep(byte[,] Answer, double HaltProbability);

/// <summary>
/// The answer to one test input: <see cref="Attempts"/> best first (the best repeated when there are fewer distinct
/// answers), every distinct answer with its share of the <see cref="Votes"/>, and the steps of the un-augmented copy
/// (empty when the model has no un-augmented copy of the task).
/// </summary>
public sealed record ArcTestAnswer(byte[,] Input, byte[,]? Expected, IReadOnlyList<byte[,]> Attempts, IReadOnlyList<ArcCandidateAnswer> Candidates,
    int Votes, IReadOnlyList<ArcStep> Steps)
{
    /// <summary>Whether attempt <paramref name="index"/> equals the expected output; null when the task file gives none.</summary>
    public bool? IsCorrect(int index) => Expected is null ? null : SameGrid(Attempts[index], Expected);

    /// <summary>Whether an attempt equals the expected output (ARC's pass@2 for this input); null when the task file gives none.</summary>
    public bool? Solved => Expected is null ? null : Attempts.Any(a => SameGrid(a, Expected));

    static bool SameGrid(byte[,] a, byte[,] b) =>
        a.GetLength(0) == b.GetLength(0) && a.GetLength(1) == b.GetLength(1) && a.Cast<byte>().SequenceEqual(b.Cast<byte>());
}

/// <summary>A task's answers, one per test input in file order, voted over <see cref="Copies"/> copies.</summary>
public sealed record ArcTaskAnswer(string TaskId, int Copies, IReadOnlyList<ArcTestAnswer> Tests) : PuzzleOutcome
{
    /// <summary>False when an expected output is matched by neither attempt; true when every test input's is; else null (outputs not given).</summary>
    public override bool? Solved => Tests.Any(t => t.Solved == false) ? false : Tests.All(t => t.Solved == true) ? true : null;

    public override string? Problem => Tests.Select((t, i) => (t, i)).Where(p => p.t.Solved == false).Select(p => p.i + 1).ToList() is { Count: > 0 } wrong
        ? $"neither attempt equals the expected output of test input {string.Join(", ", wrong)}" : null;

    /// <summary>Per test input its attempts and the un-augmented copy's steps.</summary>
    public override ArcSolveRecord Record() =>
        new(TaskId, [.. Tests.Select(t => new ArcSolveTest(t.Input, t.Expected, t.Attempts[0], t.Attempts[1],
            [.. t.Steps.Select(s => new ArcSolveStep(s.Answer, s.HaltProbability))]))]);
}
