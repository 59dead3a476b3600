using Trm.Tests.Puzzles.Arc;

namespace Trm.Tests.Cli;

/// <summary><c>trm data arc</c> run as a user would.</summary>
public class ArcDataCliTests
{
    [Fact]
    public void BuildsAndPrintsWarningsAndASummary()
    {
        using var dir = new TempDirectory();
        ArcFiles.Write(dir, "training", ArcFiles.Puzzle("t1") + "," + ArcFiles.Puzzle("t2"), "\"t1\": [[[6]]], \"t2\": [[[7]]]");
        var prefix = ArcFiles.Write(dir, "evaluation", ArcFiles.Puzzle("e1"), solutions: null);
        var (exit, stdout, stderr) = TrmProcess.Run("data", "arc", "--input-prefix", prefix, "--subsets", "training", "evaluation",
            "--test-set", "evaluation", "--out", dir.File("out"), "--num-aug", "2");
        Assert.True(exit == 0, stderr);
        Assert.Contains($"warning: {dir.File("arc_evaluation_solutions.json")} not found", stdout);
        Assert.Contains("3 puzzles (training 2, evaluation 1), 1 test pairs of 'evaluation' held out in test/, 10 puzzle identifiers", stdout);
        Assert.Contains("train: 3 groups, 9 puzzles, 15 examples", stdout);
        Assert.Contains("test : 1 groups, 3 puzzles, 3 examples", stdout);
        Assert.True(File.Exists(dir.File("out/test_puzzles.json")));
    }

    [Fact]
    public void BadInputIsAClearErrorAndWritesNothing()
    {
        using var dir = new TempDirectory();
        var prefix = ArcFiles.Write(dir, "training", ArcFiles.Puzzle("t1", input: "[[1, 2], [3]]"), "\"t1\": [[[6]]]");
        var (exit, stdout, stderr) = TrmProcess.Run("data", "arc", "--input-prefix", prefix, "--subsets", "training",
            "--test-set", "training", "--out", dir.File("out"));
        Assert.Equal(2, exit);
        Assert.StartsWith($"error: {dir.File("arc_training_challenges.json")}: puzzle t1, train[0].input: row 1 has 1 cells", stderr);
        Assert.Empty(stdout);
        Assert.Equal(2, Directory.GetFileSystemEntries(dir.Path).Length);  // the two puzzle files, nothing else
    }

    [Fact]
    public void MissingRequiredFlagIsRejected()
    {
        var (exit, _, stderr) = TrmProcess.Run("data", "arc", "--subsets", "training", "--test-set", "training", "--out", "/tmp/never");
        Assert.NotEqual(0, exit);
        Assert.Contains("--input-prefix", stderr);
        Assert.False(Directory.Exists("/tmp/never"));
    }
}
