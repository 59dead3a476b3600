namespace Trm.Puzzles.Sudoku;

/// <summary>A Sudoku to solve: where it came from, its grid, and the answer its file gives (a CSV's), if any.</summary>
public sealed record SudokuQuestion(string Label, SudokuGrid Grid, SudokuGrid? Expected = null) : IPuzzle<SudokuOutcome>, IAugmentable
{
    /// <summary>Cells of the grid, from a vocabulary of digit + 1, 0 pad and 1 blank.</summary>
    public PuzzleShape Shape => new($"a {Grid.Geometry.Size}x{Grid.Geometry.Size} Sudoku", Grid.Geometry.CellCount, Grid.Geometry.Size + 2);

    public IReadOnlyList<PuzzleRequest> Requests() => [new(SudokuText.Tokens(Grid))];

    /// <summary>Random validity-preserving transforms (<see cref="SudokuTransform.Random"/>: digits relabelled, transposed where
    /// boxes are square, bands, stacks, and rows and columns within them shuffled), drawn from <paramref name="seed"/> and the grid.</summary>
    public IReadOnlyList<AugmentedView> Augmentations(int count, ulong seed)
    {
        var tokens = SudokuText.Tokens(Grid);
        var random = new Random((int)(seed ^ new PuzzleRequest(tokens).ContentHash()));
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            var transform = SudokuTransform.Random(Grid.Geometry, random);
            return new AugmentedView(transform.ApplyTokens(tokens), transform.InvertTokens);
        })];
    }

    /// <summary>The answer as a grid, checked: a valid solution that keeps every given.</summary>
    public SudokuOutcome Conclude(IReadOnlyList<Solution> solutions)
    {
        var solution = solutions.Single();
        var answer = SudokuText.FromTokens(Grid.Geometry, solution.Answer);
        return new SudokuOutcome(this, solution, answer, SudokuValidator.ConsistencyProblem(Grid, answer) ?? SudokuValidator.Problem(answer));
    }
}

/// <summary>A Sudoku's answer: the grid the model wrote, and why it is not a solution (null when it is one).</summary>
public sealed record SudokuOutcome(SudokuQuestion Question, Solution Solution, SudokuGrid Answer, string? Problem) : PuzzleOutcome, ISolvedFrom
{
    public override string? Problem { get; } = Problem;

    public override bool? Solved => Problem is null;

    /// <summary>Whether the answer is the one the file gives; null when it gives none.</summary>
    public bool? MatchesExpected => Question.Expected is null ? null : Answer.Equals(Question.Expected);

    public override SudokuSolveRecord Record() => new SudokuSolveRecord(Question.Grid.ToString(), Answer.ToString(), Problem is null, Problem, Solution.StepsUsed,
        [.. Solution.Steps.Select(s => new SudokuSolveStep(SudokuText.FromTokens(Question.Grid.Geometry, s.Answer).ToString(), s.HaltProbability))])
        with { Runs = RunAnswer.Of(Question, Solution) };
}
