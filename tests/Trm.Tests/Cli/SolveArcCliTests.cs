using System.Text.Json.Nodes;
using Trm.Configuration;
using Trm.Puzzles.Arc;
using Trm.Tests.Inference;
using Trm.Tests.Puzzles.Arc;
using Trm.Tests.Training;
using Trm.Inference;

namespace Trm.Tests.Cli;

[Collection(nameof(SequentialTraining))]
public class SolveArcCliTests
{
    /// <summary>A checkpoint directory with a config and the dataset it names, but no weights: enough for every check made before a model loads.</summary>
    static string WeightlessCheckpoint(TempDirectory dir)
    {
        var data = TinyArc.BuildDataset(dir);
        var checkpoint = dir.File("checkpoint");
        Directory.CreateDirectory(checkpoint);
        File.WriteAllText(Path.Combine(checkpoint, "all_config.yaml"), ConfigLoader.ToYaml(TinyArc.Config(data, dir.File("run"), epochs: 1)));
        return checkpoint;
    }

    static string[] Outputs(TempDirectory dir) => ["--out", dir.File("out/submission.json"), "--record", dir.File("out/record.json")];

    static void NothingWritten(TempDirectory dir) => Assert.False(Directory.Exists(dir.File("out")), "an output was written");

    [Theory]
    [InlineData("{\"train\": [{\"input\": [[1]], \"output\": [[1]]}], \"test\": [{\"input\": [[1]", "not valid JSON")]
    [InlineData("{\"train\": [{\"input\": [[1]], \"output\": [[1]]}], \"test\": [{\"input\": [[1, 2], [3]]}]}", "test[0].input: row 1 has 1 cells where row 0 has 2")]
    public void AMalformedTaskFileIsNamedBeforeAnythingElse(string json, string problem)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("task.json"), json);
        var (exit, _, stderr) = TrmProcess.Run(["solve", "arc", "--checkpoint", "/no/such/checkpoint", dir.File("task.json"), .. Outputs(dir)]);
        Assert.Equal(2, exit);
        Assert.Contains($"error: {dir.File("task.json")}: ", stderr);
        Assert.Contains(problem, stderr);
        NothingWritten(dir);
    }

    [Fact]
    public void AnUnknownTaskWithoutAdaptSaysToUseAdapt()
    {
        using var dir = new TempDirectory();
        var checkpoint = WeightlessCheckpoint(dir);
        File.WriteAllText(dir.File("new.json"), TinyArc.Task(seed: 9));
        var (exit, _, stderr) = TrmProcess.Run(["solve", "arc", "--checkpoint", checkpoint, dir.File("new.json"), .. Outputs(dir)]);
        Assert.Equal(2, exit);
        Assert.Contains($"error: the model was not trained on task new: {dir.File("data/identifiers.json")} names no copy of it among its 12 puzzles. " +
            "For a new task add --adapt", stderr);
        NothingWritten(dir);

        // The same task under a known id gets past that check (and stops at the missing weights).
        (exit, _, stderr) = TrmProcess.Run(["solve", "arc", "--checkpoint", checkpoint, dir.File("new.json"), "--task-id", "e1"]);
        Assert.Equal(2, exit);
        Assert.Contains("no weights found", stderr);
    }

    [Fact]
    public void AdaptOptionsNeedAdaptAndAFailedAdaptationLeavesNothing()
    {
        using var dir = new TempDirectory();
        var checkpoint = WeightlessCheckpoint(dir);
        File.WriteAllText(dir.File("new.json"), TinyArc.Task(seed: 9));
        var (exit, _, stderr) = TrmProcess.Run("solve", "arc", "--checkpoint", checkpoint, dir.File("new.json"), "--adapt-steps", "5", "--num-aug", "2");
        Assert.Equal(2, exit);
        Assert.Contains("error: --num-aug, --adapt-steps only apply with --adapt.", stderr);

        Directory.CreateDirectory(dir.File("taken"));
        (exit, _, stderr) = TrmProcess.Run("solve", "arc", "--checkpoint", checkpoint, dir.File("new.json"), "--adapt", "--keep-adapted", dir.File("taken"));
        Assert.Equal(2, exit);
        Assert.Contains($"{dir.File("taken")} already exists", stderr);

        // No weights to start from: the adaptation fails after its work directory was made, and leaves nothing behind.
        (exit, _, stderr) = TrmProcess.Run(["solve", "arc", "--checkpoint", checkpoint, dir.File("new.json"), "--adapt", "--keep-adapted", dir.File("kept"), .. Outputs(dir)]);
        Assert.Equal(2, exit);
        Assert.Contains("no weights found", stderr);
        Assert.False(Directory.Exists(dir.File("kept")));
        Assert.Empty(Directory.GetDirectories(dir.Path, ".kept.partial-*"));
        NothingWritten(dir);
    }

    [Fact]
    public void AdaptSolvesANewTaskAndTheKeptCheckpointSolvesItAgain()
    {
        using var dir = new TempDirectory();
        var checkpoint = TinyArc.Train(TinyArc.BuildDataset(dir), dir.File("run"), epochs: 1).Single();
        File.WriteAllText(dir.File("new.json"), TinyArc.Task(seed: 9, tests: 2, demonstrations: 1));
        var tempBefore = Directory.GetDirectories(Path.GetTempPath(), "trm-adapt-*").Length;

        var (exit, stdout, stderr) = TrmProcess.Run(["solve", "arc", "--checkpoint", checkpoint, dir.File("new.json"), "--adapt", "--num-aug", "2",
            "--adapt-steps", "2", "--keep-adapted", dir.File("kept"), "--render", dir.File("out/answer.png"), .. Outputs(dir)]);
        Assert.True(exit is 0 or 1, $"exit {exit}: {stderr}");
        Assert.Equal(stdout.Contains("solved 1 of 1 test input") ? 0 : 1, exit);
        Assert.Contains("test-time training on task new: 3 copies (the original and 2 augmentations) of 1 demonstration pair; 2 steps of 8 examples", stdout);
        Assert.Contains("step 2/2", stdout);
        Assert.Contains("learned 3 puzzle embeddings", stdout);
        Assert.Contains("test input 2 of 2", stdout);
        Assert.Contains("attempt 1:", stdout);

        var submission = JsonNode.Parse(File.ReadAllText(dir.File("out/submission.json")))!.AsObject();
        var tests = Assert.Single(submission, p => p.Key == "new").Value!.AsArray();
        Assert.Equal(2, tests.Count);
        Assert.All(tests, t => Assert.Equal(["attempt_1", "attempt_2"], t!.AsObject().Select(a => a.Key)));
        var record = JsonNode.Parse(File.ReadAllText(dir.File("out/record.json")))!;
        Assert.Equal("arc", (string?)record["kind"]);
        Assert.Equal("new", (string?)record["task"]);
        var recorded = record["tests"]!.AsArray();
        Assert.Equal(2, recorded.Count);
        Assert.NotNull(recorded[0]!["expected"]);
        Assert.Null(recorded[1]!["expected"]);
        Assert.Equal(tests[0]!["attempt_1"]!.ToJsonString(), recorded[0]!["attempt_1"]!.ToJsonString());
        Assert.Single(recorded[0]!["steps"]!.AsArray());   // halt_max_steps 1
        Assert.InRange((double)recorded[0]!["steps"]![0]!["halt_probability"]!, 0, 1);
        Assert.Equal(2, Assert.IsType<Trm.Puzzles.Arc.ArcSolveRecord>(Trm.Solving.PuzzleKinds.ReadRecord(dir.File("out/record.json"))).Tests.Count);
        using (var picture = SkiaSharp.SKCodec.Create(dir.File("out/answer.png")))
            Assert.Equal(SkiaSharp.SKEncodedImageFormat.Png, picture.EncodedFormat);

        // The kept checkpoint knows the task now: solved without --adapt, the same attempts.
        Assert.Empty(Directory.GetDirectories(dir.Path, ".kept.partial-*"));
        Assert.Equal(tempBefore, Directory.GetDirectories(Path.GetTempPath(), "trm-adapt-*").Length);
        (exit, stdout, stderr) = TrmProcess.Run("solve", "arc", "--checkpoint", dir.File("kept/checkpoint"), dir.File("new.json"), "--out", dir.File("again.json"));
        Assert.True(exit is 0 or 1, $"exit {exit}: {stderr}");
        Assert.Contains("task new: the model knows 3 copies of it", stdout);
        Assert.Equal(File.ReadAllText(dir.File("out/submission.json")), File.ReadAllText(dir.File("again.json")));
    }
}
