namespace Trm.Tests.Cli;

public class SolveCliTests
{
    [Theory]
    [InlineData("44....3..3....2.", "error: the givens contradict each other (row 1 has 4 twice)")]
    [InlineData("123", "error: a Sudoku has 16 (4x4), 36 (6x6) or 81 (9x9) cells; this one has 3.")]
    public void MalformedPuzzlesAreRefusedBeforeLoadingAModel(string puzzle, string expected)
    {
        var (exit, _, stderr) = TrmProcess.Run("solve", "sudoku", "--checkpoint", "/no/such/checkpoint", puzzle);
        Assert.Equal(2, exit);
        Assert.Contains(expected, stderr);
    }

    [Fact]
    public void AMissingCheckpointIsNamed()
    {
        var (exit, _, stderr) = TrmProcess.Run("solve", "sudoku", "--checkpoint", "/no/such/checkpoint", ".4....3..3....2.");
        Assert.Equal(2, exit);
        Assert.Contains("/no/such/checkpoint: checkpoint directory not found", stderr);
    }
}
