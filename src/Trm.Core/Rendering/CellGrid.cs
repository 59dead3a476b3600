namespace Trm.Rendering;

/// <summary>
/// A rows x columns grid of square cells, <c>cell</c> pixels a side, separated and surrounded by 1-pixel lines:
/// a grid of n cells spans <c>n * cell + n + 1</c> pixels and cell i starts at <c>1 + i * (cell + 1)</c>.
/// </summary>
public static class CellGrid
{
    public const int Line = 1;

    /// <summary>Pixels spanned by <paramref name="cells"/> cells and their lines.</summary>
    public static int Extent(int cells, int cell) => cells * cell + (cells + 1) * Line;

    /// <summary>The first pixel of cell <paramref name="index"/> along one axis.</summary>
    public static int Offset(int index, int cell) => Line + index * (cell + Line);

    /// <summary>Draws the grid: each cell filled with <paramref name="fill"/>(row, column), lines in <paramref name="lines"/>;
    /// <paramref name="changed"/> cells get a frame of <paramref name="changedColour"/> inside them.</summary>
    public static Raster Draw(int rows, int columns, int cell, Func<int, int, Rgb> fill, Rgb lines, bool[,]? changed = null, Rgb changedColour = default)
    {
        var raster = new Raster(Extent(columns, cell), Extent(rows, cell), lines);
        int frame = ChangedFrameWidth(cell);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
            {
                int x = Offset(c, cell), y = Offset(r, cell);
                raster.Fill(x, y, cell, cell, fill(r, c));
                if (changed is not null && changed[r, c] && frame > 0) raster.Outline(x, y, cell, cell, frame, changedColour);
            }
        return raster;
    }

    /// <summary>The width of the frame that marks a changed cell: 0 (none) below 5 pixels, up to 3 for large cells.</summary>
    public static int ChangedFrameWidth(int cell) => cell < 5 ? 0 : Math.Min(3, Math.Max(1, cell / 8));

    /// <summary>Cells that differ between two grids of the same shape (all false when <paramref name="before"/> is null or another shape).</summary>
    public static bool[,] Changes<T>(T[,]? before, T[,] after) where T : IEquatable<T>
    {
        int rows = after.GetLength(0), columns = after.GetLength(1);
        var changed = new bool[rows, columns];
        if (before is null || before.GetLength(0) != rows || before.GetLength(1) != columns) return changed;
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++) changed[r, c] = !before[r, c].Equals(after[r, c]);
        return changed;
    }
}
