namespace Trm.Puzzles;

/// <summary>
/// What became of one puzzle: whether the model's answer is right by its kind's own check (a valid Sudoku solution that
/// keeps the givens, a shortest path, an ARC attempt equal to the expected output), why not, and the solve record.
/// Each kind's outcome adds its decoded answer.
/// </summary>
public abstract record PuzzleOutcome
{
    /// <summary>Right by the kind's check; null where it cannot be told (an ARC task given without its outputs).</summary>
    public abstract bool? Solved { get; }

    /// <summary>Why the answer is not right, for people; null when it is (or cannot be told).</summary>
    public abstract string? Problem { get; }

    /// <summary>The record <c>trm solve --out</c> writes and <c>trm render trajectory</c> draws.</summary>
    public abstract SolveRecord Record();
}
