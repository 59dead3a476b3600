using Trm.Puzzles.Arc;

namespace Trm.Tests.Puzzles.Arc;

public class ArcCanvasTests
{
    static byte At(byte[] canvas, int row, int column) => canvas[row * ArcCanvas.Size + column];

    [Fact]
    public void PutsColoursPlusTwoAndMarkersBelowAndRight()
    {
        var canvas = new byte[ArcCanvas.Length];
        ArcCanvas.Encode(GridAssert.Of([0, 9, 5], [1, 2, 3]), 1, 2, canvas);
        Assert.Equal([2, 11, 7], new[] { At(canvas, 1, 2), At(canvas, 1, 3), At(canvas, 1, 4) });
        Assert.Equal([3, 4, 5], new[] { At(canvas, 2, 2), At(canvas, 2, 3), At(canvas, 2, 4) });
        Assert.Equal([1, 1, 1], new[] { At(canvas, 3, 2), At(canvas, 3, 3), At(canvas, 3, 4) });  // row below
        Assert.Equal([1, 1], new[] { At(canvas, 1, 5), At(canvas, 2, 5) });                      // column right
        Assert.Equal(0, At(canvas, 3, 5));                                                      // the corner stays pad
        Assert.Equal(6 + 5, canvas.Count(t => t != 0));
    }

    [Fact]
    public void AGridReachingTheEdgeHasNoMarkerThere()
    {
        var grid = new byte[2, 30];
        var canvas = new byte[ArcCanvas.Length];
        ArcCanvas.Encode(grid, 28, 0, canvas);
        Assert.Equal(60, canvas.Count(t => t == 2));
        Assert.Equal(0, canvas.Count(t => t == ArcCanvas.Marker));
        ArcCanvas.Encode(new byte[30, 30], 0, 0, canvas);
        GridAssert.Equal(new byte[30, 30], ArcCanvas.Decode<byte>(canvas));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(30, 1)]
    [InlineData(29, 30)]
    public void DecodeUndoesEncodeAtTheTopLeft(int rows, int columns)
    {
        var grid = new byte[rows, columns];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++) grid[r, c] = (byte)((r * 7 + c * 3) % 10);
        var canvas = new byte[ArcCanvas.Length];
        ArcCanvas.Encode(grid, 0, 0, canvas);
        GridAssert.Equal(grid, ArcCanvas.Decode<byte>(canvas));
        GridAssert.Equal(grid, ArcCanvas.Decode<long>(canvas.Select(t => (long)t).ToArray()));
    }

    [Fact]
    public void DecodeKeepsTheLargestMarkerFreeRectangle()
    {
        // A prediction whose rows end at different places: widths 4, 4, 2, 2, 2 then a marker row.
        var canvas = new int[ArcCanvas.Length];
        int[] widths = [4, 4, 2, 2, 2];
        for (int r = 0; r < widths.Length; r++)
        {
            for (int c = 0; c < widths[r]; c++) canvas[r * ArcCanvas.Size + c] = 2 + r;
            canvas[r * ArcCanvas.Size + widths[r]] = ArcCanvas.Marker;
        }
        // Candidates: 1x4, 2x4 = 8, 3x2, 4x2, 5x2 = 10 -> 5 rows of 2.
        GridAssert.Equal(GridAssert.Of([0, 0], [1, 1], [2, 2], [3, 3], [4, 4]), ArcCanvas.Decode<int>(canvas));
        canvas[0] = 12;  // not a colour token
        var empty = ArcCanvas.Decode<int>(canvas);
        Assert.Equal((0, 0), (empty.GetLength(0), empty.GetLength(1)));
    }

    [Fact]
    public void AGridOutsideTheCanvasIsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ArcCanvas.Encode(new byte[3, 3], 28, 0, new byte[ArcCanvas.Length]));
}
