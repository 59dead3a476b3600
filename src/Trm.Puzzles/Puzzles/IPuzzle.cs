namespace Trm.Puzzles;

/// <summary>
/// One puzzle of a kind, as read from what a person typed or a file: the requests a model runs for it, and how their
/// solutions become its checked <see cref="PuzzleOutcome"/>. A Sudoku or maze is one request; an ARC task is one per test
/// input and copy of the task the model knows, voted on.
/// </summary>
public interface IPuzzle
{
    /// <summary>Where it came from, for messages: "puzzle", "test.csv:12", a maze file, a task id.</summary>
    string Label { get; }

    /// <summary>What a model must take to solve it.</summary>
    PuzzleShape Shape { get; }

    /// <summary>The model's inputs for this puzzle, in the order <see cref="Conclude"/> takes their solutions.</summary>
    IReadOnlyList<PuzzleRequest> Requests();

    /// <summary>The answer decoded from the solutions of <see cref="Requests"/>, checked, with its solve record.</summary>
    PuzzleOutcome Conclude(IReadOnlyList<Solution> solutions);
}

/// <summary>A puzzle whose outcome has its kind's own type (<c>SudokuOutcome</c>, <c>MazeOutcome</c>, ...).</summary>
public interface IPuzzle<out TOutcome> : IPuzzle where TOutcome : PuzzleOutcome
{
    /// <inheritdoc cref="IPuzzle.Conclude"/>
    new TOutcome Conclude(IReadOnlyList<Solution> solutions);

    PuzzleOutcome IPuzzle.Conclude(IReadOnlyList<Solution> solutions) => Conclude(solutions);
}
