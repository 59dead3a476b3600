namespace Trm.Tests.Cli;

/// <summary><c>trm data generate-maze</c> and <c>trm data maze</c>, run as a user would.</summary>
public class MazeCliTests
{
    [Fact]
    public void GeneratesThenBuildsAnAugmentedDataset()
    {
        using var dir = new TempDirectory();
        var (exit, stdout, stderr) = TrmProcess.Run("data", "generate-maze", "--out", dir.File("csv"), "--size", "11",
            "--train", "6", "--test", "3", "--min-path", "20", "--seed", "5");
        Assert.True(exit == 0, stderr);
        Assert.Contains("train: 6 mazes, test: 3 mazes, 11x11", stdout);
        Assert.Matches(@"shortest path \(moves S to G\): mean \d+\.\d, min (2\d|[3-9]\d), max \d+", stdout);
        Assert.Equal(7, File.ReadAllLines(dir.File("csv/train.csv")).Length);

        (exit, stdout, stderr) = TrmProcess.Run("data", "maze", "--input", dir.File("csv"), "--out", dir.File("data"), "--aug");
        Assert.True(exit == 0, stderr);
        Assert.Contains("train: 6 groups, 48 puzzles, 48 examples", stdout);
        Assert.Contains("test : 3 groups, 3 puzzles, 3 examples", stdout);
        Assert.True(File.Exists(dir.File("data/train/all__inputs.npy")));
    }

    [Fact]
    public void ImpossibleMinPathExitsTwoAndWritesNothing()
    {
        using var dir = new TempDirectory();
        var (exit, _, stderr) = TrmProcess.Run("data", "generate-maze", "--out", dir.File("csv"), "--size", "11",
            "--train", "6", "--test", "3", "--min-path", "200");
        Assert.Equal(2, exit);
        Assert.Contains("error: no 11x11 maze of this generator has a shortest path of 200 moves: the most it can hold is 50", stderr);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void BadCsvLineExitsTwoNamingItAndWritesNothing()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("csv"));
        File.WriteAllLines(dir.File("csv/train.csv"), ["source,question,answer,rating", "a,S  G,So G,2", "b,S  G,So G"]);
        File.WriteAllLines(dir.File("csv/test.csv"), ["source,question,answer,rating"]);
        var (exit, _, stderr) = TrmProcess.Run("data", "maze", "--input", dir.File("csv"), "--out", dir.File("data"));
        Assert.Equal(2, exit);
        Assert.Contains($"error: {dir.File("csv/train.csv")}:3: expected 4 fields", stderr);
        Assert.Equal([dir.File("csv")], Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void BadFlagValueIsNamed()
    {
        using var dir = new TempDirectory();
        var (exit, _, stderr) = TrmProcess.Run("data", "generate-maze", "--out", dir.File("csv"), "--train", "-3", "--test", "1", "--min-path", "10");
        Assert.Equal(2, exit);
        Assert.Contains("--train must be an integer from 0 to 10000000 (is -3).", stderr);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void ExistingOutputIsRefused()
    {
        using var dir = new TempDirectory();
        var (exit, _, stderr) = TrmProcess.Run("data", "generate-maze", "--out", dir.Path, "--train", "1", "--test", "1", "--min-path", "10");
        Assert.Equal(2, exit);
        Assert.Contains("already exists", stderr);
    }
}
