using Trm.Data;
using Trm.Puzzles.Sudoku;

namespace Trm.Tests.Cli;

/// <summary><c>trm data generate-sudoku</c> and <c>trm data sudoku</c>, run as a user would.</summary>
public class SudokuCliTests
{
    [Fact]
    public void GeneratesCsvsThenBuildsADataset()
    {
        using var dir = new TempDirectory();
        var (exit, stdout, stderr) = TrmProcess.Run("data", "generate-sudoku", "--out", dir.File("csv"), "--train", "12", "--test", "4", "--size", "6", "--seed", "3");
        Assert.True(exit == 0, stderr);
        Assert.Contains("Generated 12 train and 4 test 6x6 puzzles", stdout);
        Assert.Contains("puzzles          [##############################] 16/16", stdout);
        var train = SudokuCsv.Read(dir.File("csv/train.csv")).ToList();
        Assert.Equal(12, train.Count);
        Assert.All(train, p => Assert.True(SudokuValidator.Solves(p.Question, p.Answer) && SudokuSolver.HasUniqueSolution(p.Question)));

        (exit, stdout, stderr) = TrmProcess.Run("data", "sudoku", "--input", dir.File("csv"), "--out", dir.File("data"), "--num-aug", "2", "--subsample-size", "10");
        Assert.True(exit == 0, stderr);
        Assert.Contains("train: 10 groups, 30 puzzles, 30 examples", stdout);
        Assert.Contains("test : 4 groups, 4 puzzles, 4 examples", stdout);
        using var split = PuzzleSplit.Open(dir.File("data"), "train");
        Assert.Equal(8, split.Metadata.VocabSize);
        Assert.Equal(36, split.Metadata.SeqLen);
    }

    [Fact]
    public void ABadCsvLineExitsTwoAndWritesNothing()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, TrmProcess.Run("data", "generate-sudoku", "--out", dir.File("csv"), "--train", "3", "--test", "2", "--size", "4").ExitCode);
        var path = dir.File("csv/train.csv");
        var lines = File.ReadAllLines(path);
        lines[2] = lines[2].Replace(",0", ",easy");
        File.WriteAllLines(path, lines);

        var (exit, _, stderr) = TrmProcess.Run("data", "sudoku", "--input", dir.File("csv"), "--out", dir.File("data"));
        Assert.Equal(2, exit);
        Assert.Equal($"error: {path}:3: the rating 'easy' is not an integer.", stderr.Trim());
        Assert.Equal(["csv"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("5", "3", "--size must be 4, 6 or 9, got 5.")]
    [InlineData("4", "0", "--train must be at least 1, got 0.")]
    public void BadGenerateFlagsExitTwoAndWriteNothing(string size, string train, string message)
    {
        using var dir = new TempDirectory();
        var (exit, _, stderr) = TrmProcess.Run("data", "generate-sudoku", "--out", dir.File("csv"), "--train", train, "--test", "2", "--size", size);
        Assert.Equal(2, exit);
        Assert.Equal($"error: {message}", stderr.Trim());
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void AnImpossibleRequestExitsTwoAndWritesNothing()
    {
        using var dir = new TempDirectory();
        var (exit, _, stderr) = TrmProcess.Run("data", "generate-sudoku", "--out", dir.File("csv"), "--train", "3", "--test", "2", "--size", "4", "--min-difficulty", "1");
        Assert.Equal(2, exit);
        Assert.Contains("rated below 1 (highest rating seen 0)", stderr);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void ExistingOutputIsRefused()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("csv"));
        var (exit, _, stderr) = TrmProcess.Run("data", "generate-sudoku", "--out", dir.File("csv"), "--train", "3", "--test", "2");
        Assert.Equal(2, exit);
        Assert.Contains($"--out {dir.File("csv")} already exists", stderr);
        Assert.Empty(Directory.GetFileSystemEntries(dir.File("csv")));
    }

    [Fact]
    public void MissingInputDirectoryIsNamed()
    {
        using var dir = new TempDirectory();
        var (exit, _, stderr) = TrmProcess.Run("data", "sudoku", "--input", dir.File("nope"), "--out", dir.File("data"));
        Assert.Equal(2, exit);
        Assert.Contains($"--input {dir.File("nope")}: directory not found", stderr);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }
}
