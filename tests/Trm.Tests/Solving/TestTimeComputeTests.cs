using Trm.Inference;
using Trm.Model;
using Trm.Puzzles;
using Trm.Puzzles.Maze;
using Trm.Puzzles.Sudoku;
using Trm.Solving;
using Trm.Tests.Cli;
using Trm.Tests.Training;

namespace Trm.Tests.Solving;

/// <summary>Test-time compute (<see cref="Sampling"/>) on a real tiny 4x4 Sudoku model: what must hold whatever the model's skill.</summary>
[Collection(nameof(SequentialTraining))]
public class TestTimeComputeTests(SolveCliTests.TinyCheckpoint checkpoint) : IClassFixture<SolveCliTests.TinyCheckpoint>
{
    static readonly string[] Sudokus = [".4....3..3....2.", "...4.2.3.1......", "1.....1...3.2...", "1..4...2.1..4...", "4.....2..3.....3"];

    static List<SudokuQuestion> Questions() => [.. Sudokus.Select((s, i) => SudokuKind.Question(s, $"sudoku {i}"))];

    static string Answers(IEnumerable<SudokuOutcome> outcomes) => string.Join(" ", outcomes.Select(o => o.Answer.ToString()));

    [Fact]
    public void OneTrajectoryThroughTheSamplerIsThePlainSolve()
    {
        using var model = TrmModel.Load(checkpoint.Path);
        var questions = Questions();
        var plain = PuzzleSolving.Solve(model, questions);
        Assert.Equal(Answers(plain), Answers(PuzzleSolving.Solve(model, questions, new SolveOptions(Sampling: new Sampling(1, 0)))));

        // The sampler's own path with one noiseless trajectory (vote makes it run): the same answers, steps and reasons.
        var forced = new List<SampledPuzzle>();
        var config = Trm.Checkpoints.CheckpointFiles.ReadConfig(checkpoint.Path);
        var requests = questions.Select(q => q.Requests()[0]).ToList();
        using (var network = Trm.Checkpoints.CheckpointModel.Load(config.Arch, new Trm.Checkpoints.ModelLayout(16, model.VocabSize, model.PuzzleIdentifiers),
            Trm.Checkpoints.CheckpointFiles.WeightsFile(checkpoint.Path, null, false), TorchSharp.torch.CPU))
        using (var engine = new ActStepEngine(network.Model, TorchSharp.torch.CPU))
            TrajectorySampler.Run(engine, requests, 3, new SolveOptions().Policy(config.Arch.Model.HaltMaxSteps), new Sampling(1, 0), keepSteps: true, forced.Add);
        Assert.Equal(plain.Select(o => string.Join(",", o.Solution.Answer)), forced.OrderBy(f => f.Index).Select(f => string.Join(",", f.Chosen.Answer)));
        Assert.Equal(plain.Select(o => o.Solution.StepsUsed), forced.OrderBy(f => f.Index).Select(f => f.Chosen.StepsUsed));
        Assert.Equal(plain.Select(o => o.Solution.Stopped), forced.OrderBy(f => f.Index).Select(f => f.Chosen.Stopped));
    }

    [Fact]
    public void TheSameSeedRepeatsAndAPuzzlesAnswerDoesNotDependOnItsCompany()
    {
        using var model = TrmModel.Load(checkpoint.Path);
        var questions = Questions();
        var sampling = new Sampling(8, 0.5, Seed: 7);
        var all = PuzzleSolving.Solve(model, questions, new SolveOptions(BatchSize: 64, Sampling: sampling));
        var again = PuzzleSolving.Solve(model, questions, new SolveOptions(BatchSize: 64, Sampling: sampling));
        Assert.Equal(Answers(all), Answers(again));
        Assert.All(all.Zip(again), p => Assert.Equal(Spread(p.First), Spread(p.Second)));

        // Alone, in another order, with another batch size: each puzzle's runs, and so its answer, are the same.
        for (int i = 0; i < questions.Count; i++)
        {
            var alone = PuzzleSolving.Solve(model, [questions[i]], new SolveOptions(BatchSize: 3, Sampling: sampling))[0];
            Assert.Equal(all[i].Answer, alone.Answer);
            Assert.Equal(Spread(all[i]), Spread(alone));
        }
        var reversed = PuzzleSolving.Solve(model, [.. questions.AsEnumerable().Reverse()], new SolveOptions(BatchSize: 5, Sampling: sampling));
        Assert.Equal(Answers(all), Answers(reversed.Reverse()));

        // The noise is real: other seeds move some run somewhere.
        var spreads = Enumerable.Range(0, 4).Select(seed => string.Join("|", PuzzleSolving.Solve(model, questions,
            new SolveOptions(Sampling: sampling with { Seed = (ulong)seed, Noise = 2 })).Select(Spread))).ToList();
        Assert.True(spreads.Distinct().Count() > 1, "four seeds at sigma 2 gave identical runs");
    }

    static string Spread(SudokuOutcome outcome) =>
        string.Join(";", outcome.Solution.Candidates.Select(c => $"{string.Join(",", c.Answer)}x{c.Trajectories}@{c.MeanHaltProbability:R}"));

    [Theory]
    [InlineData(TrajectorySelection.Q)]
    [InlineData(TrajectorySelection.Vote)]
    [InlineData(TrajectorySelection.QVote)]
    [InlineData(TrajectorySelection.Converged)]
    public void EverySelectionChoosesOneOfTheRunsAndTheOracleIsAtLeastTheChosen(TrajectorySelection select)
    {
        using var model = TrmModel.Load(checkpoint.Path);
        var questions = Questions();
        var outcomes = PuzzleSolving.Solve(model, questions, new SolveOptions(Adaptive: false, Sampling: new Sampling(6, 1.0, Select: select, Augment: 2, Seed: 3)));
        foreach (var (question, outcome) in questions.Zip(outcomes))
        {
            var candidates = outcome.Solution.Candidates;
            Assert.Equal(18, candidates.Sum(c => c.Trajectories));   // 6 trajectories x (2 copies + the puzzle)
            Assert.Contains(candidates, c => c.Answer.SequenceEqual(outcome.Solution.Answer));
            Assert.Equal(outcome.Solution.Answer, outcome.Solution.Steps[^1].Answer);   // the chosen run's steps, mapped back
            if (select == TrajectorySelection.Vote) Assert.Equal(candidates.Max(c => c.Trajectories), candidates.First(c => c.Answer.SequenceEqual(outcome.Solution.Answer)).Trajectories);
            if (select == TrajectorySelection.Converged) Assert.All(outcome.Solution.Steps.Skip(1), s => Assert.False(double.IsNaN(s.LogitChange)));
            bool? oracle = PuzzleSolving.AnyCandidateSolves(question, outcome.Solution);
            Assert.True(oracle == true || outcome.Solved != true, "the chosen answer solves the puzzle but the oracle says no run does");
        }
    }

    [Fact]
    public void AugmentedCopiesMapBackToThePuzzlesFrame()
    {
        var sudoku = SudokuKind.Question(".5....2..4....23.....2......3.5.6..4", "six");
        var solution = SudokuSolver.Solve(sudoku.Grid).Solution!;
        var tokens = SudokuText.Tokens(solution);
        foreach (var view in sudoku.Augmentations(20, seed: 5))
        {
            var copy = SudokuText.FromTokens(sudoku.Grid.Geometry, view.Tokens);
            Assert.Null(SudokuValidator.Problem(SudokuSolver.Solve(copy).Solution!));   // a copy is a Sudoku with a solution
            var moved = SudokuText.FromTokens(sudoku.Grid.Geometry, view.Tokens);
            Assert.Equal(SudokuText.Tokens(sudoku.Grid), view.ToOriginal(view.Tokens));
            Assert.Equal(tokens, view.ToOriginal(SudokuText.Tokens(SudokuSolver.Solve(moved).Solution!)));   // the copy's solution is the puzzle's, moved
        }
        Assert.Equal(20, sudoku.Augmentations(20, 5).Select(v => string.Join(",", v.Tokens)).Count());

        var maze = (MazeQuestion)MazeKind.Instance.Parse("#####\n#S  #\n# # #\n#  G#\n#####", "maze");
        var views = maze.Augmentations(10, 0);
        Assert.Equal(7, views.Count);
        for (int t = 1; t <= 7; t++) Assert.Equal(maze.Grid.Transform(t).ToTokens().Select(b => (int)b), views[t - 1].Tokens);   // the grid's own dihedral transforms
        Assert.All(views, v => Assert.Equal(maze.Requests()[0].Tokens, v.ToOriginal(v.Tokens)));
    }

    [Fact]
    public void NoiseOnALatentAnArchitectureLacksIsRefusedByName()
    {
        var error = Assert.Throws<TrmSettingsException>(() => new LatentNoise(0.3).Targets(["z_H"], Architecture.TransformersBaseline));
        Assert.Equal("NoiseOn is z_L, but transformers_baseline has no such latent (its latents: z_H); put the noise on one it has.", error.Message);
        Assert.Throws<TrmSettingsException>(() => new LatentNoise(0.3, NoiseTarget.ZH).Targets(["z_L"], Architecture.TrmSingleZ));
        Assert.Equal([1, 2, 3, 4, 5, 6], new LatentNoise(1).Targets(["z_H", "z_L1", "z_L2", "z_L3", "z_L4", "z_L5", "z_L6"], Architecture.TrmHier6));
        Assert.Equal([0, 1], new LatentNoise(1, NoiseTarget.Both).Targets(["z_H", "z_L"], Architecture.Hrm));
    }

    public static TheoryData<string[], string> BadSettings => new()
    {
        { ["--trajectories", "0"], "--trajectories must be an integer from 1 to 1024 (is 0)" },
        { ["--trajectories", "100000"], "--trajectories must be an integer from 1 to 1024 (is 100000)" },
        { ["--trajectories", "1024", "--augment", "8"], "--trajectories x (Augment + 1) must be at most 4096 runs per puzzle (is 9216)" },
        { ["--noise", "-0.1"], "--noise must be a number from 0 to 100 (is -0.1)" },
        { ["--noise", "NaN"], "--noise must be a number from 0 to 100 (is NaN)" },
        { ["--noise", "1e9"], "--noise must be a number from 0 to 100 (is 1000000000)" },
        { ["--noise-on", "z_X"], "--noise-on must be z_L, z_H or both (is 'z_X')" },
        { ["--select", "best"], "--select must be q, vote, qvote or converged (is 'best')" },
        { ["--augment", "-1"], "--augment must be an integer from 0 to 1024 (is -1)" },
        { ["--augment", "2000"], "--augment must be an integer from 0 to 1024 (is 2000)" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void BadSettingsAreRefusedBeforeAModelLoads(string[] flags, string expected)
    {
        var (exit, _, stderr) = TrmProcess.Run(["solve", "sudoku", "--checkpoint", "/no/such/checkpoint", ".4....3..3....2.", .. flags]);
        Assert.Equal(2, exit);
        Assert.Contains(expected, stderr);
        Assert.Single(stderr.Trim().Split('\n'));
    }
}
