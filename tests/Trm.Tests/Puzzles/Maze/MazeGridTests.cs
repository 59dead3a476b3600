using Trm.Puzzles.Maze;
using static Trm.Tests.Puzzles.Maze.MazeTestData;

namespace Trm.Tests.Puzzles.Maze;

public class MazeGridTests
{
    [Fact]
    public void TokensFollowTheCharset() =>
        Assert.Equal([1, 2, 3, 4, 5, 2, 2, 2, 1], MazeGrid.Parse("# SGo   #").ToTokens());

    [Fact]
    public void ParsesAndFormatsRowMajor()
    {
        var grid = Grid(Ring);
        Assert.Equal(7, grid.Size);
        Assert.Equal('G', grid[3, 3]);
        Assert.Equal(string.Join("\n", Ring), grid.ToDisplayString());
        Assert.Equal(string.Concat(Ring), grid.ToString());
    }

    [Theory]
    [InlineData("S  G ", "5 cells is not a square grid")]
    [InlineData("S  x", "character 'x' at row 2, column 2 is not one of '# SGo'")]
    [InlineData("", "the grid is empty")]
    public void SaysWhyTextIsNotAGrid(string text, string problem) =>
        Assert.Equal(problem, Assert.Throws<TrmException>(() => MazeGrid.Parse(text)).Message);

    [Fact]
    public void TransformRotatesCounterClockwise() =>
        // [[S, ' '], ['#', G]] rotated by 90 degrees counter-clockwise (numpy rot90) is [[' ', G], [S, '#']].
        Assert.Equal(" GS#", MazeGrid.Parse("S #G").Transform(1).ToString());
}
