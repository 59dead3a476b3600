using Trm.Data;

namespace Trm.Puzzles.Maze;

/// <summary>A maze to solve: where it came from and its grid (walls, open cells, S and G).</summary>
public sealed record MazeQuestion(string Label, MazeGrid Grid) : IPuzzle<MazeOutcome>, IAugmentable
{
    /// <summary>Cells of the square grid, from a vocabulary of pad and <c># SGo</c>.</summary>
    public PuzzleShape Shape => new($"a {Grid.Size}x{Grid.Size} maze", Grid.Size * Grid.Size, MazeGrid.Charset.Length + 1);

    public IReadOnlyList<PuzzleRequest> Requests() => [new([.. Grid.ToTokens().Select(t => (int)t)])];

    /// <summary>The maze turned and flipped (the dihedral transforms 1..7, at most seven copies; the order is fixed, the seed unused).</summary>
    public IReadOnlyList<AugmentedView> Augmentations(int count, ulong seed)
    {
        var tokens = Requests()[0].Tokens;
        return [.. Enumerable.Range(1, Math.Min(count, Dihedral.Count - 1)).Select(t =>
            new AugmentedView(Turn(tokens, t), answer => Turn(answer, Dihedral.Inverse[t])))];
    }

    // Row-major tokens of the square grid under dihedral transform t.
    int[] Turn(int[] tokens, int transform)
    {
        int size = Grid.Size;
        var grid = new int[size, size];
        for (int i = 0; i < tokens.Length; i++) grid[i / size, i % size] = tokens[i];
        var turned = Dihedral.Apply(grid, transform);
        return [.. Enumerable.Range(0, tokens.Length).Select(i => turned[i / size, i % size])];
    }

    /// <summary>The answer as a maze, checked: a path of <c>o</c> from S to G, and a shortest one.</summary>
    public MazeOutcome Conclude(IReadOnlyList<Solution> solutions)
    {
        var solution = solutions.Single();
        var answer = MazeText.FromTokens(solution.Answer);
        var verdict = answer is null ? new MazeVerdict(false, false, "the answer holds tokens that are not maze cells") : MazeValidator.Assess(Grid, answer);
        return new MazeOutcome(this, solution, answer, verdict);
    }
}

/// <summary>A maze's answer: the grid the model drew (null when its tokens are not maze cells) and the validator's verdict.</summary>
public sealed record MazeOutcome(MazeQuestion Question, Solution Solution, MazeGrid? Answer, MazeVerdict Verdict) : PuzzleOutcome, ISolvedFrom
{
    /// <summary>A shortest path from S to G.</summary>
    public override bool? Solved => Verdict.Shortest;

    public override string? Problem => Verdict.Problem;

    public override MazeSolveRecord Record() => new MazeSolveRecord(Question.Grid.ToDisplayString().Split('\n'), MazeText.Rows(Solution.Answer), Verdict.ConnectsStartToGoal,
        Verdict.Shortest, Verdict.Problem, Solution.StepsUsed, [.. Solution.Steps.Select(s => new MazeSolveStep(MazeText.Rows(s.Answer), s.HaltProbability))])
        with { Runs = RunAnswer.Of(Question, Solution) };
}
