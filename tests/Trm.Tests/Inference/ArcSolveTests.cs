using System.Text.Json.Nodes;
using Trm.Evaluation;
using Trm.Inference;
using Trm.IO;
using Trm.Puzzles.Arc;
using Trm.Tests.Puzzles.Arc;
using Trm.Tests.Training;
using Trm.Training;
using Trm.Checkpoints;
using Trm.Solving;

namespace Trm.Tests.Inference;

/// <summary>A tiny model trained once on tiny identity tasks (<see cref="TinyArc"/>), with a checkpoint after 10, 20 and 30 epochs.</summary>
public sealed class TinyArcModel : IDisposable
{
    readonly TempDirectory directory = new();

    public string Data { get; }
    public IReadOnlyList<string> Checkpoints { get; }
    public string Run => directory.File("run");

    public TinyArcModel()
    {
        Data = TinyArc.BuildDataset(directory);
        Checkpoints = TinyArc.Train(Data, Run, epochs: 30, evalInterval: 10);
    }

    public void Dispose() => directory.Dispose();
}

[Collection(nameof(SequentialTraining))]
public class ArcSolveTests(TinyArcModel trained) : IClassFixture<TinyArcModel>
{
    const string PuzzleTable = "model.inner.puzzle_emb.weights";

    [Fact]
    public void KnownTaskAttemptsAreTheEvaluatorsAndTheTrainedIdentityIsSolved()
    {
        var identifiers = ArcEvaluator.ReadIdentifiers(trained.Data, "test");
        var copies = ArcCopy.Among(identifiers, "e1");
        Assert.Equal(TinyArc.NumAug + 1, copies.Count);
        Assert.Single(copies, c => c.IsOriginal);
        var puzzle = ArcPuzzleReader.ReadChallenges(Path.Combine(trained.Data, ArcEvaluator.TestPuzzlesFile)).Single();
        var task = new ArcTask(puzzle, [.. puzzle.Test.Select(t => t.Output)]);

        // Every evaluation during training voted on the same copies (votes not aggregated across evaluations): the attempts
        // of a fixed-step solve must be its submission, at every stage of training (untrained models give varied answers).
        var distinctAnswers = new List<int>();
        foreach (var checkpoint in trained.Checkpoints)
        {
            using var model = TrmModel.Load(checkpoint);
            var answer = ArcSolver.Solve(model, task, copies, new SolveOptions(Adaptive: false));
            var step = Path.GetFileName(checkpoint)["step_".Length..];
            var submission = JsonNode.Parse(File.ReadAllText(Path.Combine(trained.Run, $"evaluation_step_{step}", "evaluator_ARC", ArcEvaluator.SubmissionFile)))!;
            var test = Assert.Single(answer.Tests);
            Assert.Equal(TinyArc.NumAug + 1, test.Votes);
            Assert.Equal(test.Votes, test.Candidates.Sum(c => c.Votes));
            Assert.Equal(2, test.Attempts.Count);
            for (int i = 0; i < 2; i++)
                Assert.Equal(submission["e1"]![0]![$"attempt_{i + 1}"]!.ToJsonString(), Json(test.Attempts[i]));
            Assert.Single(test.Steps);   // halt_max_steps 1
            distinctAnswers.Add(test.Candidates.Count);
        }
        Assert.Equal(3, distinctAnswers.Count);
        Assert.True(distinctAnswers[0] > 2, $"the first checkpoint's copies should disagree (distinct answers per checkpoint: {string.Join(", ", distinctAnswers)})");

        using var last = TrmModel.Load(trained.Checkpoints[^1]);
        var solved = ArcSolver.Solve(last, task, copies).Tests[0];
        GridAssert.Equal(puzzle.Test[0].Output, solved.Attempts[0], "attempt 1 of the trained identity");
        Assert.True(solved.Solved);
        Assert.Equal(copies.Count, solved.Candidates[0].Votes);
        GridAssert.Equal(puzzle.Test[0].Output, solved.Steps[^1].Answer, "the un-augmented copy's answer");
    }

    [Fact]
    public void AdaptationLearnsNewPuzzleRowsAndLeavesEveryNetworkWeightUntouched()
    {
        using var dir = new TempDirectory();
        var taskFile = dir.File("n1.json");
        File.WriteAllText(taskFile, TinyArc.Task(seed: 7, tests: 2, demonstrations: 1));
        var task = ArcPuzzleReader.ReadTask(taskFile);
        Assert.Equal("n1", task.Id);
        Assert.NotNull(task.Expected[0]);
        Assert.Null(task.Expected[1]);

        // 11 augmentations: 12 copies + <blank> = the checkpoint's 13 rows, the case where load_checkpoint keeps the old
        // puzzles' rows; the new rows must start at their mean all the same. 3 steps of 24 copies' single demonstration.
        var checkpoint = trained.Checkpoints[^1];
        var observer = new RecordingObserver();
        var adaptation = ArcTestTimeTraining.Run(checkpoint, task, new ArcAdaptOptions { NumAug = 11, Steps = 3, BatchSize = 24, Seed = 1, LearningRate = 0.005 }, dir.File("work"), observer);
        Assert.Equal(12, adaptation.Copies);
        Assert.Equal(3, adaptation.Steps);
        Assert.Equal(3, observer.Steps.Count);
        Assert.All(observer.Steps, s => Assert.InRange(s.Metrics.Accuracy, 0, 1));
        Assert.All(observer.Steps, s => Assert.Equal(0.005, s.LearningRate));   // the embeddings' rate (constant, no warmup), not the frozen weights'


        var before = TorchCheckpointReader.ReadStateDict(Path.Combine(checkpoint, CheckpointFiles.Weights));
        var after = TorchCheckpointReader.ReadStateDict(Path.Combine(adaptation.Checkpoint, CheckpointFiles.Weights));
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var name in before.Keys.Where(k => k != PuzzleTable)) TensorAssert.Identical(before[name], after[name]);

        var start = before[PuzzleTable].mean([0], keepdim: true);
        var table = after[PuzzleTable];
        Assert.Equal([(long)TinyArc.TableRows, 32L], table.shape);
        Assert.Equal(before[PuzzleTable].shape, table.shape);
        TensorAssert.Identical(start, table[..1]);   // <blank> is never trained: it shows where every row started
        for (int row = 1; row < TinyArc.TableRows; row++)
            Assert.False(table[row].equal(start[0]).all().item<bool>(), $"row {row} (a copy of n1) did not learn");

        var identifiers = ArcEvaluator.ReadIdentifiers(adaptation.Dataset, "test");
        var copies = ArcCopy.Among(identifiers, "n1");
        Assert.Equal(12, copies.Count);
        using var model = TrmModel.Load(adaptation.Checkpoint);
        var answer = ArcSolver.Solve(model, task, copies);
        Assert.Equal(2, answer.Tests.Count);
        Assert.All(answer.Tests, t =>
        {
            Assert.Equal(2, t.Attempts.Count);
            Assert.Equal(12, t.Votes);
            Assert.All(t.Attempts, a => Assert.All(a.Cast<byte>(), colour => Assert.InRange(colour, 0, 9)));
            Assert.NotEmpty(t.Steps);
        });
        Assert.NotNull(answer.Tests[0].Solved);
        Assert.Null(answer.Tests[1].Solved);
    }

    static string Json(byte[,] grid) => System.Text.Json.JsonSerializer.Serialize(grid, new System.Text.Json.JsonSerializerOptions { Converters = { new ArcGridJsonConverter() } });
}

/// <summary>Reading a task for <c>trm solve arc</c>, and the dataset test-time training builds from it.</summary>
public class ArcTaskInputTests
{
    [Fact]
    public void ATaskFileIsNamedAfterItselfAndKnowsWhichTestOutputsItGives()
    {
        using var dir = new TempDirectory();
        var path = dir.File("0a1b2c3d.json");
        File.WriteAllText(path, """{"test": [{"input": [[1]]}, {"input": [[2, 3]], "output": [[4]]}], "train": [{"input": [[5]], "output": [[6]]}]}""");
        var task = ArcPuzzleReader.ReadTask(path);
        Assert.Equal("0a1b2c3d", task.Id);
        Assert.True(task.Puzzle.TestListedFirst);
        Assert.Null(task.Expected[0]);
        GridAssert.Equal(ArcPuzzleReader.DummyOutput, task.Puzzle.Test[0].Output, "a missing output");
        GridAssert.Equal(GridAssert.Of([4]), task.Expected[1]!, "the given output");
        Assert.Equal("other", ArcPuzzleReader.ReadTask(path, "other").Id);
    }

    [Fact]
    public void AChallengesFileNeedsATaskIdWhenItHoldsSeveral()
    {
        using var dir = new TempDirectory();
        var path = dir.File("challenges.json");
        File.WriteAllText(path, "{" + ArcFiles.Puzzle("p1") + ", " + ArcFiles.Puzzle("p2", test: "[[7]]") + "}");
        GridAssert.Equal(GridAssert.Of([7]), ArcPuzzleReader.ReadTask(path, "p2").Puzzle.Test[0].Input, "p2's test input");
        Assert.Equal($"TaskId is needed: {path} holds 2 tasks (p1, p2); choose one.", Assert.Throws<TrmSettingsException>(() => ArcPuzzleReader.ReadTask(path)).Message);
        Assert.Contains("has no task 'p9'", Assert.Throws<TrmException>(() => ArcPuzzleReader.ReadTask(path, "p9")).Message);
    }

    [Fact]
    public void AChallengesFileTakesItsExpectedOutputsFromTheSolutionsFileBesideIt()
    {
        using var dir = new TempDirectory();
        var prefix = ArcFiles.Write(dir, "set", ArcFiles.Puzzle("p1") + ", " + ArcFiles.Puzzle("p2"), """ "p1": [[[8, 9]]] """);
        var path = ArcPuzzleReader.ChallengesPath(prefix, "set");
        var task = ArcPuzzleReader.ReadTask(path, "p1");
        GridAssert.Equal(GridAssert.Of([8, 9]), task.Expected.Single()!, "p1's solution");
        GridAssert.Equal(GridAssert.Of([8, 9]), task.Puzzle.Test.Single().Output, "the test pair's output");
        Assert.Null(ArcPuzzleReader.ReadTask(path, "p2").Expected.Single());   // not in the solutions file

        File.WriteAllText(ArcPuzzleReader.SolutionsPath(prefix, "set"), """{"p1": [[[8]], [[9]]]}""");
        Assert.Equal($"{ArcPuzzleReader.SolutionsPath(prefix, "set")}: puzzle p1: 2 solutions for 1 test inputs in {path}.",
            Assert.Throws<TrmException>(() => ArcPuzzleReader.ReadTask(path, "p1")).Message);
    }

    [Theory]
    [InlineData("{\"train\": [", "not valid JSON")]
    [InlineData("""{"train": [{"input": [[1, 2], [3]], "output": [[1]]}], "test": [{"input": [[1]]}]}""", "train[0].input: row 1 has 1 cells where row 0 has 2")]
    [InlineData("""{"train": [], "test": [{"input": [[1]]}]}""", "\"train\" is empty")]
    [InlineData("""{"train": [{"input": [[1]], "output": [[1]]}], "test": [{"input": [[10]]}]}""", "test[0].input: cell (0, 0) is 10")]
    public void MalformedTaskFilesAreRefusedNamingTheFile(string json, string problem)
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.json");
        File.WriteAllText(path, json);
        var message = Assert.Throws<TrmException>(() => ArcPuzzleReader.ReadTask(path)).Message;
        Assert.StartsWith(path, message);
        Assert.Contains(problem, message);
    }

    [Fact]
    public void TheInMemoryBuildIsTheFileBuild()
    {
        using var dir = new TempDirectory();
        var prefix = ArcFiles.Write(dir, "task", ArcFiles.Puzzle("p1", "[[1, 2], [3, 4]]", "[[5, 6, 7]]"), """ "p1": [[[8]]] """);
        ArcDatasetBuilder.Build(new ArcBuildOptions(prefix, ["task"], "task", dir.File("from-files"), NumAug: 5, Seed: 3));
        var subset = ArcPuzzleReader.ReadSubset(prefix, "task");
        ArcDatasetBuilder.Build([subset], "task", dir.File("in-memory"), numAug: 5, seed: 3);

        var files = Directory.GetFiles(dir.File("from-files"), "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir.File("from-files"), f)).Order().ToList();
        Assert.Equal(files, Directory.GetFiles(dir.File("in-memory"), "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir.File("in-memory"), f)).Order());
        Assert.Contains(Path.Combine("train", "all__inputs.npy"), files);
        foreach (var file in files)
            Assert.True(File.ReadAllBytes(Path.Combine(dir.File("from-files"), file)).SequenceEqual(File.ReadAllBytes(Path.Combine(dir.File("in-memory"), file))), file);
    }
}
