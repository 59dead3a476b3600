using Trm.Rendering;
using Trm.Puzzles.Maze;

namespace Trm.Tests.Rendering;

public class MazeImageTests
{
    // The shortest route from S to G goes right along row 1; the o at row 3 is a detour.
    static readonly string[] Maze =
    [
        "#######",
        "#S oo #",
        "### #G#",
        "#o    #",
        "#######",
    ];

    [Fact]
    public void PathCellsOffEveryShortestRouteAreFound()
    {
        var off = MazeRoutes.OffRoute(Maze)!;
        Assert.False(off[1, 3]);
        Assert.False(off[1, 4]);
        Assert.True(off[3, 1]);
        Assert.False(off[1, 2]);   // open, not a path cell
        Assert.Null(MazeRoutes.OffRoute(["#S#", "###", "#G#"]));   // G unreachable
        Assert.Null(MazeRoutes.OffRoute(["S  "]));                // no G
    }

    [Fact]
    public void EachCellHasItsKindsColour()
    {
        const int cell = 12;
        using var raster = MazeImage.Render(new MazeBoard(Maze, MazeRoutes.OffRoute(Maze)), cell);
        var image = DecodedImage.Png(raster.EncodePng());
        Assert.Equal((7 * cell + 8, 5 * cell + 6), (image.Width, image.Height));

        // Near a cell's top-left corner (S and G carry a letter in the middle).
        string At(int r, int c) => image[1 + c * (cell + 1) + 1, 1 + r * (cell + 1) + 1].ToString();
        Assert.Equal("#333333", At(0, 0));   // wall
        Assert.Equal("#2ECC40", At(1, 1));   // S
        Assert.Equal("#FFFFFF", At(1, 2));   // open
        Assert.Equal("#0074D9", At(1, 3));   // path on the route
        Assert.Equal("#FF4136", At(2, 5));   // G
        Assert.Equal("#FF851B", At(3, 1));   // path off the route
        Assert.Equal("#CCCCCC", image[0, 5].ToString());   // grid line
    }

    [Theory]
    [InlineData(new[] { "###", "#S" }, "row 2 has 2 cells where row 1 has 3 (ragged rows)")]
    [InlineData(new[] { "#x#" }, "row 1, column 2 is 'x'")]
    public void TextThatIsNotAMazeIsNamed(string[] rows, string message) => Assert.Contains(message, MazeText.Problem(rows));

    [Fact]
    public void AMazeLargerThanTheLimitIsRefusedByItsFile()
    {
        // A 4000x4000 maze once reached the picture-size limit without naming its file; larger files were read whole.
        var rows = Enumerable.Repeat(new string('#', MazeText.MaxSide + 1), MazeText.MaxSide + 1).ToList();
        Assert.Equal("a maze of 257x257 cells is larger than the limit of 256 a side", MazeText.Problem(rows));
        var parse = Assert.Throws<TrmException>(() => MazeText.Parse(string.Join("\n", rows), "m.txt"));
        Assert.Equal("m.txt: the maze has 257 rows, more than the limit of 256 a side.", parse.Message);

        using var dir = new TempDirectory();
        var path = dir.File("huge.txt");
        using (var file = File.OpenWrite(path)) file.SetLength(MazeText.MaxFileBytes + 1);
        var read = Assert.Throws<TrmException>(() => MazeText.ReadFile(path));
        Assert.Equal($"{path}: {MazeText.MaxFileBytes + 1} bytes, more than the limit of {MazeText.MaxFileBytes} for a maze file; the file is damaged or not a maze file.", read.Message);
    }
}
