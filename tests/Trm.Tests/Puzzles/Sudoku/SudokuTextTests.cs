using Trm.Puzzles.Sudoku;

namespace Trm.Tests.Puzzles.Sudoku;

public class SudokuTextTests
{
    [Fact]
    public void ParsesBlanksAndDigitsIntoDatasetTokens()
    {
        var grid = SudokuText.Parse(".4.. ..3.\n.3.. ..2.");
        Assert.Equal(4, grid.Geometry.Size);
        Assert.Equal([1, 5, 1, 1, 1, 1, 4, 1, 1, 4, 1, 1, 1, 1, 3, 1], SudokuText.Tokens(grid));
        Assert.Equal(grid, SudokuText.FromTokens(grid.Geometry, SudokuText.Tokens(grid)));
        Assert.Equal(". 4 | . .\n. . | 3 .\n----+----\n. 3 | . .\n. . | 2 .", SudokuText.Format(grid));
    }

    [Theory]
    [InlineData(".4....3..3....2", "has 16 (4x4), 36 (6x6) or 81 (9x9) cells; this one has 15")]
    [InlineData(".4..x.3..3....2.", "cell 5 (row 2, column 1) is 'x'; use 1-4")]
    [InlineData(".4..5.3..3....2.", "cell 5 (row 2, column 1) is '5'; use 1-4")]
    [InlineData("44....3..3....2.", "the givens contradict each other (row 1 has 4 twice)")]
    public void MalformedPuzzlesSayWhatIsWrong(string text, string expected)
    {
        var error = Assert.Throws<TrmException>(() => SudokuText.Parse(text));
        Assert.Contains(expected, error.Message);
    }
}
