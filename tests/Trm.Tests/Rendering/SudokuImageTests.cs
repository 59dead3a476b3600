using Trm.Puzzles.Sudoku;
using Trm.Rendering;

namespace Trm.Tests.Rendering;

public class SudokuImageTests
{
    const string Puzzle = "53..7....6..195....98....6.8...6...34..8.3..17...2...6.6....28....419..5....8..79";
    const string Solution = "534678912672195348198342567859761423426853791713924856961537284287419635345286179";

    [Theory]
    [InlineData(9, 40, 378, 378)]   // 9 * 40 + 4 box lines of 3 + 6 thin lines of 1
    [InlineData(4, 30, 131, 131)]   // 4 * 30 + 3 * 3 + 2 * 1
    [InlineData(6, 20, 133, 135)]   // boxes of 2 rows x 3 columns: across 3 box lines + 4 thin; down 4 box lines + 3 thin
    public void TheBoardIsAsLargeAsItsCellsAndLines(int size, int cell, int width, int height)
    {
        var geometry = SudokuGeometry.ForSize(size)!;
        var blank = new byte[geometry.CellCount];
        using var raster = SudokuImage.Render(new SudokuBoard(geometry, blank, blank), cell);
        var image = DecodedImage.Png(raster.EncodePng());
        Assert.Equal((width, height), (image.Width, image.Height));
    }

    [Fact]
    public void CluesFilledDigitsAndWrongCellsHaveTheirOwnBackgrounds()
    {
        const int cell = 40;
        var (geometry, givens) = SudokuCells.Parse(Puzzle, "puzzle");
        var answer = SudokuCells.Parse(Solution, geometry, "answer");
        answer[2] = 1;   // row 0, column 2 should be 4
        var wrong = SudokuMistakes.Find(geometry, givens, answer);
        using var raster = SudokuImage.Render(new SudokuBoard(geometry, givens, answer, wrong), cell);
        var image = DecodedImage.Png(raster.EncodePng());

        // A cell's top-left corner, clear of its digit: cell (r, c) starts at 3 + c * 40 + (c / 3) * 3 + (c - c / 3) * 1.
        Rgb Corner(int r, int c) => image[3 + c * cell + c / 3 * 3 + (c - c / 3) + 2, 3 + r * cell + r / 3 * 3 + (r - r / 3) + 2];
        Assert.Equal("#D9D9D9", Corner(0, 0).ToString());   // clue 5
        Assert.Equal("#FFFFFF", Corner(0, 3).ToString());   // filled 6, right
        Assert.Equal("#FFC9C9", Corner(0, 2).ToString());   // filled 1, wrong
        Assert.Equal("#000000", image[1, 1].ToString());     // the outer box line
        Assert.Equal("#9E9E9E", image[3 + cell, 3 + cell / 2].ToString());   // the thin line right of cell (0, 0)
        Assert.Equal("#000000", image[3 + 3 * cell + 2 + 1, 3 + cell / 2].ToString());   // the box line right of cell (0, 2)
    }

    [Fact]
    public void DigitsAreDrawnWithTheEmbeddedFontAndDifferentDigitsLookDifferent()
    {
        const int cell = 40;
        var (geometry, givens) = SudokuCells.Parse(Puzzle, "puzzle");
        using var raster = SudokuImage.Render(new SudokuBoard(geometry, givens, givens), cell);
        var image = DecodedImage.Png(raster.EncodePng());

        // The dark pixels inside a cell (its background is light grey or white): none for a blank, many for a digit.
        string Glyph(int r, int c)
        {
            int left = 3 + c * cell + c / 3 * 3 + (c - c / 3), top = 3 + r * cell + r / 3 * 3 + (r - r / 3);
            var dark = new System.Text.StringBuilder();
            for (int y = top + 2; y < top + cell - 2; y++)
                for (int x = left + 2; x < left + cell - 2; x++)
                    dark.Append(image[x, y].R < 128 ? '#' : '.');
            return dark.ToString();
        }
        Assert.DoesNotContain('#', Glyph(0, 2));                               // blank
        Assert.True(Glyph(0, 0).Count(p => p == '#') > 20);                    // the clue 5
        Assert.Equal(Glyph(0, 0), Glyph(1, 5));                                // 5 again, same glyph
        Assert.NotEqual(Glyph(0, 0), Glyph(0, 1));                             // 3 is another shape
    }

    [Fact]
    public void WrongCellsComeFromTheUniqueSolutionOrElseFromRepeatedDigits()
    {
        var (geometry, givens) = SudokuCells.Parse(Puzzle, "puzzle");
        var answer = SudokuCells.Parse(Solution, geometry, "answer");
        answer[2] = 1;   // the solution has 4 here
        answer[3] = 0;   // a blank is not marked wrong
        answer[0] = 9;   // a changed clue is wrong
        var wrong = SudokuMistakes.Find(geometry, givens, answer);
        Assert.Equal([0, 2], Enumerable.Range(0, wrong.Length).Where(i => wrong[i]));

        // 4x4 with no clues has many solutions: only cells that repeat a digit in a unit are marked.
        var empty = new byte[16];
        byte[] digits = [1, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        var repeated = SudokuMistakes.Find(SudokuGeometry.Four, empty, digits);
        Assert.Equal([0, 3], Enumerable.Range(0, 16).Where(i => repeated[i]));
    }

    [Theory]
    [InlineData("123", "x: a Sudoku has 16 (4x4), 36 (6x6) or 81 (9x9) cells written row by row; this has 3 characters.")]
    [InlineData("1234123412341235", "x: cell 16 (row 4, column 4) is '5'; use 1-4, or . or 0 for a blank.")]
    public void CellsThatAreNotASudokuAreRefused(string text, string message) =>
        Assert.Equal(message, Assert.Throws<TrmException>(() => SudokuCells.Parse(text, "x")).Message);
}
