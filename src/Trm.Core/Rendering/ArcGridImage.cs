namespace Trm.Rendering;

/// <summary>One ARC grid in the standard colours, with grid lines; optionally the cells that changed since the previous step framed in white.</summary>
public static class ArcGridImage
{
    public const int DefaultCell = 16;

    /// <summary>Width and height in pixels of a grid of <paramref name="rows"/> x <paramref name="columns"/> cells.</summary>
    public static (int Width, int Height) Size(int rows, int columns, int cell) => (CellGrid.Extent(columns, cell), CellGrid.Extent(rows, cell));

    public static Raster Render(byte[,] grid, int cell = DefaultCell, bool[,]? changed = null) =>
        CellGrid.Draw(grid.GetLength(0), grid.GetLength(1), cell, (r, c) => ArcPalette.Colour(grid[r, c]), ArcPalette.GridLines, changed, ArcPalette.Changed);
}
