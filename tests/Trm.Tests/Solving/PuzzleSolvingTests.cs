using Trm.Inference;
using Trm.Puzzles;
using Trm.Puzzles.Maze;
using Trm.Puzzles.Sudoku;
using Trm.Solving;
using Trm.Tests.Cli;
using Trm.Tests.Training;

namespace Trm.Tests.Solving;

/// <summary>
/// The one solving pipeline (<see cref="PuzzleSolving"/>) over a real model: a tiny 4x4 Sudoku model trained briefly, whose
/// answers are sometimes right and sometimes not, which is what the checks need to see.
/// </summary>
[Collection(nameof(SequentialTraining))]
public class PuzzleSolvingTests(SolveCliTests.TinyCheckpoint checkpoint) : IClassFixture<SolveCliTests.TinyCheckpoint>
{
    static readonly string[] Sudokus = [".4....3..3....2.", "...4.2.3.1......", "1.....1...3.2...", "1..4...2.1..4...", "4.....2..3.....3"];

    [Fact]
    public void OutcomesAreTheModelsAnswersToTheRequestsCheckedByTheKindsValidator()
    {
        using var model = TrmModel.Load(checkpoint.Path);
        var questions = Sudokus.Select((s, i) => SudokuKind.Question(s, $"sudoku {i}")).ToList();
        var outcomes = PuzzleSolving.Solve(model, questions);
        var direct = model.Solve([.. questions.Select(q => SudokuText.Tokens(q.Grid))]);

        Assert.Equal(questions.Count, outcomes.Count);
        foreach (var (outcome, solution, question) in outcomes.Zip(direct, questions))
        {
            Assert.Same(question, outcome.Question);
            Assert.Equal(solution.Answer, outcome.Solution.Answer);
            Assert.Equal(solution.StepsUsed, outcome.Solution.StepsUsed);
            Assert.Equal(SudokuText.FromTokens(question.Grid.Geometry, solution.Answer), outcome.Answer);
            var problem = SudokuValidator.ConsistencyProblem(question.Grid, outcome.Answer) ?? SudokuValidator.Problem(outcome.Answer);
            Assert.Equal(problem, outcome.Problem);
            Assert.Equal(problem is null, outcome.Solved);
            Assert.Null(outcome.MatchesExpected);

            var record = outcome.Record();
            Assert.Equal(SudokuKind.Name, record.Kind);
            Assert.Equal(question.Grid.ToString(), record.Puzzle);
            Assert.Equal(outcome.Solution.Steps.Count, record.Steps.Count);
            Assert.Equal(outcome.Answer.ToString(), record.Steps[record.StepsUsed - 1].Answer);
        }
    }

    [Fact]
    public void EverySolutionSaysWhyItStopped()
    {
        using var model = TrmModel.Load(checkpoint.Path);
        int cap = model.Config.Arch.Model.HaltMaxSteps;
        var questions = Sudokus.Select((s, i) => SudokuKind.Question(s, $"sudoku {i}")).ToList();

        Assert.All(PuzzleSolving.Solve(model, questions, new SolveOptions(Adaptive: false)), o =>
        {
            Assert.Equal(StopReason.FixedSteps, o.Solution.Stopped);
            Assert.Equal(cap, o.Solution.StepsUsed);
        });
        foreach (var threshold in new[] { 0.5, 0.99, 0.999999 })
            Assert.All(PuzzleSolving.Solve(model, questions, new SolveOptions(HaltThreshold: threshold)), o =>
            {
                var s = o.Solution;
                // Before the cap only the Q head stops a puzzle; at the cap it is the Q head if it says done there too.
                var expected = s.StepsUsed < cap || s.HaltProbability > threshold ? StopReason.QHead : StopReason.StepCap;
                Assert.Equal(expected, s.Stopped);
            });
    }

    [Fact]
    public void PuzzlesOfAnotherShapeAreRefusedNamingThem()
    {
        var mixed = new IPuzzle[] { SudokuKind.Question(Sudokus[0], "small"), SudokuKind.Question(".5....2..4....23.....2......3.5.6..4", "large") };
        var error = Assert.Throws<TrmException>(() => PuzzleSolving.Shape(mixed));
        Assert.Equal("large is a 6x6 Sudoku but small is a 4x4 Sudoku; a model solves puzzles of one size, so solve them apart.", error.Message);

        using var model = TrmModel.Load(checkpoint.Path);
        error = Assert.Throws<TrmException>(() => PuzzleSolving.Solve(model, [SudokuKind.Question(".5....2..4....23.....2......3.5.6..4", "large")]));
        Assert.StartsWith("a 6x6 Sudoku is 36 tokens, the model was trained on 16 and has a vocabulary of 8 tokens, the model 6", error.Message);
    }

    [Fact]
    public void OneModelServesThreadsThatSolveAtOnce()
    {
        using var model = TrmModel.Load(checkpoint.Path);
        var questions = Sudokus.Select((s, i) => SudokuKind.Question(s, $"sudoku {i}")).ToList();
        var alone = PuzzleSolving.Solve(model, questions).Select(o => o.Answer.ToString()).ToList();
        var together = Enumerable.Range(0, 8).AsParallel().WithDegreeOfParallelism(4)
            .Select(i => PuzzleSolving.Solve(model, questions, new SolveOptions(BatchSize: 1 + i % 3)).Select(o => o.Answer.ToString()).ToList()).ToList();
        Assert.All(together, answers => Assert.Equal(alone, answers));
    }

    [Fact]
    public void EveryKindIsRegisteredOnceAndReadsItsOwnRecords()
    {
        Assert.Equal(PuzzleKinds.All.Count, PuzzleKinds.All.Select(k => k.Name).Distinct().Count());
        Assert.All(PuzzleKinds.All, kind => Assert.Same(kind, PuzzleKinds.Named(kind.Name)));
        Assert.Null(PuzzleKinds.Named("kakuro"));

        // Each kind's records name it, and the registry hands each record back to the kind that wrote it.
        var sudoku = PuzzleSolving.Shape([SudokuKind.Instance.Parse(Sudokus[0], "typed")]);
        Assert.Equal(new PuzzleShape("a 4x4 Sudoku", 16, 6), sudoku);
        var maze = (MazeQuestion)MazeKind.Instance.Parse("#####\n#S  #\n# # #\n#  G#\n#####", "typed");
        Assert.Equal(new PuzzleShape("a 5x5 maze", 25, 6), maze.Shape);
        var outcome = maze.Conclude([new Solution([.. maze.Grid.ToTokens().Select(t => (int)t)], 1, [new([.. maze.Grid.ToTokens().Select(t => (int)t)], 0.9)], StopReason.QHead)]);
        Assert.False(outcome.Solved);
        using var dir = new TempDirectory();
        SolveRecord.Write(dir.File("maze.json"), [outcome.Record()]);
        var read = Assert.IsType<MazeSolveRecord>(PuzzleKinds.ReadRecord(dir.File("maze.json")));
        Assert.Equal(MazeKind.Name, read.Kind);
        Assert.Equal(outcome.Record().ToJson(), read.ToJson());
    }
}
