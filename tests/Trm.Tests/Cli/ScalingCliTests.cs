using Trm.Puzzles.Sudoku;
using Trm.Tests.Training;

namespace Trm.Tests.Cli;

/// <summary><c>trm scaling sudoku</c> through the real program, on the tiny 4x4 Sudoku model.</summary>
[Collection(nameof(SequentialTraining))]
public class ScalingCliTests(SolveCliTests.TinyCheckpoint checkpoint) : IClassFixture<SolveCliTests.TinyCheckpoint>
{
    [Fact]
    public void WritesATableRowPerPointAndAPlot()
    {
        using var dir = new TempDirectory();
        var splits = SudokuGenerator.Generate(new SudokuGenerationOptions { Size = 4, Train = 1, Test = 12, Seed = 3 });
        SudokuCsv.Write(dir.File("test.csv"), splits.Test);
        var (exit, stdout, stderr) = TrmProcess.Run("scaling", "sudoku", "--checkpoint", checkpoint.Path, dir.File("test.csv"), "--out", dir.File("study"),
            "--limit", "8", "--trajectories", "1,2", "--noise", "0.5", "--steps", "1,2", "--select", "q", "--augment", "2", "--fixed-steps");
        Assert.True(exit == 0, stderr);
        Assert.Contains("8 puzzles, 6 points", stdout);   // plain, 2 K x 2 D, 1 augmentation count
        var rows = File.ReadAllLines(dir.File("study/scaling.md")).Skip(2).ToList();
        Assert.Equal(6, rows.Count);
        Assert.All(rows, row => Assert.Matches(@"^\| \d+ \| \d+ \| \d+ \| [\d.]+ \| \d+ \| \w+ \| [\d.]+ % \| [\d.]+ % \|", row));
        Assert.StartsWith("| 3 | 1 | 2 | 0 |", rows[^1]);   // the augmentation point: 1 run x (2 copies + the puzzle)
        var png = File.ReadAllBytes(dir.File("study/scaling.png"));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
    }

    [Theory]
    [InlineData("--trajectories", "1,x", "--trajectories '1,x': 'x' is not a value it takes.")]
    [InlineData("--trajectories", "5000", "--trajectories must be an integer from 1 to 1024 (is 5000)")]
    [InlineData("--select", "best", "--select 'best': 'best' is not a value it takes.")]
    [InlineData("--steps", "0", "--steps '0': '0' is not a value it takes.")]
    public void BadGridsAreRefusedBeforeAModelLoads(string flag, string value, string expected)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("one.txt"), ".4....3..3....2.\n");
        var (exit, _, stderr) = TrmProcess.Run("scaling", "sudoku", "--checkpoint", "/no/such/checkpoint", dir.File("one.txt"), "--out", dir.File("study"), flag, value);
        Assert.Equal(2, exit);
        Assert.Contains(expected, stderr);
        Assert.False(Directory.Exists(dir.File("study")));
    }
}
