using Trm.Puzzles.Maze;

namespace Trm.Rendering;

/// <summary>
/// A maze to draw: <see cref="Rows"/> of equal length over <c>#</c> wall, space open, <c>S</c> start, <c>G</c> goal,
/// <c>o</c> path; <see cref="OffRoute"/> path cells known not to be on a shortest route from S to G; <see cref="Changed"/>
/// cells that changed since the previous step.
/// </summary>
public sealed record MazeBoard(IReadOnlyList<string> Rows, bool[,]? OffRoute = null, bool[,]? Changed = null)
{
    public const string Charset = "# SGo";

    public int Height => Rows.Count;
    public int Width => Rows.Count == 0 ? 0 : Rows[0].Length;
}

/// <summary>
/// A maze on a grid of <see cref="CellGrid"/> cells: walls dark, open cells white, S green, G red, path cells blue, path cells
/// off every shortest route orange, changed cells framed in magenta.
/// </summary>
public static class MazeImage
{
    public const int DefaultCell = 12;

    public static Rgb Wall { get; } = Rgb.Parse("#333333");
    public static Rgb Open { get; } = Rgb.White;
    public static Rgb Start { get; } = Rgb.Parse("#2ECC40");
    public static Rgb Goal { get; } = Rgb.Parse("#FF4136");
    public static Rgb Path { get; } = Rgb.Parse("#0074D9");
    public static Rgb OffRoute { get; } = Rgb.Parse("#FF851B");
    public static Rgb ChangedFrame { get; } = Rgb.Parse("#F012BE");
    public static Rgb Lines { get; } = Rgb.Parse("#CCCCCC");

    /// <summary>The colour of a cell holding <paramref name="value"/>.</summary>
    public static Rgb Colour(char value, bool offRoute = false) => value switch
    {
        '#' => Wall,
        ' ' => Open,
        'S' => Start,
        'G' => Goal,
        'o' => offRoute ? OffRoute : Path,
        _ => throw new ArgumentOutOfRangeException(nameof(value), $"'{value}' is not a maze cell ({MazeGrid.Charset})"),
    };

    public static Raster Render(MazeBoard board, int cell = DefaultCell)
    {
        if (MazeText.Problem(board.Rows) is { } problem) throw new ArgumentException(problem, nameof(board));
        var raster = CellGrid.Draw(board.Height, board.Width, cell, (r, c) => Colour(board.Rows[r][c], board.OffRoute?[r, c] == true),
            Lines, board.Changed, ChangedFrame);
        if (cell < 10) return raster;
        for (int r = 0; r < board.Height; r++)
            for (int c = 0; c < board.Width; c++)
                if (board.Rows[r][c] is 'S' or 'G')
                    raster.Text(board.Rows[r][c].ToString(), CellGrid.Offset(c, cell) + cell / 2f, CellGrid.Offset(r, cell) + cell / 2f, cell * 0.75f,
                        Rgb.White, centred: true, bold: true);
        return raster;
    }
}
